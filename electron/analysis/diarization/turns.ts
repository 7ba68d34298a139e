import type { TimeSpan } from './speech-segments.js';

/**
 * From labelled windows to speaking turns.
 * 1. `smoothLabels`: a Viterbi pass over the window sequence picks, for each window, the speaker that maximises
 *    Σ similarity(window, speaker) − switchPenalty × (number of speaker changes), where a change between windows of
 *    one speech segment costs the full penalty and a change across a pause costs less the longer the pause
 *    (penalty × e^(−pause / 1 s)): a speaker does not change every window, but does change at pauses.
 * 2. `labelSpeech`: every speech segment is split where its windows' speakers change (half-way between the two
 *    windows); a segment too short to have a window takes the speaker of the nearest window in time.
 */
export interface WindowRef {
  segment: number;
  startS: number;
  endS: number;
}

export interface SpeakerSpan extends TimeSpan {
  speaker: number;
}

export function smoothLabels(windows: readonly WindowRef[], scores: readonly Float64Array[], switchPenalty: number): Int32Array {
  const n = windows.length;
  if (n === 0) return new Int32Array(0);
  const k = scores[0].length;
  const back = Array.from({ length: n }, () => new Int32Array(k));
  let prev = Float64Array.from(scores[0]);
  for (let i = 1; i < n; i++) {
    const pause = Math.max(0, windows[i].startS - windows[i - 1].endS);
    const penalty = windows[i].segment === windows[i - 1].segment ? switchPenalty : switchPenalty * Math.exp(-pause);
    let bestPrev = 0;
    for (let j = 1; j < k; j++) if (prev[j] > prev[bestPrev]) bestPrev = j;
    const cur = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      const stay = prev[j];
      const move = prev[bestPrev] - penalty;
      if (stay >= move || bestPrev === j) {
        cur[j] = stay + scores[i][j];
        back[i][j] = j;
      } else {
        cur[j] = move + scores[i][j];
        back[i][j] = bestPrev;
      }
    }
    prev = cur;
  }
  const labels = new Int32Array(n);
  let last = 0;
  for (let j = 1; j < k; j++) if (prev[j] > prev[last]) last = j;
  labels[n - 1] = last;
  for (let i = n - 1; i > 0; i--) labels[i - 1] = back[i][labels[i]];
  return labels;
}

export function labelSpeech(
  segments: readonly TimeSpan[],
  windows: readonly WindowRef[],
  labels: ArrayLike<number>,
  opts: { minTurnS?: number } = {},
): SpeakerSpan[] {
  if (windows.length === 0) return [];
  const minTurn = opts.minTurnS ?? 0;
  const bySegment = new Map<number, number[]>();
  windows.forEach((w, i) => {
    const list = bySegment.get(w.segment) ?? [];
    list.push(i);
    bySegment.set(w.segment, list);
  });
  const out: SpeakerSpan[] = [];
  let cursor = 0; // windows are in time order: search the nearest one from here
  segments.forEach((seg, s) => {
    const mine = bySegment.get(s);
    if (!mine) {
      while (cursor + 1 < windows.length && windows[cursor + 1].startS <= seg.startS) cursor++;
      const candidates = [cursor, cursor + 1].filter((i) => i < windows.length);
      const distance = (i: number) => Math.max(0, windows[i].startS - seg.endS, seg.startS - windows[i].endS);
      const best = candidates.reduce((a, b) => (distance(b) < distance(a) ? b : a));
      out.push({ startS: seg.startS, endS: seg.endS, speaker: labels[best] });
      return;
    }
    // Pieces between speaker changes.
    const pieces: SpeakerSpan[] = [];
    let start = seg.startS;
    for (let j = 0; j < mine.length; j++) {
      const i = mine[j];
      const next = mine[j + 1];
      if (next !== undefined && labels[next] === labels[i]) continue;
      const end = next === undefined ? seg.endS : (windows[i].endS + windows[next].startS) / 2;
      pieces.push({ startS: start, endS: Math.max(start, Math.min(seg.endS, end)), speaker: labels[i] });
      start = Math.min(seg.endS, end);
    }
    // Pieces shorter than minTurnS join the longer neighbour.
    for (let changed = true; changed && pieces.length > 1;) {
      changed = false;
      for (let p = 0; p < pieces.length; p++) {
        if (pieces[p].endS - pieces[p].startS >= minTurn) continue;
        const left = pieces[p - 1];
        const right = pieces[p + 1];
        const into = !left ? right : !right ? left : left.endS - left.startS >= right.endS - right.startS ? left : right;
        if (into === left) left.endS = pieces[p].endS;
        else right.startS = pieces[p].startS;
        pieces.splice(p, 1);
        changed = true;
        break;
      }
    }
    const merged: SpeakerSpan[] = [];
    for (const p of pieces) {
      const last = merged[merged.length - 1];
      if (last && last.speaker === p.speaker) last.endS = p.endS;
      else merged.push({ ...p });
    }
    out.push(...merged);
  });
  return out;
}
