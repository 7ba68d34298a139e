/**
 * Shared pieces of the severity-band estimator's training and evaluation (native-models/dass-severity-rf):
 * a seeded random source, the split by respondent, random masking, the simple baselines and the metrics.
 * Kept here (type-checked, imported by the training script and the tests) so the figures in the model card
 * can be recomputed by the test suite.
 */
import { seededRandom, shuffled } from '../random.js';
import { BANDS, SUBSCALE_ITEMS, bandFor, type Answer, type Subscale } from '../../contract/shared/dass-score.js';
import { otherSubscales } from './severity-features.js';

export { seededRandom };

export interface Respondent {
  id: string;
  answers: Answer[];
}

export interface RespondentSplit {
  train: Respondent[];
  validation: Respondent[];
  test: Respondent[];
}

/** Split by respondent (ids sorted first so the split does not depend on file order): 70 / 15 / 15 %. */
export function splitRespondents(respondents: readonly Respondent[], seed: number): RespondentSplit {
  const sorted = respondents.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const order = shuffled(sorted, seededRandom(seed));
  const nTrain = Math.round(order.length * 0.7);
  const nVal = Math.round(order.length * 0.15);
  return { train: order.slice(0, nTrain), validation: order.slice(nTrain, nTrain + nVal), test: order.slice(nTrain + nVal) };
}

/** ×2 score of a complete subscale. */
export function fullScore(answers: readonly Answer[], subscale: Subscale): number {
  let sum = 0;
  for (const item of SUBSCALE_ITEMS[subscale]) {
    const a = answers[item - 1];
    if (a === null) throw new Error(`item ${item} is missing; fullScore needs complete answers`);
    sum += a;
  }
  return 2 * sum;
}

export function bandIndex(subscale: Subscale, score: number): number {
  return BANDS.indexOf(bandFor(subscale, score));
}

/** Copy of `answers` with `k` random items of `target` removed (and optionally `extraOther` random items elsewhere). */
export function maskAnswers(answers: readonly Answer[], target: Subscale, k: number, random: () => number, extraOther = 0): Answer[] {
  const out = answers.slice();
  for (const item of shuffled(SUBSCALE_ITEMS[target], random).slice(0, k)) out[item - 1] = null;
  if (extraOther > 0) {
    const others = otherSubscales(target).flatMap((s) => SUBSCALE_ITEMS[s]);
    for (const item of shuffled(others, random).slice(0, extraOther)) out[item - 1] = null;
  }
  return out;
}

export interface MaskedCase {
  respondentId: string;
  target: Subscale;
  missing: number;
  answers: Answer[];
  /** True band index (0..4) from the complete answers. */
  truth: number;
}

/** `masksPerRespondent` random masks of exactly `k` items of `target` per respondent; other subscales complete. */
export function maskedCases(respondents: readonly Respondent[], target: Subscale, k: number, masksPerRespondent: number, seed: number): MaskedCase[] {
  const random = seededRandom(seed);
  const out: MaskedCase[] = [];
  for (const r of respondents) {
    const truth = bandIndex(target, fullScore(r.answers, target));
    for (let m = 0; m < masksPerRespondent; m++)
      out.push({ respondentId: r.id, target, missing: k, answers: maskAnswers(r.answers, target, k, random), truth });
  }
  return out;
}

// ---------------------------------------------------------------- baselines

/** Baseline "prorate": the answered items of the subscale scaled to seven (half up); null when none is answered. */
export function prorateBaseline(answers: readonly Answer[], target: Subscale): number | null {
  let n = 0;
  let sum = 0;
  for (const item of SUBSCALE_ITEMS[target]) {
    const a = answers[item - 1];
    if (a !== null) {
      n++;
      sum += a;
    }
  }
  if (n === 0) return null;
  // round(2 × sum × 7 / n), half up, in integers; for n = 6 this is exactly proratedScore(sum).
  return bandIndex(target, Math.floor((28 * sum + n) / (2 * n)));
}

/** Least-squares line: target ×2 score from the two other subscales' ×2 scores (plus intercept). */
export interface OtherSubscalesModel {
  target: Subscale;
  coefficients: [number, number, number];
}

export function fitOtherSubscales(respondents: readonly Respondent[], target: Subscale): OtherSubscalesModel {
  const [s1, s2] = otherSubscales(target);
  const X = respondents.map((r) => [1, fullScore(r.answers, s1), fullScore(r.answers, s2)]);
  const y = respondents.map((r) => fullScore(r.answers, target));
  return { target, coefficients: leastSquares3(X, y) };
}

