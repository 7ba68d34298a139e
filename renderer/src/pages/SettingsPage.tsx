import { api } from '../api';
import { ModelChooser } from '../components/ModelChooser';
import { useApi } from '../components/useApi';
import { AuditLogCard, PrivacySettings } from '../vault/PrivacySettings';

export function SettingsPage() {
  const info = useApi(() => api.call('app.info', {}), []);
  const installed = useApi(() => api.call('models.list', {}), []);
  const d = info.data;
  return (
    <section>
      <h1>Settings</h1>
      {info.error && <p className="error">{info.error}</p>}
      {d && (
        <>
          <div className="card">
            <h2>Where things are</h2>
            <dl>
              <dt>Database</dt>
              <dd>
                <code>{d.databasePath}</code>
              </dd>
              <dt>ffmpeg</dt>
              <dd>{d.ffmpeg ? <code>{`${d.ffmpeg.path} (${d.ffmpeg.source})`}</code> : <span className="error">{d.ffmpegError}</span>}</dd>
              <dt>Version</dt>
              <dd>{d.appVersion}</dd>
            </dl>
          </div>
          <div className="card">
            <h2>Models in use</h2>
            <table className="list">
              <thead>
                <tr>
                  <th>Role</th>
                  <th>Model</th>
                  <th>Architecture</th>
                  <th>Labels</th>
                  <th>Held-out figures (validation or cross-validation)</th>
                </tr>
              </thead>
              <tbody>
                {d.models.map((m) => (
                  <tr key={m.role}>
                    <td>{m.role}</td>
                    <td>
                      {m.id}@{m.version}
                      <div className="muted small">sha256 {m.sha256.slice(0, 16)}…</div>
                    </td>
                    <td>{m.architecture}</td>
                    <td>{m.labels.join(', ')}</td>
                    <td className="small">
                      {m.heldOutUar != null ? `UAR ${m.heldOutUar.toFixed(3)}` : '—'}
                      {typeof m.metrics?.accuracy === 'number' && ` · accuracy ${(m.metrics.accuracy as number).toFixed(3)}`}
                      <div className="muted">see the model card</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted">{d.note} All processing happens on this computer; nothing is sent anywhere.</p>
          </div>
          <PrivacySettings />
          <AuditLogCard />
          {installed.data && (
            <ModelChooser
              models={installed.data}
              onChanged={() => {
                info.reload();
                installed.reload();
              }}
            />
          )}
        </>
      )}
    </section>
  );
}
