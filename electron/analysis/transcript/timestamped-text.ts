import { TranscriptError } from './cue.js';
import { parseClock } from './clock.js';
import { collapseSpace, splitSpeakerPrefix, type TextCue } from './speaker-text.js';
import type { ParsedCues } from './webvtt.js';

/**
 * Plain-text transcripts with timestamps, as people and tools write them:
 *   [00:01:02] Name: text        (00:01:02) Name: text       00:01:02 Name: text      1:02 - Name: text
 *   Name [00:01:02]: text        Name (1:02): text
 *   Name  0:03                   (Otter .txt: name, two spaces, time; the text on the following lines)
 *   00:05:00                     (Google Meet transcript: a time on its own line, then "Name: text" lines)
 * A line without a time continues the text of the cue before it. Lines before the first time (a title, a date,
 * the attendees) are skipped with a warning. A cue ends where the next one starts; the last one lasts as long as
 * its words take to say (0.4 s a word, at least 2 s). Several lines under one time share the time up to the next
 * one in proportion to their length.
 */
const TIME = String.raw`(?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?`;
const TIME_FIRST = new RegExp(String.raw`^[\[(]?(${TIME})[\])]?\s*(?:[-–—|]\s*)?(.*)$`);
const NAME_THEN_TIME = new RegExp(String.raw`^([\p{L}][^\[\]():]{0,47}?)\s*[\[(](${TIME})[\])]\s*:?\s*(.*)$`, 'u');
const OTTER_HEADER = new RegExp(String.raw`^([\p{L}][^:]{0,47}?)\s{2,}(${TIME})\s*$`, 'u');
const SECONDS_PER_WORD = 0.4;
const MIN_LAST_CUE_S = 2;

interface Pending {
  startS: number;
  line: number;
  speaker: string | null;
  text: string;
  /** Lines under a bare time (Google Meet) share that time; index within the group. */
  group: number;
}

export function parseTimestampedText(text: string, file: string): ParsedCues {
  const lines = text.split('\n');
  const pending: Pending[] = [];
  const warnings: string[] = [];
  let skippedHeader = 0;
  let bareTime: { t: number; line: number; group: number } | null = null;
  let groups = 0;
  let lastTime = -Infinity;
  let lastTimeLine = 0;
  let sawTime = false;

  const checkOrder = (t: number, line: number) => {
    if (t + 1 < lastTime)
      throw new TranscriptError(
        file,
        line,
        `the time ${lines[line - 1].trim().slice(0, 40)} goes back before the time on line ${lastTimeLine}: times must not decrease`,
      );
    lastTime = Math.max(lastTime, t);
    lastTimeLine = line;
    sawTime = true;
  };
  const startCue = (startS: number, line: number, rest: string, group: number) => {
    const named = splitSpeakerPrefix(rest);
    pending.push({ startS, line, speaker: named?.speaker ?? null, text: named ? named.text : rest, group });
  };

  lines.forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim();
    if (!s) return;
    let m: RegExpExecArray | null;
    if ((m = TIME_FIRST.exec(s)) && parseClock(m[1]) !== null) {
      const t = parseClock(m[1])!;
      checkOrder(t, line);
      if (m[2].trim() === '') {
        bareTime = { t, line, group: ++groups };
        return;
      }
      bareTime = null;
      startCue(t, line, m[2].trim(), 0);
    } else if ((m = OTTER_HEADER.exec(s)) && parseClock(m[2]) !== null) {
      const t = parseClock(m[2])!;
      checkOrder(t, line);
      bareTime = null;
      pending.push({ startS: t, line, speaker: collapseSpace(m[1]), text: '', group: 0 });
    } else if ((m = NAME_THEN_TIME.exec(s)) && parseClock(m[2]) !== null) {
      const t = parseClock(m[2])!;
      checkOrder(t, line);
      bareTime = null;
      pending.push({ startS: t, line, speaker: collapseSpace(m[1]), text: m[3].trim(), group: 0 });
    } else if (!sawTime) {
      skippedHeader++;
    } else if (bareTime && splitSpeakerPrefix(s)) {
      startCue(bareTime.t, line, s, bareTime.group);
    } else {
      const last = pending[pending.length - 1];
      if (last) last.text = last.text ? `${last.text} ${s}` : s;
      else if (bareTime) startCue(bareTime.t, line, s, bareTime.group);
    }
  });
  if (!sawTime)
    throw new TranscriptError(file, 1, 'no timestamps found: expected lines such as "[00:01:02] Name: text", or a WebVTT, SRT or ELAN file');
  if (skippedHeader)
    warnings.push(
      `${skippedHeader} line${skippedHeader > 1 ? 's' : ''} before the first timestamp (title, date, attendees) ${skippedHeader > 1 ? 'were' : 'was'} skipped`,
    );

  // Google Meet groups: lines sharing one time split the span up to the next time by their length.
  const starts = [...new Set(pending.map((p) => p.startS))].sort((a, b) => a - b);
  const nextTimeAfter = (t: number) => starts.find((x) => x > t);
  let estimatedGroups = 0;
  for (let k = 0; k < pending.length;) {
    const g = pending[k].group;
    let j = k + 1;
    while (g !== 0 && j < pending.length && pending[j].group === g) j++;
    if (j - k > 1) {
      estimatedGroups++;
      const t0 = pending[k].startS;
      const t1 =
        nextTimeAfter(t0) ?? t0 + pending.slice(k, j).reduce((a, p) => a + Math.max(MIN_LAST_CUE_S, p.text.split(' ').length * SECONDS_PER_WORD), 0);
      const total = pending.slice(k, j).reduce((a, p) => a + p.text.length + 1, 0);
      let acc = 0;
      for (let q = k; q < j; q++) {
        pending[q].startS = t0 + ((t1 - t0) * acc) / total;
        acc += pending[q].text.length + 1;
      }
    }
    k = j;
  }
  if (estimatedGroups)
    warnings.push(
      `${estimatedGroups} timestamp${estimatedGroups > 1 ? 's' : ''} head several lines; those lines' times are estimated from their length`,
    );

  const cues: TextCue[] = [];
  let empty = 0;
  pending.forEach((p, k) => {
    const text = collapseSpace(p.text);
    if (!text) {
      empty++;
      return;
    }
    const next = pending.slice(k + 1).find((q) => q.startS > p.startS);
    const endS = next ? next.startS : p.startS + Math.max(MIN_LAST_CUE_S, text.split(' ').length * SECONDS_PER_WORD);
    cues.push({ startS: p.startS, endS, speaker: p.speaker, text, line: p.line });
  });
  if (empty) warnings.push(`${empty} timestamp${empty > 1 ? 's' : ''} without text ${empty > 1 ? 'were' : 'was'} skipped`);
  if (cues.length) warnings.push('plain text gives start times only: each line ends where the next one starts');
  return { cues, warnings };
}
