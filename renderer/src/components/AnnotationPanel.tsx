import { useCallback, useEffect, useLayoutEffect, useState } from 'react';
import type { ApiOutput } from '../../../electron/contract/api';
import { api } from '../api';
import { formatTime, LABEL_COLORS } from '../labels';
import { EraseButton } from '../vault/EraseButton';

type Track = ApiOutput<'annotations.createTrack'>;
type Agreement = ApiOutput<'agreement.session'>;

interface Props {
  sessionId: number;
  durationS: number;
  currentTime: number;
  onSeek: (t: number) => void;
}

const KEYS_HELP =
  'Keys: I / O mark in / out at the cursor (creates a segment), 1–8 relabel, S split at the cursor, G merge with the next, ' +
  ', / . move start / end to the cursor, N / P next / previous segment, Delete remove, Ctrl+Z undo, Ctrl+Shift+Z redo.';

/**
 * The researcher's annotation lane: one track per annotator, edited from the keyboard, every edit saved
 * at once (with undo/redo that survives a restart), agreement against the model, exports.
 */
export function AnnotationPanel({ sessionId, durationS, currentTime, onSeek }: Props) {
  const [tracks, setTracks] = useState<Track[]>([]);
  const [trackId, setTrackId] = useState<number | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [markIn, setMarkIn] = useState<number | null>(null);
  const [annotator, setAnnotator] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [agreements, setAgreements] = useState<Record<string, Agreement | string>>({});
  const [exported, setExported] = useState<string | null>(null);
  const track = tracks.find((t) => t.id === trackId) ?? null;

  const reload = useCallback(async () => {
    const r = await api.call('annotations.tracks', { sessionId });
    setTracks(r.tracks.filter((t) => !t.readOnly));
    setTrackId((cur) => cur ?? r.tracks.find((t) => !t.readOnly)?.id ?? null);
  }, [sessionId]);
  useEffect(() => {
    void reload().catch((e: Error) => setError(e.message));
  }, [reload]);

  const act = useCallback(
    async (fn: () => Promise<unknown>) => {
      try {
        await fn();
        setError(null);
        await reload();
      } catch (e) {
        setError((e as Error).message);
      }
    },
    [reload],
  );

  const refreshAgreement = useCallback(async () => {
    if (!track) return;
    const out: Record<string, Agreement | string> = {};
    for (const b of ['model-face', 'model-voice', 'model-fused']) {
      try {
        out[b] = await api.call('agreement.session', { sessionId, a: track.annotator, b });
      } catch (e) {
        out[b] = (e as Error).message;
      }
    }
    setAgreements(out);
  }, [sessionId, track]);
  useEffect(() => {
    void refreshAgreement();
  }, [refreshAgreement, tracks]);

  // A layout effect, so the key handler sees the segments the moment they are drawn: with a passive effect a key pressed
  // between the paint and the effect went to the previous handler, whose selection did not exist yet, and was lost.
  useLayoutEffect(() => {
    if (!track) return;
    const segs = track.segments;
    const sel = segs.find((s) => s.id === selected) ?? null;
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).closest('input, select, textarea')) return;
      const k = e.key.toLowerCase();
      const t = Math.round(currentTime * 1000) / 1000;
      const handled = () => e.preventDefault();
      if ((e.ctrlKey || e.metaKey) && k === 'z') {
        handled();
        void act(() => api.call(e.shiftKey ? 'annotations.redo' : 'annotations.undo', { trackId: track.id }));
      } else if ((e.ctrlKey || e.metaKey) && k === 'y') {
        handled();
        void act(() => api.call('annotations.redo', { trackId: track.id }));
      } else if (e.ctrlKey || e.metaKey || e.altKey) {
        return;
      } else if (k === 'i') {
        handled();
        setMarkIn(t);
      } else if (k === 'o' && markIn !== null) {
        handled();
        const [start, end] = markIn < t ? [markIn, t] : [t, markIn];
        setMarkIn(null);
        void act(async () => setSelected((await api.call('annotations.add', { trackId: track.id, start, end, label: sel?.label ?? track.labels[0] })).id));
      } else if (/^[1-9]$/.test(k) && sel && track.labels[Number(k) - 1]) {
        handled();
        void act(() => api.call('annotations.relabel', { segmentId: sel.id, label: track.labels[Number(k) - 1] }));
      } else if (k === 's' && sel) {
        handled();
        void act(() => api.call('annotations.split', { segmentId: sel.id, at: t }));
      } else if (k === 'g' && sel) {
        const next = segs.find((s) => s.start >= sel.end - 1e-6 && s.id !== sel.id);
        if (next) {
          handled();
          void act(() => api.call('annotations.merge', { firstId: sel.id, secondId: next.id }));
        }
      } else if ((k === ',' || k === '.') && sel) {
        handled();
        void act(() => api.call('annotations.move', k === ',' ? { segmentId: sel.id, start: t } : { segmentId: sel.id, end: t }));
      } else if ((k === 'delete' || k === 'backspace') && sel) {
        handled();
        setSelected(null);
        void act(() => api.call('annotations.delete', { segmentId: sel.id }));
      } else if (k === 'n' || k === 'p') {
        const sorted = [...segs].sort((a, b) => a.start - b.start);
        const target = k === 'n' ? sorted.find((s) => s.start > (sel?.start ?? -1) + 1e-6) : [...sorted].reverse().find((s) => s.start < (sel?.start ?? Infinity) - 1e-6);
        if (target) {
          handled();
          setSelected(target.id);
          onSeek(target.start);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [track, selected, currentTime, markIn, act, onSeek]);

  const exportAs = (format: 'csv' | 'json' | 'eaf' | 'pdf', per?: 'frame' | 'window' | 'segment' | 'summary') =>
    void api
      .call('export.session', { sessionId, format, per })
      .then((r) => setExported(r.files.join(', ')))
      .catch((e: Error) => setError(e.message));

  return (
    <div className="card annotations" data-testid="annotations">
      <h2>Annotations</h2>
      <div className="row">
        <label>
          Track{' '}
          <select aria-label="Annotation track" value={trackId ?? ''} onChange={(e) => setTrackId(e.target.value ? Number(e.target.value) : null)}>
            <option value="">(none)</option>
            {tracks.map((t) => (
              <option key={t.id} value={t.id}>
                {t.annotator} ({t.segments.length})
              </option>
            ))}
          </select>
        </label>
        {track && (
          <EraseButton
            target={{ kind: 'annotation-track', id: track.id }}
            name={`the annotation track by ${track.annotator}`}
            label="Erase track…"
            onErased={() => (setTrackId(null), void reload())}
          />
        )}
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              const t = await api.call('annotations.createTrack', { sessionId, annotator });
              setTrackId(t.id);
              setAnnotator('');
            });
          }}
        >
          <input aria-label="Annotator name" placeholder="Annotator name" value={annotator} onChange={(e) => setAnnotator(e.target.value)} required />
          <button type="submit">New track</button>
        </form>
      </div>
      {track && (
        <>
          <div className="lane" aria-label={`Segments of ${track.annotator}`} onClick={(e) => {
            const r = e.currentTarget.getBoundingClientRect();
            onSeek(((e.clientX - r.left) / r.width) * durationS);
          }}>
            {track.segments.map((s) => (
              <button
                type="button"
                key={s.id}
                className={s.id === selected ? 'segment selected' : 'segment'}
                data-label={s.label}
                style={{ left: `${(s.start / durationS) * 100}%`, width: `${((s.end - s.start) / durationS) * 100}%`, background: LABEL_COLORS[s.label] ?? '#999' }}
                title={`${s.label} ${formatTime(s.start)}–${formatTime(s.end)}`}
                onClick={(e) => {
                  e.stopPropagation();
                  e.currentTarget.blur(); // keys go to the page's shortcuts, not to this button
                  setSelected(s.id);
                }}
              >
                {s.label}
              </button>
            ))}
            {markIn !== null && <i className="mark-in" style={{ left: `${(markIn / durationS) * 100}%` }} />}
            <i className="cursor" style={{ left: `${(currentTime / durationS) * 100}%` }} />
          </div>
          <p className="muted small">
            Labels: {track.labels.map((l, i) => `${i + 1} ${l}`).join(' · ')}. {KEYS_HELP}
          </p>
          <table className="list small" data-testid="agreement">
            <thead>
              <tr>
                <th>{track.annotator} vs</th>
                <th>Cohen's kappa</th>
                <th>Agreement</th>
                <th>Compared (0.1 s slices)</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(agreements).map(([b, a]) => (
                <tr key={b}>
                  <td>{b}</td>
                  {typeof a === 'string' ? (
                    <td colSpan={3} className="muted">
                      {a}
                    </td>
                  ) : (
                    <>
                      <td>{a.kappa === null ? 'n/a' : a.kappa.toFixed(3)}</td>
                      <td>{a.percentAgreement === null ? 'n/a' : `${(a.percentAgreement * 100).toFixed(1)}%`}</td>
                      <td>
                        {a.slicesCompared} of {a.slicesTotal}
                      </td>
                    </>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <div className="row">
        Export:
        <button type="button" onClick={() => exportAs('csv', 'frame')}>CSV per frame</button>
        <button type="button" onClick={() => exportAs('json', 'segment')}>JSON segments</button>
        <button type="button" onClick={() => exportAs('eaf')}>ELAN .eaf</button>
        <button type="button" onClick={() => exportAs('pdf')}>PDF report</button>
      </div>
      {exported && <p role="status">Written: <code>{exported}</code></p>}
      {error && <p className="error">{error}</p>}
    </div>
  );
}
