import { useRef, useState } from 'react';
import { formatEta, pct } from '../../labels';
import type { TranscriptState } from './useTranscript';

/** Transcript files the importer reads (transcript/read-transcript.ts TRANSCRIPT_EXTENSIONS). */
export const TRANSCRIPT_ACCEPT = '.vtt,.srt,.eaf,.txt';

/**
 * Attach (or replace) the session's transcript from a file the user picks: uploaded in browser mode, read in place in
 * the app. Replacing asks first. While it is read and estimated: progress with an ETA, and Cancel (nothing is stored).
 */
export function AttachTranscript({ state, replace, compact = false }: { state: TranscriptState; replace: boolean; compact?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState<File | null>(null);
  const a = state.attaching;
  const start = (file: File) => void state.attach({ path: null, file, name: file.name }, replace);

  if (a)
    return (
      <span className="attach-progress small" role="status" data-testid="attach-progress">
        Reading {a.name}… <progress value={a.status?.fraction ?? 0} max={1} aria-label={`Reading ${a.name}`} /> {pct(a.status?.fraction ?? 0)} ·{' '}
        {a.status?.stage ?? 'uploading'} · {formatEta(a.status?.etaS ?? null)}{' '}
        <button type="button" className="secondary" onClick={state.cancel}>
          Cancel
        </button>
      </span>
    );
  if (pending)
    return (
      <span className="row tight small" role="group" aria-label="Replace the transcript">
        Replace the transcript with {pending.name}? Speaker names and hand-made mappings carry over by name.
        <button type="button" onClick={() => (start(pending), setPending(null))}>
          Replace
        </button>
        <button type="button" className="secondary" onClick={() => setPending(null)}>
          Keep the current one
        </button>
      </span>
    );
  return (
    <>
      <button type="button" className={compact ? 'secondary' : undefined} onClick={() => (state.clearError(), input.current?.click())}>
        {replace ? 'Replace…' : 'Attach a transcript…'}
      </button>
      <input
        ref={input}
        type="file"
        hidden
        accept={TRANSCRIPT_ACCEPT}
        data-testid="transcript-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (!file) return;
          if (replace) setPending(file);
          else start(file);
        }}
      />
      {!compact && state.error && (
        <p className="error small" role="alert">
          {state.error}
        </p>
      )}
    </>
  );
}
