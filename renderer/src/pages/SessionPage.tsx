import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api';
import { annotationLane, AnnotationTools } from '../components/AnnotationLane';
import { CoverageSummary } from '../components/CoverageSummary';
import { ExportMenu, sessionExports } from '../components/ExportMenu';
import { LabelLegend } from '../components/LabelLegend';
import { ParticipantsCard } from '../components/ParticipantsCard';
import { describedParticipant, onlyParticipant, participantName } from '../components/participants';
import { participantLane } from '../components/timeline/participant-lanes';
import { Player } from '../components/Player';
import { RecordingDate } from '../components/RecordingDate';
import { faceLane, fusedLane, voiceLane } from '../components/timeline/estimate-lanes';
import { Lanes, Overview, type Lane } from '../components/timeline/Lanes';
import { clockLabel, fullView, revealTime, scrollView, zoomView, type TimeView } from '../components/timeline/time-view';
import { useAnnotationEditor } from '../components/useAnnotationEditor';
import { useApi } from '../components/useApi';
import { ALL_LABELS, pct } from '../labels';
import { EraseButton } from '../vault/EraseButton';
import { textLane } from '../components/timeline/text-lane';
import { NoTranscript, TranscriptPanel } from '../components/transcript/TranscriptPanel';
import { TextShares, TranscriptSpeakers } from '../components/transcript/TranscriptSpeakers';
import { cueAt } from '../components/transcript/cue-at';
import { useTranscript } from '../components/transcript/useTranscript';

const REVIEW_KEYS =
  '←/→ 1 s (Shift 10 s) · Space play/pause · [ / ] previous/next change of face estimate · + / − zoom, 0 whole recording · wheel zooms, Shift+wheel scrolls · click a lane to seek';

