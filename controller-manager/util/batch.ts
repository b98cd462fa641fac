/**
 * Slow-start batching (CONTROLLERS.md 0.3): run `count` calls in batches of 1, 2, 4, …
 * (calls within a batch in parallel). A batch with any failure stops the rest, so a
 * quota or admission error costs one call, not hundreds. Returns how many were attempted and
 * succeeded, and the first error.
 */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

export async function slowStartBatch(count: number, initial: number, fn: () => Promise<void>): Promise<{ successes: number; attempted: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  let attempted = 0;
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining)) {
    attempted += size;
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn()));
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    successes += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { successes, attempted, error: failed.reason };
    remaining -= size;
  }
  return { successes, attempted };
}
