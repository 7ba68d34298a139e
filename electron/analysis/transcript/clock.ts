/**
 * Clock times as transcripts write them: 1:02:03.450, 01:02:03,450 (SRT), 02:03.450, 2:03, 00:00:05.
 * Minutes and seconds must be below 60 when hours (or minutes) are written before them. Null when it is not one.
 */
export function parseClock(s: string): number | null {
  const m = /^(?:(\d{1,3}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$/.exec(s.trim());
  if (!m) return null;
  const h = m[1] === undefined ? 0 : Number(m[1]);
  const min = Number(m[2]);
  const sec = Number(m[3]);
  if (sec >= 60 || (m[1] !== undefined && min >= 60)) return null;
  const frac = m[4] === undefined ? 0 : Number(m[4].padEnd(3, '0')) / 1000;
  return h * 3600 + min * 60 + sec + frac;
}

/** "start --> end [settings]" of a WebVTT or SRT cue: the two times, or a reason it is not valid. */
export function parseTimingLine(line: string): { startS: number; endS: number } | { problem: string } {
  const m = /^\s*(\S+)\s+-->\s+(\S+)(?:\s+.*)?$/.exec(line);
  if (!m) return { problem: `"${line.trim()}" is not a cue timing line (expected "00:00:01.000 --> 00:00:04.000")` };
  const startS = parseClock(m[1]);
  const endS = parseClock(m[2]);
  if (startS === null) return { problem: `the start time "${m[1]}" is not a time (expected 00:00:01.000)` };
  if (endS === null) return { problem: `the end time "${m[2]}" is not a time (expected 00:00:04.000)` };
  return { startS, endS };
}
