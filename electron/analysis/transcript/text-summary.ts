/**
 * What the words of a set of lines (a speaker's, a participant's, the whole transcript's) express, by the text model:
 * the share of lines per estimated label (lines where the model abstained or had nothing to read are counted apart),
 * and the mean probability per label weighted by each line's word count. A majority is named only with at least
 * MIN_LABELLED_LINES lines that have an estimate. Expression estimates of the words, never a diagnosis.
 */
export const MIN_LABELLED_LINES = 3;

export interface TextSummaryLine {
  label: string | null;
  probs: ArrayLike<number> | null;
  text: string;
}

export interface TextSummary {
  lines: number;
  /** Lines with an estimate (the model did not abstain). */
  labelled: number;
  /** Lines where the model's top probability was below its threshold. */
  uncertain: number;
  words: number;
  majority: string | null;
  /** Share of the labelled lines per label. */
  distribution: Record<string, number>;
  /** Mean probability per label over the lines the model could read, weighted by their words. */
  meanProbs: Record<string, number>;
  /** Why majority is null. */
  reason: string | null;
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
const wordCount = (s: string) => s.split(/\s+/).filter(Boolean).length;

export function summarizeText(lines: readonly TextSummaryLine[], labels: readonly string[]): TextSummary {
  const counts: Record<string, number> = {};
  const sums = new Float64Array(labels.length);
  let weight = 0;
  let labelled = 0;
  let uncertain = 0;
  let words = 0;
  for (const l of lines) {
    const w = wordCount(l.text);
    words += w;
    if (l.label !== null) {
      labelled++;
      counts[l.label] = (counts[l.label] ?? 0) + 1;
    } else if (l.probs) uncertain++;
    if (l.probs) {
      for (let k = 0; k < labels.length; k++) sums[k] += (l.probs[k] ?? 0) * Math.max(1, w);
      weight += Math.max(1, w);
    }
  }
  const distribution = Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, r4(n / labelled)]));
  const meanProbs = weight > 0 ? Object.fromEntries(labels.map((l, k) => [l, r4(sums[k] / weight)])) : {};
  let majority: string | null = null;
  let reason: string | null = null;
  if (lines.length === 0) reason = 'no lines';
  else if (labelled < MIN_LABELLED_LINES)
    reason =
      labelled === 0
        ? 'no line has a clear estimate'
        : `only ${labelled} line${labelled > 1 ? 's have' : ' has'} a clear estimate (at least ${MIN_LABELLED_LINES} needed)`;
  else majority = Object.entries(counts).sort((a, b) => b[1] - a[1] || labels.indexOf(a[0]) - labels.indexOf(b[0]))[0][0];
  return { lines: lines.length, labelled, uncertain, words, majority, distribution, meanProbs, reason };
}
