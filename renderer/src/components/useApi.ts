import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Load something from the API, with loading/error state and a reload function. When the inputs change (another
 * session, another client) the old data is dropped at once, so a page never shows the previous one's figures under
 * the new one's title; a reload keeps showing the current data until the fresh one arrives.
 */
export function useApi<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const lastDeps = useRef<string | null>(null);
  const key = JSON.stringify(deps);
  if (lastDeps.current !== null && lastDeps.current !== key && data !== null) {
    setData(null);
    setError(null);
  }
  lastDeps.current = key;
  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && (setData(d), setError(null)),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { data, error, reload: useCallback(() => setTick((t) => t + 1), []) };
}
