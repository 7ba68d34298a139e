import { useEffect, useRef, useState } from 'react';

/**
 * Seconds since `running` turned true, updated every animation frame (performance.now, so a test can drive it with
 * Playwright's clock). Stops counting when `running` turns false and keeps the last value.
 */
export function useElapsed(running: boolean): number {
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    if (!running) return;
    const start = performance.now() - elapsed * 1000;
    let frame = 0;
    const tick = () => {
      setElapsed((performance.now() - start) / 1000);
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [running]);
  return elapsed;
}

/** The user's `prefers-reduced-motion` setting, live. */
export function useReducedMotion(): boolean {
  const query = '(prefers-reduced-motion: reduce)';
  const [reduced, setReduced] = useState(() => window.matchMedia?.(query).matches ?? false);
  useEffect(() => {
    const mq = window.matchMedia?.(query);
    if (!mq) return;
    const on = () => setReduced(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return reduced;
}

/**
 * Calls `onIdle` after `timeoutMs` without a key, pointer or touch input; `paused` (an exercise under way) stops the
 * countdown, which starts afresh when it resumes.
 */
export function useIdle(timeoutMs: number, paused: boolean, onIdle: () => void): void {
  const cb = useRef(onIdle);
  cb.current = onIdle;
  useEffect(() => {
    if (paused) return;
    let timer = window.setTimeout(() => cb.current(), timeoutMs);
    const reset = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => cb.current(), timeoutMs);
    };
    const events = ['keydown', 'pointerdown', 'pointermove', 'touchstart', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, reset, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, reset);
    };
  }, [timeoutMs, paused]);
}

/** A preference kept in this browser's localStorage (large text, breathing pattern, voice). */
export function useStoredPreference<T>(key: string, initial: T): [T, (v: T) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const raw = localStorage.getItem(key);
      return raw === null ? initial : (JSON.parse(raw) as T);
    } catch {
      return initial;
    }
  });
  const set = (v: T) => {
    setValue(v);
    try {
      localStorage.setItem(key, JSON.stringify(v));
    } catch {
      /* storage full or disabled: the preference lasts for this page only */
    }
  };
  return [value, set];
}
