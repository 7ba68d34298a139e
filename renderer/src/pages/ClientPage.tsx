import { useState } from 'react';
import { dateDomain, dateMs } from '../../../electron/contract/shared/date-axis';
import { api } from '../api';
import { shortWhy } from '../components/CoverageSummary';
import { DassChange } from '../components/DassChange';
import { ExportMenu } from '../components/ExportMenu';
import { ClientTabs } from '../components/ClientTabs';
import { DassTrend, EmotionTrend } from '../components/TrendCharts';
import { useApi } from '../components/useApi';
import { formatDate } from '../dates';
import { formatTime, pct } from '../labels';
import { navigate } from '../router';
import { EraseButton } from '../vault/EraseButton';
import { TranscriptSearch } from '../components/transcript/TranscriptSearch';

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
  // One date axis for every chart on the page, so a session and a DASS-21 of the same day line up.
  const domain = dateDomain(
    [...(trends.data?.sessions.map((s) => dateMs(s.date)) ?? []), ...(trends.data?.dass.map((a) => dateMs(a.administeredAt)) ?? [])].filter(
      Number.isFinite,
    ),
  );
  const hasSessions = (sessions.data?.length ?? 0) > 0;

  return (
    <section>
      <h1>
        Client {client.code} {client.displayName && <span className="muted">— {client.displayName}</span>}{' '}
        {client.archivedAt && <span className="badge">archived</span>}
      </h1>
      <ClientTabs clientId={clientId} active="overview" />
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
          <button type="button" className="secondary" onClick={() => (setName(client.displayName ?? ''), setEditing(true))}>
            Rename
          </button>
        )}
        <button
          type="button"
          className="secondary"
          onClick={() => void api.call('clients.archive', { id: clientId, archived: !client.archivedAt }).then(clients.reload)}
        >
          {client.archivedAt ? 'Unarchive' : 'Archive'}
        </button>
        <EraseButton
          target={{ kind: 'client', id: clientId }}
          name={`client ${client.code}`}
          typeToConfirm={client.code}
          label="Erase client…"
          onErased={() => navigate('/clients')}
        />
      </div>
      <ExportMenu
        title="Export for this client"
        choices={[
          { label: 'Client report (PDF)', make: () => api.call('export.client', { clientId, format: 'pdf' }) },
          ...(hasSessions
            ? [
                { label: 'Sessions summary (CSV)', make: () => api.call('export.client', { clientId, format: 'csv', per: 'summary' }) },
                { label: 'All windows (CSV)', make: () => api.call('export.client', { clientId, format: 'csv', per: 'window' }) },
                { label: 'All segments (CSV)', make: () => api.call('export.client', { clientId, format: 'csv', per: 'segment' }) },
                { label: 'All transcripts (CSV)', make: () => api.call('export.client', { clientId, format: 'csv', per: 'transcript' }) },
              ]
            : []),
        ]}
      />
      <div className="card">
        <h2>Trends</h2>
        <p className="muted small">
          Expression estimates from the models, not diagnoses. DASS-21 results are for the clinician's interpretation. Dates on a time-proportional
          axis.
        </p>
        {trends.error && <p className="error">{trends.error}</p>}
        {trends.data && (
          <>
            <div className="trend-grid">
              <EmotionTrend trends={trends.data} track="face" domain={domain} />
              <EmotionTrend trends={trends.data} track="voice" domain={domain} />
            </div>
            <DassTrend trends={trends.data} domain={domain} />
          </>
        )}
      </div>
      {hasSessions && <TranscriptSearch clientId={clientId} />}
      <div className="card">
        <h2>Sessions</h2>
        <table className="list">
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Recorded</th>
              <th scope="col">Length</th>
              <th scope="col">Face</th>
              <th scope="col">Voice</th>
              <th scope="col">Fused</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.data?.map((s) => (
              <tr key={s.id}>
                <td>
                  <a href={`#/session/${s.id}`}>{s.title ?? s.file.split(/[\\/]/).pop()}</a>
                  {!s.fileAvailable && <div className="small warning-text">recording not found</div>}
                </td>
                <td>{s.recordedAt ? formatDate(s.recordedAt) : <span className="muted">unknown (analysed {formatDate(s.analysedAt)})</span>}</td>
                <td>{formatTime(s.durationS)}</td>
                <td>
                  {s.coverage.face.enough ? s.summary.face.majority : <span className="muted">{shortWhy(s.coverage.face.why)}</span>}
                  <div className="small muted">face in {pct(s.coverage.face.share)} of frames</div>
                </td>
                <td>
                  {s.coverage.voice.enough ? s.summary.voice.majority : <span className="muted">{shortWhy(s.coverage.voice.why)}</span>}
                  <div className="small muted">speech {pct(s.coverage.voice.share)} of the time</div>
                </td>
                <td>{s.coverage.fused.label ?? <span className="muted">too little data</span>}</td>
                <td>
                  <EraseButton
                    target={{ kind: 'session', id: s.id }}
                    name={`session ${s.id}`}
                    label="Erase…"
                    onErased={() => (sessions.reload(), trends.reload(), dass.reload())}
                  />
                </td>
              </tr>
            ))}
            {sessions.data?.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  No sessions yet — <a href={`#/import?client=${clientId}`}>import a recording</a> for this client.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <div className="card">
        <h2>DASS-21 history</h2>
        {dass.error && <p className="error">{dass.error}</p>}
        {dass.data && dass.data.administrations.length === 0 ? (
          <p className="muted" data-testid="dass-history">
            No DASS-21 entered yet for this client. <a href={`#/dass?client=${clientId}`}>Enter one now</a>.
          </p>
        ) : (
          <table className="list" data-testid="dass-history">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Depression</th>
                <th scope="col">Anxiety</th>
                <th scope="col">Stress</th>
                <th scope="col">Change since the previous one</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {dass.data?.administrations.map((a, i) => {
                const change = dass.data!.changes.find((c) => c.toId === a.id);
                const cell = (r: typeof a.depression) => (r.score === null ? <span className="muted">not scored</span> : `${r.score} (${r.band})`);
                return (
                  <tr key={a.id}>
                    <td>{formatDate(a.administeredAt)}</td>
                    <td>{cell(a.depression)}</td>
                    <td>{cell(a.anxiety)}</td>
                    <td>{cell(a.stress)}</td>
                    <td className="changes">
                      {i === 0 || !change ? <span className="muted">first</span> : change.subscales.map((c) => <DassChange key={c.subscale} c={c} />)}
                    </td>
                    <td>
                      <div className="row">
                        <a className="button secondary" href={`#/dass?client=${clientId}&edit=${a.id}`}>
                          Correct…
                        </a>
                        <EraseButton
                          target={{ kind: 'dass', id: a.id }}
                          name={`the DASS-21 of ${formatDate(a.administeredAt)}`}
                          label="Erase…"
                          onErased={() => (dass.reload(), trends.reload())}
                        />
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <p className="muted small">
          Lower scores mean fewer symptoms: ↓ better, ↑ worse. ⚑ marks a change of 5 points or more on a subscale, a project convention rather than a
          published cut-off: <a href="#/doc/dass-scoring?section=comparing-two-administrations">how changes are compared</a>.
        </p>
      </div>
    </section>
  );
}
