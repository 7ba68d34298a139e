import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ApiOutput } from '../../../electron/contract/api';
import { api, LOCKED_EVENT } from '../api';
import { SetupScreen, UnlockScreen } from './UnlockScreen';

type Status = ApiOutput<'vault.status'>;

const POLL_MS = 15_000;
const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Shows the app only while the database is open; otherwise the unlock screen (encrypted, locked) or the
 * first-run setup. Polls vault.status and tells it whether the user was active since the last poll (input, or a
 * recording playing), so the engine's auto-lock counts real use; when it locks, the pages unmount and their
 * data leaves the screen.
 */
export function VaultGate({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);
  const active = useRef(false);

  const refresh = useCallback(async () => {
    try {
      const playing = [...document.querySelectorAll('video, audio')].some((m) => !(m as HTMLMediaElement).paused);
      const s = await api.call('vault.status', { active: active.current || playing });
      active.current = false;
      setStatus(s);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    const mark = () => (active.current = true);
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, mark, { passive: true });
    const onLocked = () => void refresh();
    window.addEventListener(LOCKED_EVENT, onLocked);
    return () => {
      clearInterval(timer);
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, mark);
      window.removeEventListener(LOCKED_EVENT, onLocked);
    };
  }, [refresh]);

  if (status?.state === 'open') return <>{children}</>;
  return (
    <div className="app">
      <header className="topbar">
        <strong className="brand">Affect Workstation</strong>
      </header>
      <main>
        {!status && <p className={error ? 'error' : 'muted'}>{error ?? 'Opening the database…'}</p>}
        {status?.state === 'setup' && <SetupScreen status={status} onDone={setStatus} />}
        {status?.state === 'locked' && <UnlockScreen status={status} onDone={setStatus} />}
      </main>
    </div>
  );
}
