import { useDidHide, useDidShow } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '@union/shared';
import { errorMessage } from './api/client';
import { onScreenVisibility } from './platform';

/**
 * Runs `load` when the page mounts and again each time it is shown after being hidden
 * (coming back from another page), but not twice on the first show.
 */
export function useLoadOnShow(load: () => void, enabled = true): void {
  const latest = useRef(load);
  latest.current = load;
  const shownOnce = useRef(false);

  useEffect(() => {
    if (enabled) latest.current();
  }, [enabled]);

  useDidShow(() => {
    if (!shownOnce.current) {
      shownOnce.current = true;
      return;
    }
    if (enabled) latest.current();
  });
}

/**
 * A paged list loaded page by page ("加载更多"): `reload(query)` loads page 1 for a query (answers that
 * arrive after a newer reload are dropped), `loadMore()` appends the next page of the same query,
 * skipping items already shown. Errors: `error` for the first page, the rejected promise of `loadMore`.
 */
export function usePagedList<T extends { id: number }, Q>(fetchPage: (query: Q, page: number) => Promise<Page<T>>) {
  const [items, setItems] = useState<T[] | null>(null);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const seq = useRef(0);
  const query = useRef<Q>();
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const reload = useCallback(async (q: Q) => {
    const mine = ++seq.current;
    query.current = q;
    setItems(null);
    setError(null);
    try {
      const res = await fetchRef.current(q, 1);
      if (mine !== seq.current) return;
      setItems(res.items);
      setTotal(res.total);
      setPage(1);
    } catch (e) {
      if (mine === seq.current) setError(errorMessage(e));
    }
  }, []);

  const loadMore = useCallback(async () => {
    const mine = seq.current;
    setLoadingMore(true);
    try {
      const res = await fetchRef.current(query.current as Q, page + 1);
      if (mine !== seq.current) return;
      setItems((prev) => {
        const seen = new Set((prev ?? []).map((x) => x.id));
        return [...(prev ?? []), ...res.items.filter((x) => !seen.has(x.id))];
      });
      setTotal(res.total);
      setPage(res.page);
    } finally {
      setLoadingMore(false);
    }
  }, [page]);

  /** Removes an item that no longer belongs to the list (e.g. reviewed out of "pending"). */
  const remove = useCallback((id: number) => {
    setItems((prev) => prev?.filter((x) => x.id !== id) ?? prev);
    setTotal((t) => Math.max(0, t - 1));
  }, []);

  const hasMore = items !== null && items.length < total;
  return { items, total, error, loadingMore, hasMore, reload, loadMore, remove, setItems };
}

/**
 * Runs `load` at once and again `intervalMs` after each run settles, only while the page is shown and the
 * screen visible: it stops when the page is hidden (another page on top, the app in the background, on H5 a
 * hidden tab) and starts again, loading at once, when it is shown. Runs never overlap. `load` handles its own
 * errors (a rejection is ignored and the next run still comes).
 */
export function useRefreshWhileVisible(load: () => Promise<void>, intervalMs: number, enabled = true): void {
  const latest = useRef(load);
  latest.current = load;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // Each start gets a new generation; a run that settles after a stop (or a newer start) schedules nothing.
  const generation = useRef(0);
  const running = useRef(false);

  const stop = useCallback(() => {
    running.current = false;
    generation.current += 1;
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  }, []);
  const start = useCallback(() => {
    if (running.current) return;
    running.current = true;
    const mine = ++generation.current;
    const run = async () => {
      timer.current = null;
      try {
        await latest.current();
      } catch {
        // the page shows its own error
      }
      if (generation.current === mine) timer.current = setTimeout(() => void run(), intervalMs);
    };
    void run();
  }, [intervalMs]);

  useEffect(() => {
    if (!enabled) return undefined;
    start();
    const unsubscribe = onScreenVisibility((visible) => (visible ? start() : stop()));
    return () => {
      unsubscribe();
      stop();
    };
  }, [enabled, start, stop]);
  useDidShow(() => {
    if (enabled) start();
  });
  useDidHide(stop);
}
