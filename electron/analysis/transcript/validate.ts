import { formatTimestamp, TranscriptError, type TranscriptCue } from './cue.js';
import type { TextCue } from './speaker-text.js';

export interface TimingRules {
  /** The recording's length: cues starting after it are an error, cues running past it are cut at it. */
  durationS?: number;
  /** Same-speaker overlaps and backward steps up to this are rounding and are evened out (default 1 s). */
  toleranceS?: number;
}

const at = (c: TextCue) => (c.line !== null ? c.line : null);
const place = (c: TextCue) => (c.line !== null ? `line ${c.line}` : `${c.where ?? 'a cue'} at ${formatTimestamp(c.startS)}`);

function fail(file: string, c: TextCue, problem: string): never {
  throw new TranscriptError(file, at(c), c.line === null && c.where ? `${c.where}, ${formatTimestamp(c.startS)}: ${problem}` : problem);
}

/**
 * Checks every cue's times and puts the cues in time order. Errors (the whole file is refused): a time that
 * is not a finite number ≥ 0, a cue that ends before it starts, cues out of order by more than the tolerance,
 * a speaker's cue starting more than the tolerance before their previous cue ends (one person cannot say two
 * things at once; different speakers may overlap), a cue starting after the recording ends, no cue at all.
 * Smaller slips are evened out and counted in the warnings.
 */
export function checkTiming(file: string, input: readonly TextCue[], rules: TimingRules = {}): { cues: TranscriptCue[]; warnings: string[] } {
  const tol = rules.toleranceS ?? 1;
  const warnings: string[] = [];
  if (input.length === 0) throw new TranscriptError(file, null, 'no cues with text were found');
  input.forEach((c, k) => {
    if (!Number.isFinite(c.startS) || !Number.isFinite(c.endS) || c.startS < 0) fail(file, c, 'the cue has no valid time');
    if (c.endS < c.startS) fail(file, c, `the cue ends (${formatTimestamp(c.endS)}) before it starts (${formatTimestamp(c.startS)})`);
    const prev = input[k - 1];
    if (prev && c.line !== null && prev.line !== null && c.startS + tol < prev.startS)
      fail(
        file,
        c,
        `the cue starts at ${formatTimestamp(c.startS)}, before the cue on line ${prev.line} (${formatTimestamp(prev.startS)}): cues must be in time order`,
      );
  });
  const cues = input.map((c) => ({ ...c })).sort((a, b) => a.startS - b.startS || a.endS - b.endS);

  let clipped = 0;
  const lastOf = new Map<string | null, TextCue>();
  for (const c of cues) {
    const prev = lastOf.get(c.speaker);
    if (prev && c.startS < prev.endS) {
      if (prev.endS - c.startS > tol && c.startS > prev.startS)
        fail(
          file,
          c,
          `the cue (${formatTimestamp(c.startS)}–${formatTimestamp(c.endS)}) overlaps ${c.speaker ? `${c.speaker}'s` : 'the'} previous cue (${place(prev)}, ${formatTimestamp(prev.startS)}–${formatTimestamp(prev.endS)}) by ${(prev.endS - c.startS).toFixed(1)} s`,
        );
      if (c.startS === prev.startS && prev.endS - c.startS > tol)
        fail(
          file,
          c,
          `the cue starts at the same time as ${c.speaker ? `${c.speaker}'s` : 'the'} cue on ${place(prev)} (${formatTimestamp(c.startS)})`,
        );
      prev.endS = c.startS;
      clipped++;
    }
    lastOf.set(c.speaker, c);
  }
  if (clipped)
    warnings.push(
      `${clipped} cue${clipped > 1 ? 's' : ''} overlapping the same speaker's next cue by up to ${tol} s ${clipped > 1 ? 'were' : 'was'} cut where the next one starts`,
    );

  if (rules.durationS !== undefined) {
    const d = rules.durationS;
    let cut = 0;
    for (const c of cues) {
      if (c.startS > d + tol)
        fail(
          file,
          c,
          `the cue starts at ${formatTimestamp(c.startS)}, after the end of the recording (${formatTimestamp(d)}): is this the transcript of another recording?`,
        );
      if (c.endS > d) {
        c.endS = Math.max(c.startS, d);
        if (c.startS > d) c.startS = d;
        cut++;
      }
    }
    if (cut)
      warnings.push(
        `${cut} cue${cut > 1 ? 's' : ''} running past the end of the recording (${formatTimestamp(d)}) ${cut > 1 ? 'were' : 'was'} cut at the end`,
      );
  }
  return {
    cues: cues.map(({ startS, endS, speaker, text, line }) => ({ startS, endS, speaker, text, line })),
    warnings,
  };
}
