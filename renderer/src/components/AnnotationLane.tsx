import { useCallback, useEffect, useState } from 'react';
import type { ApiOutput } from '../../../electron/contract/api';
import { api } from '../api';
import { LABEL_COLORS, labelTextColor } from '../labels';
import { participantName, type Participant } from './participants';
import type { Lane } from './timeline/Lanes';
import { clockLabel, timeAt, xOf } from './timeline/time-view';
import { ANNOTATION_KEYS_HELP, type AnnotationEditor } from './useAnnotationEditor';

type Agreement = ApiOutput<'agreement.session'>;

/** The selected annotator's segments as a lane of the timeline: click a segment to select it (and seek there). */
export function annotationLane(editor: AnnotationEditor, onSeek: (t: number) => void): Lane | null {
  const track = editor.track;
  if (!track) return null;
  return {
    id: 'annotation',
    title: track.annotator,
    detail: `${track.segments.length} segment${track.segments.length === 1 ? '' : 's'}`,
    height: 34,
    interactive: true,
    description: `Annotation segments of ${track.annotator}. Click a segment to select it; keys: ${ANNOTATION_KEYS_HELP}`,
    render: ({ view, width }) => (
      <div className="segments">
        {track.segments.length === 0 && (
          <span className="empty-lane">No segments yet: press I at the start and O at the end of a stretch to mark it, then 1–8 to label it.</span>
        )}
        {track.segments
          .filter((s) => s.end > view.start && s.start < view.end)
          .map((s) => {
            const x0 = Math.max(0, xOf(s.start, view, width));
            const x1 = Math.min(width, xOf(s.end, view, width));
            return (
              <button
                type="button"
                key={s.id}
                className={s.id === editor.selected ? 'segment selected' : 'segment'}
                data-label={s.label}
                aria-pressed={s.id === editor.selected}
                style={{ left: x0, width: Math.max(2, x1 - x0), background: LABEL_COLORS[s.label] ?? '#8a8a8a', color: labelTextColor(s.label) }}
                title={`${s.label} ${clockLabel(s.start, 0.5)}–${clockLabel(s.end, 0.5)}`}
                onClick={(e) => {
                  e.stopPropagation();
                  const r = e.currentTarget.parentElement!.getBoundingClientRect();
                  editor.select(s.id);
                  onSeek(Math.min(s.end - 1e-3, Math.max(s.start, timeAt(e.clientX - r.left, view, width))));
                }}
              >
                {s.label}
              </button>
            );
          })}
        {editor.markIn !== null && editor.markIn >= view.start && editor.markIn <= view.end && (
          <i className="mark-in" style={{ left: xOf(editor.markIn, view, width) }} />
        )}
      </div>
    ),
    hover: (t) => {
      const s = track.segments.find((x) => x.start <= t && t < x.end);
      return s ? `${track.annotator} · ${s.label} · ${clockLabel(s.start, 0.5)}–${clockLabel(s.end, 0.5)}` : null;
    },
  };
}

/** The keys, edit errors, and agreement of the chosen track with the model's estimates (the track is chosen above the lanes). */
export function AnnotationTools({
  sessionId,
  editor,
  participants = [],
}: {
  sessionId: number;
  editor: AnnotationEditor;
  participants?: Participant[];
}) {
  const [agreements, setAgreements] = useState<Record<string, Agreement | string>>({});
  // With several participants, the annotation is compared with one participant's model estimates (the described one by default).
  const [against, setAgainst] = useState<number | null>(null);
  const track = editor.track;
  const refresh = useCallback(async () => {
    if (!track) return setAgreements({});
    const out: Record<string, Agreement | string> = {};
    const suffix = participants.length > 1 && against !== null ? `-p${against}` : '';
    for (const b of ['model-face', 'model-voice', 'model-fused'].map((k) => k + suffix)) {
      try {
        out[b] = await api.call('agreement.session', { sessionId, a: track.annotator, b });
      } catch (e) {
        out[b] = (e as Error).message;
      }
    }
    setAgreements(out);
  }, [sessionId, track, against, participants.length]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <div className="annotation-tools" data-testid="annotations">
      {!track && (
        <p className="muted small">Choose or create an annotation track above the lanes (“New track…”); its segments then show as a lane.</p>
      )}
      {track && (
        <p className="muted small">
          Labels: {track.labels.map((l, i) => `${i + 1} ${l}`).join(' · ')}. Keys: {ANNOTATION_KEYS_HELP}
        </p>
      )}
      {editor.error && (
        <p className="error" role="alert">
          {editor.error}
        </p>
      )}
      {track && participants.length > 1 && (
        <label className="small">
          Compare with{' '}
          <select
            aria-label="Participant whose estimates the annotation is compared with"
            value={against ?? ''}
            onChange={(e) => setAgainst(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">the participant in the summary</option>
            {participants.map((p) => (
              <option key={p.id} value={p.id}>
                {participantName(p)}
              </option>
            ))}
          </select>
        </label>
      )}
      {track && (
        <table className="list small" data-testid="agreement">
          <caption className="muted">Agreement of {track.annotator} with the model's estimates</caption>
          <thead>
            <tr>
              <th scope="col">{track.annotator} vs</th>
              <th scope="col">Cohen's kappa</th>
              <th scope="col">Agreement</th>
              <th scope="col">Compared (0.1 s slices)</th>
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
      )}
    </div>
  );
}
