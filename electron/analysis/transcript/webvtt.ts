import { TranscriptError } from './cue.js';
import { parseTimingLine } from './clock.js';
import { applySpeakerPrefixes, splitVoiceSpans, type TextCue } from './speaker-text.js';

export interface ParsedCues {
  cues: TextCue[];
  warnings: string[];
}

interface Block {
  /** 1-based line of the block's first line. */
  line: number;
  lines: string[];
}

/** Blocks of non-blank lines. */
export function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') {
      current = null;
      return;
    }
    if (!current) blocks.push((current = { line: i + 1, lines: [] }));
    current.lines.push(raw);
  });
  return blocks;
}

/** A timing line, or a line meant as one ("00:00:01.000 -> 00:00:02.000"): parseTimingLine says what is wrong. */
export const looksLikeTiming = (line: string): boolean => line.includes('-->') || /^\s*(?:\d+:)?\d+:\d+(?:[.,]\d+)?\s*(?:-|–|—|>|$)/.test(line);

/**
 * WebVTT (W3C) as Zoom ("Name: text", numbered cues), Microsoft Teams (<v Name>…</v>, GUID cue ids) and Google
 * Meet write it. NOTE, STYLE and REGION blocks are skipped; cue settings are ignored; a malformed timing line
 * is an error with its line.
 */
export function parseWebVtt(text: string, file: string): ParsedCues {
  const blocks = blocksOf(text);
  const header = blocks[0];
  if (!header || !/^WEBVTT(?:[ \t].*)?$/.test(header.lines[0].replace(/^\uFEFF/, '')))
    throw new TranscriptError(file, header?.line ?? 1, 'a WebVTT file must start with "WEBVTT"');
  const cues: TextCue[] = [];
  const warnings: string[] = [];
  let emptyCues = 0;
  // The header block may run straight into the first cue when there is no blank line after it; that is malformed.
  if (header.lines.some((l) => l.includes('-->')))
    throw new TranscriptError(
      file,
      header.line + header.lines.findIndex((l) => l.includes('-->')),
      'a blank line must separate the WEBVTT header from the first cue',
    );
  for (const block of blocks.slice(1)) {
    const first = block.lines[0];
    if (/^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(first)) continue;
    const timingAt = looksLikeTiming(first) ? 0 : looksLikeTiming(block.lines[1] ?? '') ? 1 : -1;
    if (timingAt < 0)
      throw new TranscriptError(file, block.line, `"${first.trim().slice(0, 60)}" is neither a cue (no "-->" timing line) nor a NOTE`);
    const timing = parseTimingLine(block.lines[timingAt]);
    const line = block.line + timingAt;
    if ('problem' in timing) throw new TranscriptError(file, line, timing.problem);
    const payload = block.lines.slice(timingAt + 1).join('\n');
    const parts = splitVoiceSpans(payload);
    if (parts.length === 0) emptyCues++;
    for (const p of parts) cues.push({ ...timing, speaker: p.speaker, text: p.text, line });
  }
  if (emptyCues) warnings.push(`${emptyCues} cue${emptyCues > 1 ? 's' : ''} without text ${emptyCues > 1 ? 'were' : 'was'} skipped`);
  warnings.push(...applySpeakerPrefixes(cues));
  return { cues, warnings };
}
