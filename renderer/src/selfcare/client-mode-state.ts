import { useCallback, useEffect, useState } from 'react';
import type { ApiOutput } from '../../../electron/contract/api';
import { api } from '../api';

export type ClientModeStatus = ApiOutput<'clientMode.status'>;

const CHANGED = 'affect:client-mode-changed';

/** Tell every useClientMode() on the page that client mode changed (entered, locked, unlocked, left). */
export function clientModeChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

/**
 * Client mode as the service reports it (the service is the authority; the page only follows). `undefined` while the
 * first answer is on its way, so the clinician's pages never flash up in client mode.
 */
export function useClientMode(): { status: ClientModeStatus | null | undefined; refresh: () => void } {
  const [status, setStatus] = useState<ClientModeStatus | null | undefined>(undefined);
  const refresh = useCallback(() => {
    api.call('clientMode.status', {}).then(setStatus, () => setStatus(null));
  }, []);
  useEffect(() => {
    refresh();
    window.addEventListener(CHANGED, refresh);
    return () => window.removeEventListener(CHANGED, refresh);
  }, [refresh]);
  return { status, refresh };
}

/** Full screen for the hand-over where the platform allows it (a user gesture must have started it). */
export function enterFullscreen(): void {
  document.documentElement.requestFullscreen?.().catch(() => undefined);
}

export function leaveFullscreen(): void {
  if (document.fullscreenElement) document.exitFullscreen?.().catch(() => undefined);
}