/** `startAt`: seconds to open the recording at (a search hit's `#/session/<id>?t=<seconds>`). */
export function SessionPage({ sessionId, startAt = null }: { sessionId: number; startAt?: number | null }) {
  const detail = useApi(() => api.call('sessions.get', { id: sessionId }), [sessionId]);
  const clients = useApi(() => api.call('clients.list', { includeArchived: true }), []);
  const media = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  const [time, setTime] = useState(0);
  const [view, setView] = useState<TimeView>(fullView(1));
  const [announce, setAnnounce] = useState('');
  const [newTrack, setNewTrack] = useState<string | null>(null);
  const [noText, setNoText] = useState(false);
  const transcript = useTranscript(sessionId);
  const d = detail.data;
  const duration = d?.durationS ?? 1;
  // Face, voice and fused lanes, the cursor line and the keys follow the participant the summary describes.
  const main = useMemo(() => (d ? onlyParticipant(d, describedParticipant(d)?.id ?? null) : null), [d]);

  useEffect(() => {
    if (d) setView(fullView(d.durationS));
  }, [d?.id, d?.durationS]); // eslint-disable-line react-hooks/exhaustive-deps

  const seek = useCallback(
    (t: number) => {
      const clamped = Math.max(0, Math.min(t, duration));
      if (media.current) media.current.currentTime = clamped;
      setTime(clamped);
      setView((v) => revealTime(v, clamped, duration));
    },
    [duration],
  );
  const editor = useAnnotationEditor(sessionId, seek);
  // A search hit opens the review at its moment.
  useEffect(() => {
    if (d && startAt !== null && Number.isFinite(startAt)) seek(startAt);
  }, [d?.id, startAt]); // eslint-disable-line react-hooks/exhaustive-deps

  // Follow playback: when the cursor leaves the visible window, the window moves with it.
  const onTime = useCallback(
    (t: number) => {
      setTime(t);
      setView((v) => revealTime(v, t, duration));
    },
    [duration],
  );

  const lanes = useMemo<Lane[]>(() => {
    if (!d || !main) return [];
    const described = describedParticipant(d);
    const whose = (lane: Lane): Lane => (d.participants.length > 1 && described ? { ...lane, title: `${lane.title} · P${described.id}` } : lane);
    const own = [whose(faceLane(main)), whose(voiceLane(main)), whose(fusedLane(main))];
    // One lane per participant when there are several (face thumbnail, expression estimates, speaking turns).
    return d.participants.length > 1 ? [...own, ...d.participants.map((p) => participantLane(d, p))] : own;
  }, [d, main]);
  const t = transcript.transcript;
  const allLanes = useMemo(() => {
    const a = annotationLane(editor, seek);
    const withText = t ? [...lanes, textLane(t)] : lanes;
    return a ? [...withText, a] : withText;
  }, [lanes, editor, seek, t]);

  const faceChanges = useMemo(() => {
    if (!main) return [];
    const labelled = main.frames.filter((f) => f.label);
    return labelled.filter((f, i) => i > 0 && f.label !== labelled[i - 1].label).map((f) => f.t);
  }, [main]);

  const current = main ? main.frames.reduce<(typeof main.frames)[number] | null>((best, f) => (f.t <= time + 1e-6 ? f : best), null) : null;
  const currentWindow = main?.windows.find((w) => w.label && w.start <= time && time < w.end);
  const speaking = d ? d.participants.filter((p) => d.speech.some((t) => t.participant === p.id && t.start <= time && time < t.end)) : [];
  const currentCue = t ? cueAt(t.cues, time) : null;
  const nowText = d
    ? `At ${clockLabel(time)}: face ${current?.label ?? (current?.face ? 'uncertain' : 'no face')}${current?.confidence != null ? ` (${pct(current.confidence)})` : ''} · voice ${currentWindow ? `${currentWindow.label} (${pct(currentWindow.confidence)})` : 'no speech'}${d.participants.length > 1 ? ` · speaking: ${speaking.length ? speaking.map((p) => participantName(p)).join(', ') : 'nobody'}` : ''}${t ? ` · words ${currentCue ? `${currentCue.label ?? 'uncertain'}${currentCue.confidence !== null ? ` (${pct(currentCue.confidence)})` : ''}` : 'none'}` : ''}`
    : '';

  // Screen readers hear where the cursor is after the user moves it (or pauses), not four times a second while playing.
  const announceSoon = useRef<ReturnType<typeof setTimeout> | null>(null);
  const nowRef = useRef(nowText);
  nowRef.current = nowText;
  const scheduleAnnounce = useCallback(() => {
    if (announceSoon.current) clearTimeout(announceSoon.current);
    announceSoon.current = setTimeout(() => setAnnounce(nowRef.current), 700);
  }, []);

  // One key handler for the whole review, in the capture phase: keys work wherever focus is (the player included),
  // and a key the review uses does not also reach the player's own controls.
  const keys = useRef({ time, seek, faceChanges, editor, duration, view });
  keys.current = { time, seek, faceChanges, editor, duration, view };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, select, textarea, [contenteditable="true"]')) return;
      if (!target.closest('.review') && target !== document.body) return;
      const k = keys.current;
      const m = media.current;
      let handled = true;
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        k.seek(k.time + (e.key === 'ArrowRight' ? 1 : -1) * (e.shiftKey ? 10 : 1));
        scheduleAnnounce();
      } else if (e.key === ' ' && !target.closest('button, a')) {
        if (m?.paused) void m.play();
        else if (m) {
          m.pause();
          scheduleAnnounce();
        }
      } else if ((e.key === ']' || e.key === '[') && !e.ctrlKey && !e.metaKey) {
        const next = e.key === ']' ? k.faceChanges.find((t) => t > k.time + 0.01) : [...k.faceChanges].reverse().find((t) => t < k.time - 0.01);
        if (next !== undefined) k.seek(next);
        scheduleAnnounce();
      } else if ((e.key === '+' || e.key === '=') && !e.ctrlKey && !e.metaKey) setView((v) => zoomView(v, 0.5, k.time, k.duration));
      else if (e.key === '-' && !e.ctrlKey && !e.metaKey) setView((v) => zoomView(v, 2, k.time, k.duration));
      else if (e.key === '0' && !e.ctrlKey && !e.metaKey) setView(fullView(k.duration));
      else if (e.key === 'PageDown' || e.key === 'PageUp')
        setView((v) => scrollView(v, (e.key === 'PageDown' ? 0.9 : -0.9) * (v.end - v.start), k.duration));
      else handled = k.editor.handleKey(e, k.time);
      if (handled) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [scheduleAnnounce]);

  if (detail.error) return <p className="error">{detail.error}</p>;
  if (!d) return <p>Loading…</p>;
  const s = d.summary;
  const distribution = ALL_LABELS.map((label) => ({ label, face: s.face.distribution[label] ?? 0, voice: s.voice.distribution[label] ?? 0 }));
  const name = d.title ?? d.file.split(/[\\/]/).pop();

  return (
    <section className="review">
      <header className="review-head">
        <h1>
          Session {d.id}: {name}
        </h1>
        <p className="meta">
          <RecordingDate session={d} onChanged={detail.reload} /> · {clockLabel(d.durationS)} long ·{' '}
          <label>
            client{' '}
            <select
              aria-label="Client of this session"
              value={d.clientId ?? ''}
              onChange={(e) =>
                void api.call('sessions.assign', { id: d.id, clientId: e.target.value ? Number(e.target.value) : null }).then(detail.reload)
              }
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
      </header>
      <div className={t ? 'review-top with-transcript' : 'review-top'}>
        <div className="player">
          <Player ref={media} detail={d} time={time} onTime={onTime} onSeek={seek} onChanged={detail.reload} />
          <p className="now" data-testid="now">
            {nowText}
          </p>
          <p className="sr-only" aria-live="polite" data-testid="now-announce">
            {announce}
          </p>
        </div>
        <TranscriptPanel state={transcript} time={time} onSeek={seek} />
        <div className="card summary">
          <h2>
            Summary <span className="muted small">expression estimates, not diagnoses</span>
          </h2>
          {d.participants.length > 1 && describedParticipant(d) && (
            <p className="small" data-testid="summary-describes">
              Of {participantName(describedParticipant(d)!)}
              {describedParticipant(d)!.isClient ? '' : ' (the main participant; mark the client below)'}
            </p>
          )}
          <CoverageSummary session={d} />
          {t && (
            <dl className="summary-list words">
              <dt>Words</dt>
              <dd data-testid="text-summary">
                <TextShares s={t.text} />
                <span className="small muted">by the text model, line by line; not fused</span>
              </dd>
            </dl>
          )}
          {s.warnings.map((w) => (
            <p key={w} className="warning small">
              {w}
            </p>
          ))}
          <p className="muted small">
            A track names a label only with enough data (minimum in <a href="#/settings">Settings</a>).
          </p>
          <NoTranscript state={transcript} />
        </div>
      </div>
      <div className="card timeline" id="timeline" aria-label="Timeline of expression estimates" role="region">
        <div className="timeline-toolbar row">
          <div role="group" aria-label="Zoom" className="row tight">
            <button type="button" className="secondary" aria-label="Zoom out" onClick={() => setView((v) => zoomView(v, 2, time, duration))}>
              −
            </button>
            <button type="button" className="secondary" aria-label="Zoom in" onClick={() => setView((v) => zoomView(v, 0.5, time, duration))}>
              +
            </button>
            <button type="button" className="secondary" onClick={() => setView(fullView(duration))}>
              Whole recording
            </button>
          </div>
          <span className="small" data-testid="view-range">
            Showing {clockLabel(view.start)}–{clockLabel(view.end)} of {clockLabel(duration)}
          </span>
          <span className="spacer" />
          <label className="small">
            Annotation{' '}
            <select
              aria-label="Annotation track"
              value={editor.track?.id ?? ''}
              onChange={(e) => editor.setTrackId(e.target.value ? Number(e.target.value) : null)}
            >
              <option value="">(none)</option>
              {editor.tracks.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.annotator} ({t.segments.length})
                </option>
              ))}
            </select>
          </label>
          {editor.track && (
            <EraseButton
              target={{ kind: 'annotation-track', id: editor.track.id }}
              name={`the annotation track by ${editor.track.annotator}`}
              label="Erase track…"
              onErased={() => (editor.setTrackId(null), void editor.reload())}
            />
          )}
          {newTrack === null ? (
            <button type="button" className="secondary" onClick={() => setNewTrack('')}>
              New track…
            </button>
          ) : (
            <form
              className="row tight"
              onSubmit={(e) => {
                e.preventDefault();
                void editor.createTrack(newTrack).then(() => setNewTrack(null));
              }}
            >
              <input
                aria-label="Annotator name"
                placeholder="Annotator name"
                value={newTrack}
                autoFocus
                onChange={(e) => setNewTrack(e.target.value)}
                required
              />
              <button type="submit">Create</button>
              <button type="button" className="secondary" onClick={() => setNewTrack(null)}>
                Cancel
              </button>
            </form>
          )}
        </div>
        <Lanes lanes={allLanes} durationS={duration} view={view} onView={setView} currentTime={time} onSeek={seek} />
        <Overview durationS={duration} view={view} onView={setView} currentTime={time} controls="timeline" />
        <LabelLegend />
        <p className="muted small keys">Keys: {REVIEW_KEYS}</p>
      </div>
      {d.participants.length > 0 && <ParticipantsCard sessionId={d.id} participants={d.participants} onChanged={detail.reload} />}
      <TranscriptSpeakers state={transcript} participants={d.participants.map((p) => ({ id: p.id, name: participantName(p) }))} />
      <div className="review-bottom">
        <div className="card">
          <h2>Annotations</h2>
          <AnnotationTools sessionId={d.id} editor={editor} participants={d.participants} />
        </div>
        <div className="card">
          <h2>Distribution of estimates</h2>
          <ResponsiveContainer width="100%" height={200}>
            <BarChart data={distribution} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" tick={{ fill: '#333' }} />
              <YAxis tickFormatter={(v: number) => `${Math.round(v * 100)}%`} domain={[0, 1]} width={48} tick={{ fill: '#333' }} />
              <Tooltip formatter={(v, n) => [pct(Number(v)), n]} />
              <Legend />
              <Bar dataKey="face" name="face: share of labelled frames" fill="#3f5f8f" isAnimationActive={false} />
              <Bar dataKey="voice" name="voice: share of windows with speech" fill="#b35c1e" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
          <ExportMenu choices={sessionExports(d.id, { transcript: Boolean(t), noText })}>
            {t && (
              <label className="small">
                <input type="checkbox" checked={noText} onChange={(e) => setNoText(e.target.checked)} /> Leave the transcript's words out of the PDF
                report
              </label>
            )}
          </ExportMenu>
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
    </section>
  );
}
