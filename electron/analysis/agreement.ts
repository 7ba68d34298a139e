/**
 * Agreement between two labellings of the same recording (two annotators, or an annotator and the model).
 *
 * Unit of comparison: time slices of `sliceS` seconds (default 0.1 s) from 0 to the recording's duration.
 * A slice's label in a track is the label of the segment covering the slice's midpoint (segments are
 * half-open, [start, end)). Only slices that BOTH tracks label are compared; the result says how many
 * slices there were and how many were compared. Cohen's kappa: κ = (pₒ − pₑ) / (1 − pₑ) with pₒ the
 * observed agreement and pₑ the agreement expected from each track's label shares (Cohen 1960).
 * Pooled ("project") figures add the sessions' confusion matrices and compute the figures on the sum.
 */

export interface LabelledSpan {
  start: number;
  end: number;
  label: string;
}

export const DEFAULT_SLICE_S = 0.1;

export interface AgreementUnit {
  kind: 'time-slice';
  sliceS: number;
  rule: string;
}

export interface Agreement {
  unit: AgreementUnit;
  /** Slices the recording was cut into. */
  slicesTotal: number;
  /** Slices both tracks label: the ones compared. */
  slicesCompared: number;
  slicesOnlyA: number;
  slicesOnlyB: number;
  /** Share of compared slices with the same label; null when nothing was compared. */
  percentAgreement: number | null;
  /** Cohen's kappa; null when nothing was compared or chance agreement is 1 (both tracks use one and the same label). */
  kappa: number | null;
  expectedAgreement: number | null;
  /** Row = track A's label, column = track B's label, counts of slices. */
  labels: string[];
  matrix: number[][];
}

const UNIT_RULE = "label at each slice's midpoint; segments are [start, end); only slices both tracks label are compared";

export function agreementUnit(sliceS = DEFAULT_SLICE_S): AgreementUnit {
  if (!(Number.isFinite(sliceS) && sliceS > 0)) throw new Error(`slice length must be a positive number of seconds, got ${sliceS}`);
  return { kind: 'time-slice', sliceS, rule: UNIT_RULE };
}

/** The label at each slice midpoint, null where no segment covers it. Spans must not overlap. */
export function sliceLabels(spans: readonly LabelledSpan[], durationS: number, sliceS = DEFAULT_SLICE_S): Array<string | null> {
  agreementUnit(sliceS);
  const n = Math.max(0, Math.ceil(durationS / sliceS - 1e-9));
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Array<string | null> = new Array(n).fill(null);
  let j = 0;
  for (let k = 0; k < n; k++) {
    const mid = (k + 0.5) * sliceS;
    while (j < sorted.length && sorted[j].end <= mid) j++;
    if (j < sorted.length && sorted[j].start <= mid && mid < sorted[j].end) out[k] = sorted[j].label;
  }
  return out;
}

/** Cohen's kappa, observed and expected agreement of a square confusion matrix of counts. */
export function kappaFromMatrix(matrix: readonly (readonly number[])[]): {
  n: number;
  observed: number | null;
  expected: number | null;
  kappa: number | null;
} {
  const k = matrix.length;
  const n = matrix.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  if (n === 0) return { n, observed: null, expected: null, kappa: null };
  let diag = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    diag += matrix[i][i];
    const row = matrix[i].reduce((a, b) => a + b, 0);
    const col = matrix.reduce((s, r) => s + r[i], 0);
    expected += (row / n) * (col / n);
  }
  const observed = diag / n;
  const kappa = Math.abs(1 - expected) < 1e-12 ? null : (observed - expected) / (1 - expected);
  return { n, observed, expected, kappa };
}

function fromMatrix(
  unit: AgreementUnit,
  labels: string[],
  matrix: number[][],
  totals: { slicesTotal: number; slicesOnlyA: number; slicesOnlyB: number },
): Agreement {
  const k = kappaFromMatrix(matrix);
  return { unit, ...totals, slicesCompared: k.n, percentAgreement: k.observed, kappa: k.kappa, expectedAgreement: k.expected, labels, matrix };
}

/**
 * Agreement of two tracks over one recording. `labels` fixes the matrix's label order (labels seen in
 * the tracks but not listed are appended in order of appearance).
 */
export function compareTracks(
  a: readonly LabelledSpan[],
  b: readonly LabelledSpan[],
  { durationS, sliceS = DEFAULT_SLICE_S, labels = [] }: { durationS: number; sliceS?: number; labels?: readonly string[] },
): Agreement {
  const unit = agreementUnit(sliceS);
  const la = sliceLabels(a, durationS, sliceS);
  const lb = sliceLabels(b, durationS, sliceS);
  const order = [...labels];
  const index = new Map(order.map((l, i) => [l, i]));
  const idx = (l: string) => {
    if (!index.has(l)) {
      index.set(l, order.length);
      order.push(l);
    }
    return index.get(l)!;
  };
  const pairs: Array<[number, number]> = [];
  let onlyA = 0;
  let onlyB = 0;
  la.forEach((x, i) => {
    const y = lb[i];
    if (x !== null && y !== null) pairs.push([idx(x), idx(y)]);
    else if (x !== null) onlyA++;
    else if (y !== null) onlyB++;
  });
  const matrix = order.map(() => order.map(() => 0));
  for (const [i, j] of pairs) matrix[i][j]++;
  return fromMatrix(unit, order, matrix, { slicesTotal: la.length, slicesOnlyA: onlyA, slicesOnlyB: onlyB });
}

/** Pooled agreement over sessions: the sum of their confusion matrices (same unit required). */
export function poolAgreements(results: readonly Agreement[], sliceS = results[0]?.unit.sliceS ?? DEFAULT_SLICE_S): Agreement {
  const unit = agreementUnit(sliceS);
  for (const r of results)
    if (r.unit.sliceS !== sliceS) throw new Error(`cannot pool agreements over different slice lengths (${r.unit.sliceS} s vs ${sliceS} s)`);
  const order: string[] = [];
  for (const r of results) for (const l of r.labels) if (!order.includes(l)) order.push(l);
  const matrix = order.map(() => order.map(() => 0));
  for (const r of results) r.labels.forEach((li, i) => r.labels.forEach((lj, j) => (matrix[order.indexOf(li)][order.indexOf(lj)] += r.matrix[i][j])));
  const sum = (f: (r: Agreement) => number) => results.reduce((s, r) => s + f(r), 0);
  return fromMatrix(unit, order, matrix, {
    slicesTotal: sum((r) => r.slicesTotal),
    slicesOnlyA: sum((r) => r.slicesOnlyA),
    slicesOnlyB: sum((r) => r.slicesOnlyB),
  });
}

/** A plain-text confusion matrix (rows = A, columns = B). */
export function formatMatrix(r: Pick<Agreement, 'labels' | 'matrix'>, nameA = 'A', nameB = 'B'): string {
  const w = Math.max(8, ...r.labels.map((l) => l.length), ...r.matrix.flat().map((v) => String(v).length)) + 1;
  const pad = (s: string) => s.padStart(w);
  const head = `${`${nameA} \\ ${nameB}`.padEnd(w + 4)}${r.labels.map(pad).join('')}`;
  return [head, ...r.labels.map((l, i) => `${l.padEnd(w + 4)}${r.matrix[i].map((v) => pad(String(v))).join('')}`)].join('\n');
}
