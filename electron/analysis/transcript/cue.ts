/** One line of a transcript: who spoke (when the file says), from when to when, and what was said. */
export interface TranscriptCue {
  /** Seconds from the start of the recording. */
  startS: number;
  endS: number;
  /** The speaker's name as the transcript gives it; null when the file names nobody. */
  speaker: string | null;
  /** Plain text: markup removed, white space collapsed, never empty. */
  text: string;
  /** 1-based line in the source file where the cue starts (for messages and for going back to the file); null
   *  for ELAN files, whose annotations are addressed by tier and time. */
  line: number | null;
}

export type TranscriptFormat = 'webvtt' | 'srt' | 'timestamped-text' | 'eaf';

export interface Transcript {
  format: TranscriptFormat;
  /** How the bytes were decoded: 'utf-8', 'utf-16le', 'utf-16be' or 'windows-1252'. */
  encoding: string;
  /** In time order (by start, then end). */
  cues: TranscriptCue[];
  /** Distinct speaker names in order of first appearance. */
  speakers: string[];
  /** Things that were tolerated or estimated (never silently). */
  warnings: string[];
}

/** A transcript that cannot be read as it is. The message names the file and, where there is one, the line. */
export class TranscriptError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly problem: string,
  ) {
    super(`${file}${line !== null ? `, line ${line}` : ''}: ${problem}`);
    this.name = 'TranscriptError';
  }
}

/** Times as a person reads them in a message: 1:02:03.450 or 2:03.450. */
export function formatTimestamp(s: number): string {
  const ms = Math.round(s * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const sec = ((ms % 60_000) / 1000).toFixed(3).padStart(6, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
