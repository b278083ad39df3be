import { useDidShow } from '@tarojs/taro';
import { useEffect, useRef } from 'react';

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
