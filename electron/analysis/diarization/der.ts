/**
 * Diarization error rate, as NIST md-eval scores it, on a 10 ms grid:
 *   DER = (missed speech + false alarm + speaker confusion) / reference speech time,
 * where at each instant with reference speakers R and hypothesis speakers H:
 *   missed = max(0, |R| − |H|), false alarm = max(0, |H| − |R|), confusion = min(|R|, |H|) − (correctly mapped),
 * and the hypothesis → reference speaker mapping is the one-to-one mapping that maximises the matched time
 * (Hungarian algorithm). Overlapped reference speech counts once per speaker. With a collar, the time within
 * `collarS` of any reference segment boundary is not scored (the usual 0.25 s forgives boundary placement).
 */
export interface LabelledSpan {
  startS: number;
  endS: number;
  speaker: string | number;
}

export interface DerResult {
  /** Scored reference speech time, seconds (a speaker-second per speaker when speakers overlap). */
  referenceS: number;
  missedS: number;
  falseAlarmS: number;
  confusionS: number;
  der: number;
  missed: number;
  falseAlarm: number;
  confusion: number;
  /** hypothesis speaker → reference speaker (unmatched hypothesis speakers are left out). */
  mapping: Record<string, string>;
  referenceSpeakers: number;
  hypothesisSpeakers: number;
}

const STEP = 0.01;

function speakerIndex(spans: LabelledSpan[]): Map<string, number> {
  const ids = new Map<string, number>();
  for (const s of spans) if (!ids.has(String(s.speaker))) ids.set(String(s.speaker), ids.size);
  return ids;
}

/** Bit mask of active speakers per 10 ms step (up to 31 speakers per side). */
function rasterise(spans: LabelledSpan[], ids: Map<string, number>, steps: number): Uint32Array {
  if (ids.size > 31) throw new Error(`at most 31 speakers can be scored, got ${ids.size}`);
  const grid = new Uint32Array(steps);
  for (const s of spans) {
    const bit = 1 << ids.get(String(s.speaker))!;
    const a = Math.max(0, Math.round(s.startS / STEP));
    const b = Math.min(steps, Math.round(s.endS / STEP));
    for (let t = a; t < b; t++) grid[t] |= bit;
  }
  return grid;
}

const popcount = (x: number) => {
  let n = 0;
  while (x) {
    x &= x - 1;
    n++;
  }
  return n;
};

/** Maximum-weight one-to-one assignment of rows to columns (Hungarian algorithm on a square cost matrix). */
export function maxWeightMatching(weights: number[][]): number[] {
  const rows = weights.length;
  const cols = rows ? weights[0].length : 0;
  const n = Math.max(rows, cols);
  let max = 0;
  for (const r of weights) for (const w of r) max = Math.max(max, w);
  const cost = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i < rows && j < cols ? max - weights[i][j] : max)));
  // Jonker-Volgenant style O(n³) with potentials (1-based arrays).
  const u = new Array(n + 1).fill(0);
  const v = new Array(n + 1).fill(0);
  const p = new Array(n + 1).fill(0);
  const way = new Array(n + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array(n + 1).fill(Infinity);
    const used = new Array(n + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0);
  }
  const assignment = new Array(rows).fill(-1);
  for (let j = 1; j <= n; j++) if (p[j] - 1 < rows && j - 1 < cols) assignment[p[j] - 1] = j - 1;
  return assignment;
}

export function diarizationError(reference: LabelledSpan[], hypothesis: LabelledSpan[], opts: { collarS?: number } = {}): DerResult {
  const collar = opts.collarS ?? 0;
  const end = Math.max(0, ...reference.map((s) => s.endS), ...hypothesis.map((s) => s.endS));
  const steps = Math.ceil(end / STEP) + 1;
  const refIds = speakerIndex(reference);
  const hypIds = speakerIndex(hypothesis);
  const ref = rasterise(reference, refIds, steps);
  const hyp = rasterise(hypothesis, hypIds, steps);
  const scored = new Uint8Array(steps).fill(1);
  if (collar > 0) {
    const c = Math.round(collar / STEP);
    for (const s of reference) {
      for (const edge of [Math.round(s.startS / STEP), Math.round(s.endS / STEP)]) {
        for (let t = Math.max(0, edge - c); t < Math.min(steps, edge + c); t++) scored[t] = 0;
      }
    }
  }
  // Co-occurrence time of each (hypothesis, reference) pair over scored steps.
  const co = Array.from({ length: hypIds.size }, () => new Array(refIds.size).fill(0));
  let refTime = 0;
  let missed = 0;
  let fa = 0;
  let bothMin = 0;
  for (let t = 0; t < steps; t++) {
    if (!scored[t]) continue;
    const r = ref[t];
    const h = hyp[t];
    const nr = popcount(r);
    const nh = popcount(h);
    refTime += nr;
    missed += Math.max(0, nr - nh);
    fa += Math.max(0, nh - nr);
    bothMin += Math.min(nr, nh);
    if (r && h) {
      for (let i = 0; i < hypIds.size; i++) {
        if (!(h & (1 << i))) continue;
        for (let j = 0; j < refIds.size; j++) if (r & (1 << j)) co[i][j]++;
      }
    }
  }
  const assignment = hypIds.size && refIds.size ? maxWeightMatching(co) : [];
  let correct = 0;
  const refNames = [...refIds.keys()];
  const mapping: Record<string, string> = {};
  [...hypIds.keys()].forEach((name, i) => {
    const j = assignment[i];
    if (j !== undefined && j >= 0 && co[i][j] > 0) {
      correct += co[i][j];
      mapping[name] = refNames[j];
    }
  });
  const confusion = bothMin - correct;
  const s = (n: number) => n * STEP;
  const ratio = (n: number) => (refTime > 0 ? n / refTime : 0);
  return {
    referenceS: s(refTime),
    missedS: s(missed),
    falseAlarmS: s(fa),
    confusionS: s(confusion),
    der: ratio(missed + fa + confusion),
    missed: ratio(missed),
    falseAlarm: ratio(fa),
    confusion: ratio(confusion),
    mapping,
    referenceSpeakers: refIds.size,
    hypothesisSpeakers: hypIds.size,
  };
}
