import { memo, useEffect, useRef } from 'react';
import { LABEL_COLORS, pct } from '../../labels';
import { clockLabel } from '../timeline/time-view';
import { EraseButton } from '../../vault/EraseButton';
import { AttachTranscript } from './AttachTranscript';
import './transcript.css';
import { cueAt } from './cue-at';
import type { TranscriptCue, TranscriptState } from './useTranscript';

/** A line's estimate in words, with its colour (hatched when uncertain): never colour alone. */
export function TextEstimate({ cue }: { cue: Pick<TranscriptCue, 'label' | 'confidence' | 'top'> }) {
  if (cue.confidence === null) return <span className="cue-estimate none">no words to read</span>;
  return (
    <span className={`cue-estimate${cue.label ? '' : ' uncertain'}`}>
      <i
        className={`swatch${cue.label ? '' : ' uncertain'}`}
        style={cue.label ? { background: LABEL_COLORS[cue.label] ?? '#8a8a8a' } : undefined}
        aria-hidden="true"
      />
      {cue.label ?? `uncertain (${cue.top}?)`} {pct(cue.confidence)}
    </span>
  );
}

const Line = memo(function Line({ cue, current, onSeek }: { cue: TranscriptCue; current: boolean; onSeek: (t: number) => void }) {
  return (
    <li
      className={current ? 'cue current' : 'cue'}
      data-cue={cue.id}
      aria-current={current ? 'true' : undefined}
      style={cue.label ? { borderLeftColor: LABEL_COLORS[cue.label] } : undefined}
    >
      <button type="button" className="cue-button" onClick={() => onSeek(cue.start)}>
        <span className="cue-head">
          <span className="cue-time">{clockLabel(cue.start, 1)}</span>
          {cue.speaker && <span className="cue-speaker">{cue.speaker}</span>}
          <TextEstimate cue={cue} />
        </span>
        <span className="cue-text">{cue.text}</span>
      </button>
    </li>
  );
});

/**
 * The transcript beside the video: every line with its speaker and the text model's estimate (colour and the label in
 * words), the line being said highlighted and kept in view as the recording plays; a click on a line seeks there.
 */
export function TranscriptPanel({ state, time, onSeek }: { state: TranscriptState; time: number; onSeek: (t: number) => void }) {
  const t = state.transcript;
  const list = useRef<HTMLOListElement>(null);
  const current = t ? cueAt(t.cues, time) : null;
  const currentId = current?.id ?? null;

  // Keep the current line in view, scrolling the list only (never the page).
  useEffect(() => {
    const box = list.current;
    if (!box || currentId === null) return;
    const el = box.querySelector<HTMLElement>(`[data-cue="${currentId}"]`);
    if (!el) return;
    const top = el.offsetTop - box.offsetTop;
    if (top < box.scrollTop || top + el.offsetHeight > box.scrollTop + box.clientHeight)
      box.scrollTo({ top: Math.max(0, top - box.clientHeight / 3) });
  }, [currentId]);

  if (!t) return null;
  return (
    <div className="card transcript-panel" role="region" aria-label="Transcript">
      <div className="transcript-head row tight">
        <h2>Transcript</h2>
        <span className="small muted" data-testid="transcript-source">
          {t.fileName} · {t.cues.length} lines
        </span>
        <span className="spacer" />
        <AttachTranscript state={state} replace compact />
        <EraseButton target={{ kind: 'transcript', id: t.id }} name={`the transcript ${t.fileName}`} label="Erase…" onErased={state.reload} />
      </div>
      {state.error && (
        <p className="error small" role="alert">
          {state.error}
        </p>
      )}
      <ol className="cues" ref={list} tabIndex={-1} aria-label="Transcript lines (click one to go there)" data-testid="transcript-lines">
        {t.cues.map((c) => (
          <Line key={c.id} cue={c} current={c.id === currentId} onSeek={onSeek} />
        ))}
      </ol>
    </div>
  );
}

/** In the summary, for a session without a transcript: what one brings, and the way to attach it. */
export function NoTranscript({ state }: { state: TranscriptState }) {
  if (state.transcript !== null) return null;
  return (
    <div className="no-transcript" data-testid="no-transcript">
      <p className="small muted">
        <strong>No transcript.</strong> A WebVTT or SRT file from Zoom, Teams or Meet, a text file with times, or an ELAN file: its lines show beside
        the video in step with it, each with the text model&apos;s estimate, and become searchable on the client&apos;s page.
      </p>
      <AttachTranscript state={state} replace={false} />
    </div>
  );
}
