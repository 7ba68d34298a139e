/**
 * Label-generic classification metrics, shared by `affect eval voice` and `affect eval face`.
 * Convention: confusion.matrix[trueIndex][predictedIndex]. A `null` prediction (the model abstained)
 * is counted in the class's support but as a hit for no class, so it lowers recall and accuracy.
 */
export interface ConfusionMatrix {
  labels: string[];
  matrix: number[][];
}

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Number of true examples of this class (support). */
  n: number;
}

export interface ClassificationReport {
  n: number;
  accuracy: number;
  /** Unweighted average recall over classes with at least one true example. */
  uar: number;
  /** Mean F1 over classes with at least one true example. */
  macroF1: number;
  perClass: Record<string, ClassMetrics>;
  confusion: ConfusionMatrix;
  /** Examples with a null prediction. */
  abstained: number;
}

export function confusionMatrix(
  labels: readonly string[],
  truth: readonly string[],
  predicted: readonly (string | null)[],
): ConfusionMatrix & { abstainedPerClass: number[] } {
  if (truth.length !== predicted.length) throw new Error(`truth has ${truth.length} items, predictions ${predicted.length}`);
  const at = new Map(labels.map((l, i) => [l, i]));
  if (at.size !== labels.length) throw new Error('labels contain duplicates');
  const matrix = labels.map(() => labels.map(() => 0));
  const abstainedPerClass = labels.map(() => 0);
  truth.forEach((t, k) => {
    const ti = at.get(t);
    if (ti === undefined) throw new Error(`true label "${t}" is not one of ${labels.join(', ')}`);
    const p = predicted[k];
    if (p === null) {
      abstainedPerClass[ti]++;
      return;
    }
    const pi = at.get(p);
    if (pi === undefined) throw new Error(`predicted label "${p}" is not one of ${labels.join(', ')}`);
    matrix[ti][pi]++;
  });
  return { labels: [...labels], matrix, abstainedPerClass };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

export function classificationReport(
  labels: readonly string[],
  truth: readonly string[],
  predicted: readonly (string | null)[],
): ClassificationReport {
  const { matrix, abstainedPerClass } = confusionMatrix(labels, truth, predicted);
  const perClass: Record<string, ClassMetrics> = {};
  let correct = 0;
  const recalls: number[] = [];
  const f1s: number[] = [];
  labels.forEach((label, i) => {
    const tp = matrix[i][i];
    const support = matrix[i].reduce((a, b) => a + b, 0) + abstainedPerClass[i];
    const predictedAs = matrix.reduce((a, row) => a + row[i], 0);
    const precision = ratio(tp, predictedAs);
    const recall = ratio(tp, support);
    const f1 = ratio(2 * precision * recall, precision + recall);
    perClass[label] = { precision, recall, f1, n: support };
    correct += tp;
    if (support > 0) {
      recalls.push(recall);
      f1s.push(f1);
    }
  });
  const mean = (xs: number[]) =>
    ratio(
      xs.reduce((a, b) => a + b, 0),
      xs.length,
    );
  return {
    n: truth.length,
    accuracy: ratio(correct, truth.length),
    uar: mean(recalls),
    macroF1: mean(f1s),
    perClass,
    confusion: { labels: [...labels], matrix },
    abstained: abstainedPerClass.reduce((a, b) => a + b, 0),
  };
}

/** Plain-text table of a report (for CLI output). */
export function formatReport(report: ClassificationReport): string {
  const pct = (x: number) => (100 * x).toFixed(1).padStart(6);
  const width = Math.max(9, ...report.confusion.labels.map((l) => l.length));
  const lines = [
    `n = ${report.n}   accuracy ${pct(report.accuracy).trim()}%   UAR ${pct(report.uar).trim()}%   macro-F1 ${pct(report.macroF1).trim()}%` +
      (report.abstained ? `   abstained ${report.abstained}` : ''),
    '',
    `${'class'.padEnd(width)}  precision  recall     F1      n`,
  ];
  for (const [label, m] of Object.entries(report.perClass)) {
    const i = report.confusion.labels.indexOf(label);
    const predictedAs = report.confusion.matrix.reduce((a, row) => a + row[i], 0);
    const cell = (x: number, defined: boolean) => (defined ? `${pct(x)}%` : '-'.padStart(6) + ' ');
    lines.push(
      `${label.padEnd(width)}  ${cell(m.precision, predictedAs > 0)}  ${cell(m.recall, m.n > 0)}  ${cell(m.f1, m.n > 0 || predictedAs > 0)}  ${String(m.n).padStart(5)}`,
    );
  }
  lines.push('', 'confusion (rows: true, columns: predicted)');
  const short = report.confusion.labels.map((l) => l.slice(0, 5).padStart(6));
  lines.push(`${''.padEnd(width)} ${short.join('')}`);
  report.confusion.matrix.forEach((row, i) =>
    lines.push(`${report.confusion.labels[i].padEnd(width)} ${row.map((v) => String(v).padStart(6)).join('')}`),
  );
  return lines.join('\n');
}
