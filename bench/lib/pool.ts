// Bounded concurrency: at most `limit` calls of `fn` in flight, as a client with a fixed number
// of connections would send them.

/**
 * Calls `fn` for every item with at most `limit` calls pending. Rejects with the first error;
 * calls already started are left to finish, no new ones start.
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async (): Promise<void> => {
    while (failed === undefined && next < items.length) {
      const index = next++;
      try {
        await fn(items[index], index);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed !== undefined) throw failed;
}
