// Waiting on a running emulator without sleeping: a condition is re-checked after every write
// to its store, with a deadline so a broken controller fails the test instead of hanging it.

import type { Store } from '../../emulator/src/store/store';

/** Resolves when `check` holds, re-checking after every store write; rejects after `ms`. */
export function untilStore(store: Store, check: () => boolean, what: string, ms = 20_000): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const unsubscribe = store.subscribe(() => {
      if (!check()) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}
