// Waiting for the extension to reach a state, driven by events: the check runs now and again
// each time one of the given events fires, never on a timer. Every wait has a deadline; the
// check runs a last time there, and a wait that times out says what it was waiting for and
// what that last check saw.

import type * as vscode from 'vscode';

/** A check's answer: the awaited value, or what was seen instead (for the timeout message). */
export type Check<T> = { done: T } | { seen: string };

/** The awaited value. (A helper, so the answer's type is not widened by the other branch.) */
export function done<T>(value: T): { done: T } {
  return { done: value };
}

/** What was seen instead of the awaited state. */
export function seen(text: string): { seen: string } {
  return { seen: text };
}

export const DEFAULT_WAIT_MS = 30_000;
/** How long the check at the deadline may take. */
const LAST_CHECK_MS = 5_000;

/**
 * Resolves with the value of the first check that is done. `check` runs at once, after every
 * firing of `events` (a firing during a running check makes it run again) and at the deadline
 * `timeoutMs`; the wait rejects if that last check is not done either, or with a check's error.
 */
export function until<T>(what: string, events: readonly vscode.Event<unknown>[], check: () => Check<T> | Promise<Check<T>>, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let seen = 'nothing yet';
    let dirty = true;
    let running = false;
    let settled = false;
    const subscriptions = events.map((event) =>
      event(() => {
        dirty = true;
        void runChecks();
      }),
    );
    const finish = (outcome: { value: T } | { error: Error }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const s of subscriptions) s.dispose();
      if ('value' in outcome) resolve(outcome.value);
      else reject(outcome.error);
    };
    let deadlinePassed = false;
    let timer = setTimeout(() => {
      deadlinePassed = true;
      dirty = true;
      // A last check that hangs (a request that never returns) must not hold the wait.
      timer = setTimeout(() => finish({ error: new Error(`Timed out after ${timeoutMs} ms waiting for ${what}, and the last check did not finish; seen before: ${seen}`) }), LAST_CHECK_MS);
      void runChecks();
    }, timeoutMs);

    async function runChecks(): Promise<void> {
      if (running) return;
      running = true;
      try {
        while (dirty && !settled) {
          dirty = false;
          const answer = await check();
          if ('done' in answer) finish({ value: answer.done });
          else seen = answer.seen;
        }
        if (deadlinePassed) finish({ error: new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen}`) });
      } catch (err) {
        finish({ error: err instanceof Error ? err : new Error(String(err)) });
      } finally {
        running = false;
      }
    }
    void runChecks();
  });
}
