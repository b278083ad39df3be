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

/** A read answered as a map of the keys found, shared per event-loop round: see {@link batchedMap}. */
export interface BatchedMap<K, V> {
  /** The found keys of `keys` and their values, from the one query of this round that carried them. */
  many(keys: readonly K[]): Promise<Map<K, V>>;
}

/**
 * {@link batchedRead} for look-ups by id that answer a map (`findByIds`-style): `many(keys)` resolves to the map of
 * those keys that were found, the query shared with every other caller of the same event-loop round (up to
 * {@link MAX_BATCH} keys per statement). For reads outside transactions only: it waits one event-loop turn, which on
 * SQLite (one connection) would let other requests' statements into an open transaction.
 */
export function batchedMap<K, V>(loadMap: (keys: K[]) => Promise<Map<K, V>>): BatchedMap<K, V> {
  const loader = batchedRead<K, V>(async (keys) => {
    const found = await loadMap([...new Set(keys)]);
    return keys.map((k) => (found.has(k) ? found.get(k)! : null));
  });
  return {
    async many(keys) {
      const unique = [...new Set(keys)];
      const values = await loader.loadMany(unique);
      const out = new Map<K, V>();
      values.forEach((v, i) => {
        if (v instanceof Error) throw v;
        if (v !== null) out.set(unique[i], v);
      });
      return out;
    },
  };
}
