import { useEffect, useState } from 'react';
import type { ApiOutput } from '../../../electron/contract/api';
import { api } from '../api';
import { ModelChooser } from '../components/ModelChooser';
import { useApi } from '../components/useApi';
import { AuditLogCard, PrivacySettings } from '../vault/PrivacySettings';

/** People's names for the analysis roles. */
const ROLE_NAMES: Record<string, string> = {
  'face-detector': 'Face detector',
  'face-expression': 'Facial expression',
  'voice-emotion': 'Vocal expression',
};

type Rule = ApiOutput<'coverage.rule'>;

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
              <dd>
                {d.ffmpeg ? <code>{`${d.ffmpeg.path} (${d.ffmpeg.source})`}</code> : <span className="error">{d.ffmpegError}</span>}
                {d.ffmpeg?.note && <p className="muted small">Using {d.ffmpeg.note}.</p>}
              </dd>
              <dt>Version</dt>
              <dd>{d.appVersion}</dd>
            </dl>
          </div>
          <CoverageSettings />
          <div className="card">
            <h2>Models in use</h2>
            <table className="list">
              <thead>
                <tr>
                  <th scope="col">Used for</th>
                  <th scope="col">Model</th>
                  <th scope="col">Architecture</th>
                  <th scope="col">Labels</th>
                  <th scope="col">Held-out figures (validation or cross-validation)</th>
                </tr>
              </thead>
              <tbody>
                {d.models.map((m) => (
                  <tr key={m.role}>
                    <td>{ROLE_NAMES[m.role] ?? m.role}</td>
                    <td>
                      {m.id}@{m.version}
                      <div className="muted small">sha256 {m.sha256.slice(0, 16)}…</div>
                    </td>
                    <td>{m.architecture}</td>
                    <td>{m.labels.join(', ')}</td>
                    <td className="small">
                      {m.heldOutUar != null ? `UAR ${m.heldOutUar.toFixed(3)}` : '—'}
                      {typeof m.metrics?.accuracy === 'number' && ` · accuracy ${(m.metrics.accuracy as number).toFixed(3)}`}
                      <div>
                        <a href={`#/doc/model-card?id=${encodeURIComponent(m.id)}`}>Model card of {m.id}</a>: data, figures, limits
                      </div>
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

/** The minimum data a track needs before the review, trends and reports name a label for it. */
function CoverageSettings() {
  const rule = useApi(() => api.call('coverage.rule', {}), []);
  const [form, setForm] = useState<Rule | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (rule.data) setForm(rule.data);
  }, [rule.data]);
  if (!form) return null;
  const save = async (next: Rule | null) => {
    try {
      const saved = await api.call('coverage.setRule', { rule: next });
      setForm(saved);
      setError(null);
      setMessage(next ? 'Saved: applies to every session at once.' : 'Back to the defaults.');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const num = (k: keyof Rule, scale = 1) => (
    <input
      type="number"
      min={0}
      max={scale === 100 ? 100 : undefined}
      step={1}
      value={Math.round(form[k] * scale)}
      onChange={(e) => setForm({ ...form, [k]: Number(e.target.value) / scale })}
      className="narrow"
    />
  );
  return (
    <form
      className="card"
      aria-labelledby="coverage-title"
      onSubmit={(e) => {
        e.preventDefault();
        void save(form);
      }}
    >
      <h2 id="coverage-title">Minimum data for an estimate</h2>
      <p className="muted small">
        Below these, a session's face or voice track says “too little data” instead of a label (in the review, the trends and the reports), so a few
        frames with a face, or a false detection in a cartoon, never become “face: sad”.
      </p>
      <div className="row">
        <label>Face: a face in at least {num('minFaceShare', 100)} % of the analysed frames</label>
        <label>and at least {num('minFaceFrames')} frames</label>
      </div>
      <div className="row">
        <label>Voice: windows with speech cover at least {num('minSpeechShare', 100)} % of the recording</label>
        <label>and at least {num('minSpeechS')} seconds</label>
      </div>
      <div className="row">
        <button type="submit">Save</button>
        <button type="button" className="secondary" onClick={() => void save(null)}>
          Back to the defaults
        </button>
        {message && <span role="status">{message}</span>}
        {error && <span className="error">{error}</span>}
      </div>
    </form>
  );
}
