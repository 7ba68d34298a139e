import { useCallback, useEffect, useRef, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api';
import { AnnotationPanel } from '../components/AnnotationPanel';
import { Timeline } from '../components/Timeline';
import { useApi } from '../components/useApi';
import { Waveform } from '../components/Waveform';
import { ALL_LABELS, formatTime, pct } from '../labels';

export function SessionPage({ sessionId }: { sessionId: number }) {
  const detail = useApi(() => api.call('sessions.get', { id: sessionId }), [sessionId]);
  const clients = useApi(() => api.call('clients.list', { includeArchived: true }), []);
  const media = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  const [time, setTime] = useState(0);
  const [mediaMissing, setMediaMissing] = useState(false);
  const d = detail.data;

  const seek = useCallback((t: number) => {
    const clamped = Math.max(0, Math.min(t, d?.durationS ?? t));
    if (media.current) media.current.currentTime = clamped;
    setTime(clamped);
  }, [d?.durationS]);

  // Keyboard: ←/→ 1 s (Shift: 10 s), space play/pause, [ and ] previous/next change of the face estimate.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, select, textarea')) return;
      const m = media.current;
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        e.preventDefault();
        seek(time + (e.key === 'ArrowRight' ? 1 : -1) * (e.shiftKey ? 10 : 1));
      } else if (e.key === ' ' && m && !target.closest('button, a')) {
        e.preventDefault();
        if (m.paused) void m.play();
        else m.pause();
      } else if ((e.key === ']' || e.key === '[') && d) {
        const labelled = d.frames.filter((f) => f.label);
        const changes = labelled.filter((f, i) => i > 0 && f.label !== labelled[i - 1].label).map((f) => f.t);
        const next = e.key === ']' ? changes.find((t) => t > time + 0.01) : [...changes].reverse().find((t) => t < time - 0.01);
        if (next !== undefined) seek(next);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [time, d, seek]);

  if (detail.error) return <p className="error">{detail.error}</p>;
  if (!d) return <p>Loading…</p>;
  const s = d.summary;
  const distribution = ALL_LABELS.map((label) => ({ label, face: s.face.distribution[label] ?? 0, voice: s.voice.distribution[label] ?? 0 }));
  const current = d.frames.reduce<(typeof d.frames)[number] | null>((best, f) => (f.t <= time + 1e-6 ? f : best), null);
  const currentWindow = d.windows.find((w) => w.label && w.start <= time && time < w.end);

  return (
    <section className="review">
      <h1>
        Session {d.id}: {d.title ?? d.file.split(/[\\/]/).pop()}
      </h1>
      <p className="muted">
        Recorded file <code>{d.file}</code> · {formatTime(d.durationS)} · analysed {d.analysedAt.slice(0, 16).replace('T', ' ')} ·{' '}
        <label>
          client{' '}
          <select
            aria-label="Client of this session"
            value={d.clientId ?? ''}
            onChange={(e) => void api.call('sessions.assign', { id: d.id, clientId: e.target.value ? Number(e.target.value) : null }).then(detail.reload)}
          >
            <option value="">(none)</option>
            {clients.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.code}
              </option>
            ))}
          </select>
        </label>
        {d.clientId && (
          <>
            {' '}
            · <a href={`#/client/${d.clientId}`}>client trends</a>
          </>
        )}
      </p>
      <div className="review-grid">
        <div className="player">
          {d.media.hasVideo ? (
            <video ref={media} src={api.mediaUrl(d.id)} controls onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)} onError={() => setMediaMissing(true)} preload="metadata" />
          ) : (
            <>
              <audio ref={media} src={api.mediaUrl(d.id)} controls onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)} onError={() => setMediaMissing(true)} preload="metadata" />
              <Waveform url={api.mediaUrl(d.id)} currentTime={time} duration={d.durationS} onSeek={seek} />
            </>
          )}
          {mediaMissing && (
            <p className="error small" data-testid="media-missing">
              The recording cannot be played: it is no longer where it was analysed from (in browser mode the uploaded copy is deleted once analysed). The estimates below are kept.
            </p>
          )}
          <p className="now" aria-live="polite">
            At {formatTime(time)}: face {current?.label ?? (current?.face ? 'uncertain' : 'no face')} {current?.confidence != null && `(${pct(current.confidence)})`} · voice{' '}
            {currentWindow ? `${currentWindow.label} (${pct(currentWindow.confidence)})` : 'no speech'}
          </p>
          <p className="muted small">Keys: ←/→ 1 s, Shift+←/→ 10 s, space play/pause, [ / ] previous/next change of face estimate. Click a track to seek.</p>
        </div>
        <div className="card summary">
          <h2>Summary (expression estimates)</h2>
          <dl>
            <dt>Face majority</dt>
            <dd data-testid="face-majority">
              {s.face.majority ?? '—'} {s.face.reason && <span className="muted">({s.face.reason})</span>}
            </dd>
            <dt>Voice majority</dt>
            <dd data-testid="voice-majority">
              {s.voice.majority ?? '—'} {s.voice.reason && <span className="muted">({s.voice.reason})</span>}
            </dd>
            <dt>Fused</dt>
            <dd data-testid="fused">
              {s.fused.label ?? '—'} {s.fused.confidence !== null && `(${pct(s.fused.confidence)})`}
            </dd>
            <dt>Coverage</dt>
            <dd>
              {s.face.framesWithFace}/{s.face.framesAnalysed} frames with a face{s.face.framesAbstained ? `, ${s.face.framesAbstained} uncertain` : ''}; {s.voice.voicedWindows}/{s.voice.windows} windows with
              speech
            </dd>
          </dl>
          {s.warnings.map((w) => (
            <p key={w} className="warning">
              {w}
            </p>
          ))}
          <h3>Models</h3>
          <ul className="small">
            {d.models.map((m) => (
              <li key={m.role}>
                {m.role}: {m.id}@{m.version} <span className="muted">({m.sha256.slice(0, 12)})</span>
              </li>
            ))}
          </ul>
          <p className="muted small">{s.note}</p>
        </div>
      </div>
      <Timeline detail={d} currentTime={time} onSeek={seek} />
      <AnnotationPanel sessionId={d.id} durationS={d.durationS} currentTime={time} onSeek={seek} />
      <div className="card">
        <h2>Distribution of estimates</h2>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={distribution} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" />
            <YAxis tickFormatter={(v: number) => `${Math.round(v * 100)}%`} domain={[0, 1]} width={48} />
            <Tooltip formatter={(v) => pct(Number(v))} />
            <Legend />
            <Bar dataKey="face" name="face (share of frames)" fill="#4a6fa5" isAnimationActive={false} />
            <Bar dataKey="voice" name="voice (share of windows)" fill="#d08c60" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
