import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ProgressListener } from '../progress.js';
import type { TextEmotionModel, TextEstimate } from '../text/text-model.js';
import type { Transcript, TranscriptFormat } from './cue.js';
import { estimateLines } from './cue-estimates.js';
import { parseTranscript, readTranscriptBytes } from './read-transcript.js';

/** The text model as a stored result names it. */
export interface TextModelRef {
  role: 'text-emotion';
  id: string;
  version: string;
  sha256: string;
  task: 'text-emotion';
  labels: string[];
}

/** A transcript read, checked against the recording's length, and estimated line by line: ready to store. */
export interface PreparedTranscript {
  /** The file's base name (the folder is never stored). */
  fileName: string;
  /** sha256 of the file's bytes. */
  sha256: string;
  transcript: Transcript;
  /** One per cue, in order; null when no text model was given. */
  estimates: TextEstimate[] | null;
  model: TextModelRef | null;
}

export interface PrepareOptions {
  /** The recording's length: cues past it follow the readers' rules (validate.ts). */
  durationS: number;
  /** The text model for per-line estimates (null: store the words without estimates). */
  model: TextEmotionModel | null;
  /** How messages name the file (default: the path as given). */
  name?: string;
  format?: TranscriptFormat;
  /** ELAN only: the tiers to read. */
  tiers?: readonly string[];
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export function textModelRef(model: TextEmotionModel): TextModelRef {
  const m = model.manifest;
  return { role: 'text-emotion', id: m.id, version: m.version, sha256: m.sha256, task: 'text-emotion', labels: [...m.labels] };
}

/**
 * Read a transcript file for a recording of `durationS` seconds (throws TranscriptError naming the file and the line
 * for anything that cannot be read), then estimate each line with the text model (progress, cancellable).
 */
export async function prepareTranscript(file: string, opts: PrepareOptions): Promise<PreparedTranscript> {
  const name = opts.name ?? file;
  const bytes = readTranscriptBytes(file, name);
  const transcript = parseTranscript(bytes, name, { durationS: opts.durationS, format: opts.format, tiers: opts.tiers });
  const estimates = opts.model
    ? await estimateLines(
        opts.model,
        transcript.cues.map((c) => c.text),
        { signal: opts.signal, onProgress: opts.onProgress },
      )
    : null;
  return {
    fileName: path.basename(file),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    transcript,
    estimates,
    model: opts.model ? textModelRef(opts.model) : null,
  };
}
