import { useCallback, useState } from 'react';
import './selfcare.css';
import { api } from '../api';
import { clientModeChanged, leaveFullscreen, type ClientModeStatus } from './client-mode-state';
import { useIdle, useStoredPreference } from './hooks';
import { LockIcon } from './LockIcon';
import { PinForm } from './PinForm';
import { SelfCareExercises } from './SelfCareExercises';

const unlock = (pin: string) => api.call('clientMode.unlock', { pin }).then(clientModeChanged);
const exit = (pin: string) =>
  api.call('clientMode.exit', { pin }).then(() => {
    leaveFullscreen();
    clientModeChanged();
  });

/**
 * Client mode, full screen: only this client's exercises, nothing else of the app. After the chosen idle time with no
 * input (never during an exercise) it locks; the locked screen shows no one's name and only the clinician's PIN opens
 * it. The service enforces the same limits on every call, whatever this page does.
 */
export function ClientModeScreen({ status }: { status: ClientModeStatus }) {
  const [busy, setBusy] = useState(false);
  const [ending, setEnding] = useState(false);
  const [largeText, setLargeText] = useStoredPreference('affect.selfcare.largeText', false);
  const lock = useCallback(() => void api.call('clientMode.lock', {}).finally(clientModeChanged), []);
  useIdle((status.idleLockS ?? 300) * 1000, busy || status.locked, lock);

  if (status.locked || !status.client)
    return (
      <div className={largeText ? 'client-mode locked large-text' : 'client-mode locked'} data-testid="locked-screen">
        <div className="sc-lock-card">
          <div className="sc-lock-icon">
            <LockIcon size={44} />
          </div>
          <h1>This screen is locked</h1>
          <p>Please hand the workstation back to your clinician.</p>
          <PinForm
            label="Clinician's PIN or passphrase"
            actions={[
              { label: 'Unlock', run: unlock },
              { label: 'End client mode', run: exit },
            ]}
          />
        </div>
      </div>
    );

  return (
    <div className={largeText ? 'client-mode large-text' : 'client-mode'} data-testid="client-mode">
      <header className="sc-topbar">
        <strong>Relaxation exercises</strong>
        <span className="sc-topbar-actions">
          <button type="button" className="sc-secondary" aria-pressed={largeText} onClick={() => setLargeText(!largeText)}>
            {largeText ? 'Normal text' : 'Larger text'}
          </button>
          <button type="button" className="sc-secondary" onClick={lock} disabled={busy}>
            Lock screen
          </button>
          <button type="button" className="sc-secondary" onClick={() => setEnding(!ending)} disabled={busy} aria-expanded={ending}>
            For the clinician: end
          </button>
        </span>
      </header>
      <main className="sc-main">
        {ending ? (
          <div className="sc-lock-card">
            <h1>End client mode</h1>
            <p>The clinician's PIN or passphrase returns the workstation to the clinician.</p>
            <PinForm label="Clinician's PIN or passphrase" actions={[{ label: 'End client mode', run: exit }]} />
            <button type="button" className="sc-secondary" onClick={() => setEnding(false)}>
              Back to the exercises
            </button>
          </div>
        ) : (
          <>
            <p className="sc-intro">
              These exercises are here for you, at your own pace. Each one says what it is for. You can stop at any moment, and nothing you have done
              is lost.
            </p>
            <SelfCareExercises clientId={status.client.id} largeText={largeText} onBusy={setBusy} />
          </>
        )}
      </main>
    </div>
  );
}
