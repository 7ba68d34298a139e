import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseCsv } from '../electron/analysis/csv.js';
import { BANDS, SUBSCALES, parseAnswers, type Answer, type Subscale } from '../electron/contract/shared/dass-score.js';
import {
  bandMetrics,
  fitOtherSubscales,
  majorityBand,
  maskedCases,
  otherSubscalesBaseline,
  prorateBaseline,
  splitRespondents,
} from '../electron/analysis/dass/severity-eval.js';
import { severityFeatures } from '../electron/analysis/dass/severity-features.js';
import { SEVERITY_RF_DIR, estimateSeverity, loadSeverityEstimator } from '../electron/analysis/dass/severity-rf.js';
import { sharedPath, skipWithoutShared } from './helpers/paths.js';

interface CellFigures {
  ships: boolean;
  testMaskSeed: number;
  test: {
    bestBaseline: 'prorate' | 'otherSubscales' | 'majority';
    metrics: Record<string, { accuracy: number; macroF1: number; withinOne: number; n: number }>;
  };
}
interface Evaluation {
  seed: number;
  masksPerRespondent: number;
  shippedFor: Record<Subscale, number[]>;
  subscales: Record<Subscale, { perMissingCount: Record<string, CellFigures> }>;
}
const evaluation = JSON.parse(readFileSync(path.join(SEVERITY_RF_DIR, 'evaluation.json'), 'utf8')) as Evaluation;

test('the model loads: manifest valid, sha256 checked, small, labelled as an estimate', () => {
  const estimator = loadSeverityEstimator();
  assert.equal(estimator.manifest.outputIsEstimate, true);
  assert.deepEqual(estimator.manifest.labels, [...BANDS]);
  assert.match(estimator.manifest.estimates, /ESTIMATE/);
  assert.ok(statSync(path.join(SEVERITY_RF_DIR, estimator.manifest.file)).size < 5 * 1024 * 1024, 'model file < 5 MB');
  assert.deepEqual(estimator.manifest.shippedFor, evaluation.shippedFor, 'manifest and evaluation.json agree');
  for (const s of SUBSCALES) for (const k of estimator.manifest.shippedFor[s]) assert.equal(evaluation.subscales[s].perMissingCount[k].ships, true);
});

test('estimates only where shipped, never for a scorable subscale', () => {
  const estimator = loadSeverityEstimator();
  const answers: Answer[] = Array.from({ length: 21 }, () => 2);
  assert.equal(estimateSeverity(estimator, answers, 'depression').kind, 'none');
  const oneMissing = answers.slice();
  oneMissing[20] = null;
  assert.match((estimateSeverity(estimator, oneMissing, 'depression') as { reason: string }).reason, /scorable/);
  const depItems = [3, 5, 10, 13, 16, 17, 21];
  for (let k = 2; k <= 7; k++) {
    const a = answers.slice();
    for (const item of depItems.slice(0, k)) a[item - 1] = null;
    const e = estimateSeverity(estimator, a, 'depression');
    assert.equal(e.missingItems, k);
    if (estimator.manifest.shippedFor.depression.includes(k)) {
      assert.equal(e.kind, 'estimate');
      if (e.kind === 'estimate') assert.ok(BANDS.includes(e.band) && e.voteShare > 0 && e.voteShare <= 1);
    } else assert.equal(e.kind, 'none');
  }
});

test(
  'on the held-out test respondents the forest beats every baseline where it is shipped, with the card figures',
  { skip: skipWithoutShared('dass/dass21.csv') },
  () => {
    const estimator = loadSeverityEstimator();
    const [, ...rows] = parseCsv(readFileSync(sharedPath('dass', 'dass21.csv'), 'utf8'));
    const respondents = rows.map((r) => ({ id: r[0], answers: parseAnswers(r.slice(1), r[0]) }));
    const split = splitRespondents(respondents, evaluation.seed);
    let cells = 0;
    for (const s of SUBSCALES) {
      const other = fitOtherSubscales(split.train, s);
      const majority = majorityBand(split.train, s);
      for (const k of estimator.manifest.shippedFor[s]) {
        const recorded = evaluation.subscales[s].perMissingCount[k];
        const cases = maskedCases(split.test, s, k, evaluation.masksPerRespondent, recorded.testMaskSeed);
        const truth = cases.map((c) => c.truth);
        const rf = bandMetrics(truth, estimator.forests[s].predict(cases.map((c) => severityFeatures(c.answers, s))));
        const baselines = {
          prorate: bandMetrics(
            truth,
            cases.map((c) => prorateBaseline(c.answers, s) ?? majority),
          ),
          otherSubscales: bandMetrics(
            truth,
            cases.map((c) => otherSubscalesBaseline(other, c.answers)),
          ),
          majority: bandMetrics(
            truth,
            cases.map(() => majority),
          ),
        };
        // The figures of MODEL_CARD.md / evaluation.json are reproduced exactly…
        assert.equal(rf.accuracy, recorded.test.metrics.randomForest.accuracy, `${s} k=${k} RF accuracy`);
        assert.equal(rf.macroF1, recorded.test.metrics.randomForest.macroF1, `${s} k=${k} RF macro-F1`);
        for (const [name, m] of Object.entries(baselines)) assert.equal(m.accuracy, recorded.test.metrics[name].accuracy, `${s} k=${k} ${name}`);
        // …and the forest is more accurate than each baseline.
        for (const [name, m] of Object.entries(baselines))
          assert.ok(rf.accuracy > m.accuracy, `${s} k=${k}: RF ${rf.accuracy} vs ${name} ${m.accuracy}`);
        cells++;
      }
    }
    assert.ok(cells > 0, 'the model is shipped for at least one case');
  },
);
