import DataLoader from 'dataloader';

/** Most look-ups one batched query carries (placeholders stay far below every driver's limit). */
export const MAX_BATCH = 200;

/**
 * A hot-path read that concurrent requests share (DataLoader): every `load(key)` made while the event loop handles
 * one round of I/O is answered by one query for all their keys, run when that round is done (`setImmediate`), so
 * a rush of N concurrent look-ups costs about N ÷ (requests per round) statements instead of N; a lone request
 * still costs one statement and one event-loop turn. Nothing is cached between rounds: every answer is as fresh
 * as the query that produced it.
 * `loadMany(keys)` must answer one value (or null) per key, in the order of `keys`; a key asked twice in a round
 * is passed twice.
 */
export function batchedRead<K, V>(loadMany: (keys: readonly K[]) => Promise<Array<V | null>>): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(loadMany, { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: (run) => setImmediate(run) });
}
