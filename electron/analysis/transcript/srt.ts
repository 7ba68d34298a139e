import { TranscriptError } from './cue.js';
import { parseTimingLine } from './clock.js';
import { applySpeakerPrefixes, stripMarkup, type TextCue } from './speaker-text.js';
import { blocksOf, looksLikeTiming, type ParsedCues } from './webvtt.js';

/**
 * SubRip (.srt) as Zoom, Otter and others export it: a cue number, "00:00:01,000 --> 00:00:04,000", text lines
 * (speakers as "Name: text"). A missing cue number is tolerated; a malformed timing line is an error with its line.
 */
export function parseSrt(text: string, file: string): ParsedCues {
  const cues: TextCue[] = [];
  let emptyCues = 0;
  for (const block of blocksOf(text)) {
    const first = block.lines[0].trim();
    let timingAt: number;
    if (looksLikeTiming(first)) timingAt = 0;
    else if (/^\d+$/.test(first)) {
      if (block.lines.length < 2) throw new TranscriptError(file, block.line, `cue ${first} has no timing line`);
      timingAt = 1;
    } else
      throw new TranscriptError(
        file,
        block.line,
        `"${first.slice(0, 60)}" is not an SRT cue (expected a cue number, then "00:00:01,000 --> 00:00:04,000")`,
      );
    const line = block.line + timingAt;
    const timing = parseTimingLine(block.lines[timingAt]);
    if ('problem' in timing) throw new TranscriptError(file, line, timing.problem);
    const body = stripMarkup(block.lines.slice(timingAt + 1).join('\n'));
    if (!body) {
      emptyCues++;
      continue;
    }
    cues.push({ ...timing, speaker: null, text: body, line });
  }
  const warnings = emptyCues ? [`${emptyCues} cue${emptyCues > 1 ? 's' : ''} without text ${emptyCues > 1 ? 'were' : 'was'} skipped`] : [];
  warnings.push(...applySpeakerPrefixes(cues));
  return { cues, warnings };
}
