import type { ApiOutput } from '../../../electron/contract/api';
import { LABEL_COLORS, pct } from '../labels';

type Session = ApiOutput<'sessions.get'>;

/** A label with its colour swatch, or the reason there is none ("too little data", "no speech"). */
export function Estimate({ label, why, extra }: { label: string | null; why?: string | null; extra?: string }) {
  if (!label) return <span className="no-estimate">{shortWhy(why)}</span>;
  return (
    <span className="estimate">
      <i className="swatch" style={{ background: LABEL_COLORS[label] ?? '#8a8a8a' }} aria-hidden="true" />
      {label}
      {extra && <span className="muted"> {extra}</span>}
    </span>
  );
}

/** The short form of a "why no label" reason, for tables and cells. */
export function shortWhy(why: string | null | undefined): string {
  if (!why) return '—';
  if (why.startsWith('too little data')) return 'too little data';
  return why;
}

/** A thin bar of how much of the recording a track saw. */
function CoverageBar({ share, label }: { share: number | null; label: string }) {
  return (
    <span className="coverage">
      <span className="coverage-bar" aria-hidden="true">
        <span style={{ width: `${Math.round((share ?? 0) * 100)}%` }} />
      </span>
      <span className="small">{label}</span>
    </span>
  );
}

/** The session's summary: each track's estimate only where it saw enough, and how much it saw. */
export function CoverageSummary({ session: s }: { session: Session }) {
  const c = s.coverage;
  const face = s.summary.face;
  const voice = s.summary.voice;
  return (
    <dl className="summary-list">
      <dt>Face</dt>
      <dd data-testid="face-majority">
        <Estimate
          label={c.face.enough ? face.majority : null}
          why={c.face.why}
          extra={c.face.enough && face.majority ? `(${pct(face.distribution[face.majority])} of labelled frames)` : undefined}
        />
        <CoverageBar
          share={c.face.share}
          label={`a face in ${c.face.framesWithFace} of ${c.face.framesAnalysed} frames (${pct(c.face.share)})${face.framesAbstained ? `, ${face.framesAbstained} uncertain` : ''}`}
        />
        {!c.face.enough && c.face.why && c.face.why !== shortWhy(c.face.why) && <span className="small muted why">{c.face.why}</span>}
      </dd>
      <dt>Voice</dt>
      <dd data-testid="voice-majority">
        <Estimate
          label={c.voice.enough ? voice.majority : null}
          why={c.voice.why}
          extra={c.voice.enough && voice.majority ? `(${pct(voice.distribution[voice.majority])} of windows with speech)` : undefined}
        />
        <CoverageBar
          share={c.voice.share}
          label={`windows with speech cover ${Math.round(c.voice.speechS)} s of ${Math.round(c.voice.durationS)} s (${pct(c.voice.share)})`}
        />
        {!c.voice.enough && c.voice.why && c.voice.why !== shortWhy(c.voice.why) && <span className="small muted why">{c.voice.why}</span>}
      </dd>
      <dt>Fused</dt>
      <dd data-testid="fused">
        <Estimate
          label={c.fused.label}
          why="too little data in both tracks"
          extra={
            c.fused.label
              ? `${c.fused.confidence !== null ? `(${pct(c.fused.confidence)}) ` : ''}${c.fused.tracks.length === 1 ? `from the ${c.fused.tracks[0]} only` : 'face + voice'}`
              : undefined
          }
        />
      </dd>
    </dl>
  );
}