/** Baseline "other subscales": needs the two other subscales complete (true in the evaluation cases). */
export function otherSubscalesBaseline(model: OtherSubscalesModel, answers: readonly Answer[]): number {
  const [s1, s2] = otherSubscales(model.target);
  const [b0, b1, b2] = model.coefficients;
  const predicted = b0 + b1 * fullScore(answers, s1) + b2 * fullScore(answers, s2);
  return bandIndex(model.target, Math.max(0, Math.min(42, Math.round(predicted))));
}

export function majorityBand(respondents: readonly Respondent[], target: Subscale): number {
  const counts = new Array<number>(BANDS.length).fill(0);
  for (const r of respondents) counts[bandIndex(target, fullScore(r.answers, target))]++;
  return counts.indexOf(Math.max(...counts));
}

function leastSquares3(X: number[][], y: number[]): [number, number, number] {
  // Normal equations (XᵀX) b = Xᵀy, solved by Gaussian elimination with partial pivoting.
  const A = [0, 1, 2].map((i) => [0, 1, 2].map((j) => X.reduce((s, row) => s + row[i] * row[j], 0)));
  const b = [0, 1, 2].map((i) => X.reduce((s, row, r) => s + row[i] * y[r], 0));
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    [b[c], b[p]] = [b[p], b[c]];
    for (let r = c + 1; r < 3; r++) {
      const f = A[r][c] / A[c][c];
      for (let k = c; k < 3; k++) A[r][k] -= f * A[c][k];
      b[r] -= f * b[c];
    }
  }
  const x = [0, 0, 0];
  for (let r = 2; r >= 0; r--) x[r] = (b[r] - A[r].slice(r + 1).reduce((s, v, k) => s + v * x[r + 1 + k], 0)) / A[r][r];
  return [x[0], x[1], x[2]];
}

// ---------------------------------------------------------------- metrics

export interface BandMetrics {
  n: number;
  accuracy: number;
  macroF1: number;
  withinOne: number;
}

/** Accuracy, macro-F1 over the bands that occur in truth or prediction, and |pred - truth| <= 1 rate. */
export function bandMetrics(truth: readonly number[], predicted: readonly number[]): BandMetrics {
  if (truth.length !== predicted.length || truth.length === 0) throw new Error('bandMetrics needs two equal, non-empty lists');
  let correct = 0;
  let near = 0;
  const classes = new Set<number>([...truth, ...predicted]);
  for (let i = 0; i < truth.length; i++) {
    if (truth[i] === predicted[i]) correct++;
    if (Math.abs(truth[i] - predicted[i]) <= 1) near++;
  }
  let f1Sum = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < truth.length; i++) {
      if (predicted[i] === c && truth[i] === c) tp++;
      else if (predicted[i] === c) fp++;
      else if (truth[i] === c) fn++;
    }
    f1Sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return { n: truth.length, accuracy: correct / truth.length, macroF1: f1Sum / classes.size, withinOne: near / truth.length };
}

/**
 * Paired bootstrap over respondents (all masks of a respondent move together) of accuracy(A) - accuracy(B).
 * Returns the observed difference and the 2.5 / 5 / 95 / 97.5 % percentiles.
 */
export function pairedBootstrapAccuracyDiff(
  cases: readonly MaskedCase[],
  predA: readonly number[],
  predB: readonly number[],
  seed: number,
  resamples = 1000,
): { diff: number; p025: number; p05: number; p95: number; p975: number } {
  const byRespondent = new Map<string, { n: number; a: number; b: number }>();
  cases.forEach((c, i) => {
    const g = byRespondent.get(c.respondentId) ?? { n: 0, a: 0, b: 0 };
    g.n++;
    if (predA[i] === c.truth) g.a++;
    if (predB[i] === c.truth) g.b++;
    byRespondent.set(c.respondentId, g);
  });
  const groups = [...byRespondent.values()];
  const total = groups.reduce((s, g) => s + g.n, 0);
  const diff = groups.reduce((s, g) => s + g.a - g.b, 0) / total;
  const random = seededRandom(seed);
  const diffs: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let n = 0;
    let d = 0;
    for (let i = 0; i < groups.length; i++) {
      const g = groups[Math.floor(random() * groups.length)];
      n += g.n;
      d += g.a - g.b;
    }
    diffs.push(d / n);
  }
  diffs.sort((x, y) => x - y);
  const q = (p: number) => diffs[Math.min(diffs.length - 1, Math.floor(p * diffs.length))];
  return { diff, p025: q(0.025), p05: q(0.05), p95: q(0.95), p975: q(0.975) };
}
