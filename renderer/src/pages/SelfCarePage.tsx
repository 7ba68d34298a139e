import { useState } from 'react';
import { EXERCISES, exerciseById, levelOf } from '../../../electron/contract/shared/selfcare/catalog';
import { api } from '../api';
import { ClientTabs } from '../components/ClientTabs';
import { ExportMenu } from '../components/ExportMenu';
import { useApi } from '../components/useApi';
import { clientModeChanged, enterFullscreen, useClientMode } from '../selfcare/client-mode-state';
import { clock } from '../selfcare/format';
import { PinForm } from '../selfcare/PinForm';
import { SelfCareChart, runTime } from '../selfcare/SelfCareChart';
import { SelfCareExercises } from '../selfcare/SelfCareExercises';

const IDLE_CHOICES = [60, 120, 300, 600, 900];

/**
 * The client's Self-care tab: hand the workstation over in client mode, or run an exercise together; levels reached,
 * tension before and after over time, every run, and the export.
 */
export function SelfCarePage({ clientId }: { clientId: number }) {
  const clients = useApi(() => api.call('clients.list', { includeArchived: true }), [clientId]);
  const data = useApi(() => api.call('selfcare.progress', { clientId }), [clientId]);
  const client = clients.data?.find((c) => c.id === clientId);
  if (clients.data && !client) return <p className="error">No client with id {clientId}.</p>;
  if (!client) return <p>Loading…</p>;

  return (
    <section>
      <h1>
        Client {client.code} {client.displayName && <span className="muted">— {client.displayName}</span>}
      </h1>
      <ClientTabs clientId={clientId} active="selfcare" />
      <p className="muted small">
        Relaxation and focus exercises to do together in the room or to hand over on this workstation. Suggested by the DASS-21 next steps for results
        in the normal range; not a treatment, and never instead of a review when a result needs one. Level design and sources:
        data/selfcare/LEVELS.md.
      </p>
      <HandOver clientId={clientId} />
      <div className="card">
        <h2>Run an exercise together</h2>
        <SelfCareExercises clientId={clientId} largeText={false} onRunFinished={data.reload} />
      </div>
      {data.error && <p className="error">{data.error}</p>}
      {data.data && (
        <>
          <div className="card">
            <h2>Levels reached</h2>
            <table className="list" data-testid="selfcare-levels">
              <thead>
                <tr>
                  <th>Exercise</th>
                  <th>Levels completed</th>
                  <th>Open now</th>
                </tr>
              </thead>
              <tbody>
                {EXERCISES.map((e) => {
                  const p = data.data!.progress.find((x) => x.exercise === e.id)!;
                  return (
                    <tr key={e.id} data-exercise={e.id}>
                      <td>{e.title}</td>
                      <td>
                        {p.completed} of {p.levels}
                      </td>
                      <td>
                        level {p.unlocked}: {levelOf(e, p.unlocked).title}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="card">
            <SelfCareChart runs={data.data.runs} />
          </div>
          <div className="card">
            <h2>Runs</h2>
            <ExportButtons clientId={clientId} />
            <table className="list" data-testid="selfcare-runs">
              <thead>
                <tr>
                  <th>Started</th>
                  <th>Exercise</th>
                  <th>Where</th>
                  <th>Length</th>
                  <th>Outcome</th>
                  <th>Tension before → after</th>
                </tr>
              </thead>
              <tbody>
                {[...data.data.runs].reverse().map((r) => (
                  <tr key={r.id}>
                    <td>{runTime(r.startedAt)}</td>
                    <td>
                      {exerciseById(r.exercise).title}, level {r.level}
                    </td>
                    <td>{r.mode === 'client' ? 'client mode' : 'in the room'}</td>
                    <td>{r.lengthS === null ? '—' : clock(r.lengthS)}</td>
                    <td>{r.outcome === 'completed' ? 'completed' : r.outcome === 'left' ? 'stopped early' : 'not finished'}</td>
                    <td>
                      {r.tensionBefore ?? '–'} → {r.tensionAfter ?? '–'}
                    </td>
                  </tr>
                ))}
                {data.data.runs.length === 0 && (
                  <tr>
                    <td colSpan={6} className="muted">
                      No exercises yet.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** Set the PIN once, then start client mode with an idle time; change the PIN with the current one. */
function HandOver({ clientId }: { clientId: number }) {
  const { status, refresh } = useClientMode();
  const [idle, setIdle] = useState(300);
  const [first, setFirst] = useState<string | null>(null);
  const [changing, setChanging] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!status) return null;
  const start = async () => {
    enterFullscreen();
    try {
      await api.call('clientMode.enter', { clientId, idleLockS: idle });
      clientModeChanged();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div className="card" data-testid="hand-over">
      <h2>Hand over to the client (client mode)</h2>
      <p className="muted small">
        Full screen with only this client's exercises: no other client, recording or score can be reached, and the service refuses everything else
        while it is on. It locks after the idle time you choose (never in the middle of an exercise), and only your PIN or passphrase unlocks it or
        ends it.
      </p>
      {!status.pinSet ? (
        first === null ? (
          <PinForm
            label="Choose a PIN or passphrase (at least 4 characters)"
            autoFocus={false}
            actions={[
              {
                label: 'Next',
                run: async (pin) => (pin.trim().length < 4 ? Promise.reject(new Error('at least 4 characters, please')) : setFirst(pin)),
              },
            ]}
          />
        ) : (
          <PinForm
            label="Type it again to confirm"
            actions={[
              {
                label: 'Save PIN',
                run: async (pin) => {
                  if (pin !== first) {
                    setFirst(null);
                    throw new Error('the two did not match; choose the PIN again');
                  }
                  await api.call('clientMode.setPin', { pin });
                  setFirst(null);
                  refresh();
                },
              },
            ]}
          />
        )
      ) : (
        <>
          <div className="row">
            <label>
              Lock after no input for{' '}
              <select value={idle} onChange={(e) => setIdle(Number(e.target.value))} aria-label="Lock after no input for">
                {IDLE_CHOICES.map((s) => (
                  <option key={s} value={s}>
                    {s / 60} min
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={() => void start()}>
              Start client mode
            </button>
            <button type="button" className="link-button" onClick={() => setChanging(!changing)} aria-expanded={changing}>
              Change PIN
            </button>
          </div>
          {changing && <ChangePin onDone={() => setChanging(false)} />}
        </>
      )}
      {error && <p className="error">{error}</p>}
    </div>
  );
}

function ChangePin({ onDone }: { onDone: () => void }) {
  const [current, setCurrent] = useState<string | null>(null);
  return current === null ? (
    <PinForm label="Current PIN" actions={[{ label: 'Next', run: async (pin) => setCurrent(pin) }]} />
  ) : (
    <PinForm
      label="New PIN or passphrase"
      actions={[
        {
          label: 'Save new PIN',
          run: async (pin) => {
            try {
              await api.call('clientMode.setPin', { pin, currentPin: current });
              onDone();
            } catch (err) {
              setCurrent(null);
              throw err;
            }
          },
        },
      ]}
    />
  );
}

function ExportButtons({ clientId }: { clientId: number }) {
  return (
    <ExportMenu
      title="Export the runs"
      choices={[
        { label: 'CSV', make: () => api.call('selfcare.export', { clientId, format: 'csv' }) },
        { label: 'JSON', make: () => api.call('selfcare.export', { clientId, format: 'json' }) },
      ]}
    />
  );
}
