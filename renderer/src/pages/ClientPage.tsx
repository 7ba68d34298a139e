import { useState } from 'react';
import { api } from '../api';
import { DassTrend, EmotionTrend } from '../components/TrendCharts';
import { useApi } from '../components/useApi';
import { formatTime } from '../labels';
import { navigate } from '../router';
import { EraseButton } from '../vault/EraseButton';

export function ClientPage({ clientId }: { clientId: number }) {
  const clients = useApi(() => api.call('clients.list', { includeArchived: true }), [clientId]);
  const sessions = useApi(() => api.call('sessions.list', { clientId }), [clientId]);
  const trends = useApi(() => api.call('trends.get', { clientId }), [clientId]);
  const dass = useApi(() => api.call('dass.list', { clientId }), [clientId]);
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState('');
  const client = clients.data?.find((c) => c.id === clientId);
  if (clients.data && !client) return <p className="error">No client with id {clientId}.</p>;
  if (!client) return <p>Loading…</p>;

  const rename = async (e: React.FormEvent) => {
    e.preventDefault();
    await api.call('clients.rename', { id: clientId, displayName: name || null });
    setEditing(false);
    clients.reload();
  };

  return (
    <section>
      <h1>
        Client {client.code} {client.displayName && <span className="muted">— {client.displayName}</span>} {client.archivedAt && <span className="badge">archived</span>}
      </h1>
      <div className="row">
        <a className="button" href={`#/import?client=${clientId}`}>
          Import recordings
        </a>
        <a className="button" href={`#/dass?client=${clientId}`}>
          New DASS-21
        </a>
        {editing ? (
          <form onSubmit={rename} className="row">
            <input aria-label="New display name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
            <button type="submit">Save</button>
          </form>
        ) : (
          <button type="button" onClick={() => (setName(client.displayName ?? ''), setEditing(true))}>
            Rename
          </button>
        )}
        <button type="button" onClick={() => void api.call('clients.archive', { id: clientId, archived: !client.archivedAt }).then(clients.reload)}>
          {client.archivedAt ? 'Unarchive' : 'Archive'}
        </button>
        <EraseButton target={{ kind: 'client', id: clientId }} name={`client ${client.code}`} typeToConfirm={client.code} label="Erase client…" onErased={() => navigate('/clients')} />
      </div>
      <div className="card">
        <h2>Trends</h2>
        <p className="muted small">Expression estimates from the models, not diagnoses. DASS-21 results are for the clinician's interpretation.</p>
        {trends.error && <p className="error">{trends.error}</p>}
        {trends.data && (
          <>
            <div className="trend-grid">
              <EmotionTrend trends={trends.data} track="face" />
              <EmotionTrend trends={trends.data} track="voice" />
            </div>
            <DassTrend trends={trends.data} />
          </>
        )}
      </div>
      <div className="card">
        <h2>Sessions</h2>
        <table className="list">
          <thead>
            <tr>
              <th>Session</th>
              <th>Date</th>
              <th>Length</th>
              <th>Face</th>
              <th>Voice</th>
              <th>Fused</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {sessions.data?.map((s) => (
              <tr key={s.id}>
                <td>
                  <a href={`#/session/${s.id}`}>{s.title ?? s.file.split(/[\\/]/).pop()}</a>
                </td>
                <td>{(s.recordedAt ?? s.analysedAt).slice(0, 10)}</td>
                <td>{formatTime(s.durationS)}</td>
                <td>{s.summary.face.majority ?? '—'}</td>
                <td>{s.summary.voice.majority ?? '—'}</td>
                <td>{s.summary.fused.label ?? '—'}</td>
                <td>
                  <EraseButton target={{ kind: 'session', id: s.id }} name={`session ${s.id}`} label="Erase…" onErased={() => (sessions.reload(), trends.reload(), dass.reload())} />
                </td>
              </tr>
            ))}
            {sessions.data?.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  No sessions yet — import a recording for this client.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <div className="card">
        <h2>DASS-21 history</h2>
        {dass.error && <p className="error">{dass.error}</p>}
        <table className="list" data-testid="dass-history">
          <thead>
            <tr>
              <th>Date</th>
              <th>Depression</th>
              <th>Anxiety</th>
              <th>Stress</th>
              <th>Change since previous</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {dass.data?.administrations.map((a, i) => {
              const change = dass.data!.changes.find((c) => c.toId === a.id);
              const cell = (r: typeof a.depression) => (r.score === null ? <span className="muted">incomplete</span> : `${r.score} (${r.band})`);
              return (
                <tr key={a.id}>
                  <td>{a.administeredAt.slice(0, 10)}</td>
                  <td>{cell(a.depression)}</td>
                  <td>{cell(a.anxiety)}</td>
                  <td>{cell(a.stress)}</td>
                  <td>
                    {i === 0 || !change
                      ? '—'
                      : change.subscales.map((c) => (
                          <span key={c.subscale} className={c.flagged ? 'flag' : ''}>
                            {c.subscale[0].toUpperCase()} {c.difference === null ? '?' : c.difference > 0 ? `+${c.difference}` : c.difference}
                            {c.bandChanged ? ` (${c.fromBand} → ${c.toBand})` : ''}
                            {c.flagged ? ' ⚑' : ''}{' '}
                          </span>
                        ))}
                  </td>
                  <td>
                    <div className="row">
                      <a className="button secondary" href={`#/dass?client=${clientId}&edit=${a.id}`}>
                        Correct…
                      </a>
                      <EraseButton target={{ kind: 'dass', id: a.id }} name={`the DASS-21 of ${a.administeredAt.slice(0, 10)}`} label="Erase…" onErased={() => (dass.reload(), trends.reload())} />
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="muted small">⚑ marks a change of 5 points or more on a subscale (see README for the rule).</p>
      </div>
    </section>
  );
}
