/**
 * Trains, compares and exports the DASS severity-band estimator.
 *
 *   cd /work/main && nice -n 10 node --import tsx native-models/dass-severity-rf/train/train.ts
 *
 * Options: --data <dass21.csv> (default ../shared/datasets/dass/dass21.csv), --out <dir> (default the model
 * folder), --seed <n> (default 20261125), --trees <n>, --depth <n>.
 * Writes model.json, manifest.json and evaluation.json (the comparison figures of MODEL_CARD.md).
 *
 * Seeded end to end: the respondent split, the masks and ml-random-forest's own bagging all derive from --seed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { RandomForestClassifier } from 'ml-random-forest';
import { parseCsv } from '../../../electron/analysis/csv.js';
import { BANDS, SUBSCALES, parseAnswers, type Subscale } from '../../../electron/contract/shared/dass-score.js';
import { FEATURE_VERSION, severityFeatures } from '../../../electron/analysis/dass/severity-features.js';
import {
  bandIndex,
  bandMetrics,
  fitOtherSubscales,
  fullScore,
  majorityBand,
  maskAnswers,
  maskedCases,
  pairedBootstrapAccuracyDiff,
  otherSubscalesBaseline,
  prorateBaseline,
  seededRandom,
  splitRespondents,
  type BandMetrics,
  type MaskedCase,
  type Respondent,
} from '../../../electron/analysis/dass/severity-eval.js';
import { sha256Text } from '../../../electron/analysis/dass/severity-rf.js';
import { compactForestJson, speedUpCartSplitSearch } from './forest-json.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const { values: opts } = parseArgs({
  options: {
    data: { type: 'string', default: path.resolve(repoRoot, '../shared/datasets/dass/dass21.csv') },
    out: { type: 'string', default: path.resolve(here, '..') },
    seed: { type: 'string', default: '20261125' },
    trees: { type: 'string', default: '30' },
    depth: { type: 'string', default: '9' },
  },
});
const SEED = Number(opts.seed);
const TREES = Number(opts.trees);
const DEPTH = Number(opts.depth);
const MISSING_COUNTS = [2, 3, 4, 5, 6, 7];
const TEST_MASKS = 3; // masks per respondent and missing count, validation and test
// Ships for a (subscale, missing count) when, on VALIDATION respondents, the forest's accuracy beats the most
// accurate baseline with the 5th percentile of a paired bootstrap (by respondent) above 0, and its macro-F1 is not lower.

function loadRespondents(file: string): Respondent[] {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  if (header[0] !== 'respondent_id' || header.length !== 22) throw new Error(`${file}: unexpected header`);
  return rows.map((r) => ({ id: r[0], answers: parseAnswers(r.slice(1), r[0]) }));
}

function trainingRows(train: readonly Respondent[], target: Subscale, seed: number): { X: number[][]; y: number[] } {
  const random = seededRandom(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (const r of train) {
    const truth = bandIndex(target, fullScore(r.answers, target));
    for (const k of MISSING_COUNTS) {
      // 30 % of rows also lose 1-2 items of the other subscales, so the forest tolerates that.
      const extra = random() < 0.3 ? 1 + Math.floor(random() * 2) : 0;
      X.push(severityFeatures(maskAnswers(r.answers, target, k, random, extra), target));
      y.push(truth);
    }
  }
  return { X, y };
}

type MethodName = 'randomForest' | 'prorate' | 'otherSubscales' | 'majority';
const BASELINES: MethodName[] = ['prorate', 'otherSubscales', 'majority'];

interface CellEvaluation {
  metrics: Record<MethodName, BandMetrics>;
  predictions: Record<MethodName, number[]>;
}

function evaluate(cases: readonly MaskedCase[], forest: RandomForestClassifier, other: ReturnType<typeof fitOtherSubscales>, majority: number): CellEvaluation {
  const truth = cases.map((c) => c.truth);
  const predictions: Record<MethodName, number[]> = {
    randomForest: forest.predict(cases.map((c) => severityFeatures(c.answers, c.target))),
    prorate: cases.map((c) => prorateBaseline(c.answers, c.target) ?? majority),
    otherSubscales: cases.map((c) => otherSubscalesBaseline(other, c.answers)),
    majority: cases.map(() => majority),
  };
  const metrics = Object.fromEntries(Object.entries(predictions).map(([name, p]) => [name, bandMetrics(truth, p)])) as Record<MethodName, BandMetrics>;
  return { metrics, predictions };
}

/** The baseline with the highest accuracy (the first listed wins a tie). */
function bestBaseline(cell: CellEvaluation): MethodName {
  return BASELINES.reduce((best, n) => (cell.metrics[n].accuracy > cell.metrics[best].accuracy ? n : best), BASELINES[0]);
}

const started = Date.now();
speedUpCartSplitSearch();
const respondents = loadRespondents(opts.data!);
const split = splitRespondents(respondents, SEED);
console.log(`respondents: ${respondents.length} (train ${split.train.length}, validation ${split.validation.length}, test ${split.test.length}), seed ${SEED}`);

const forestsJson: Record<string, unknown> = {};
const shippedFor: Record<Subscale, number[]> = { depression: [], anxiety: [], stress: [] };
const report: Record<string, unknown> = {};
for (const [si, target] of SUBSCALES.entries()) {
  const t0 = Date.now();
  const { X, y } = trainingRows(split.train, target, SEED + 101 * (si + 1));
  const forest = new RandomForestClassifier({
    nEstimators: TREES,
    maxFeatures: 0.7,
    replacement: false,
    useSampleBagging: true,
    noOOB: true,
    seed: SEED + si,
    treeOptions: { maxDepth: DEPTH, minNumSamples: 20, gainThreshold: 0.001 },
  });
  forest.train(X, y);
  console.log(`${target}: trained on ${X.length} masked rows in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const other = fitOtherSubscales(split.train, target);
  const majority = majorityBand(split.train, target);
  const perK: Record<string, unknown> = {};
  for (const k of MISSING_COUNTS) {
    const valCases = maskedCases(split.validation, target, k, TEST_MASKS, SEED * 7 + k + 1000 * si);
    const testCases = maskedCases(split.test, target, k, TEST_MASKS, SEED * 13 + k + 1000 * si);
    const val = evaluate(valCases, forest, other, majority);
    const test = evaluate(testCases, forest, other, majority);
    // Decide on VALIDATION only; the test figures are reported, never used to choose.
    const vBest = bestBaseline(val);
    const vBoot = pairedBootstrapAccuracyDiff(valCases, val.predictions.randomForest, val.predictions[vBest], SEED + k);
    const ships = vBoot.p05 > 0 && val.metrics.randomForest.macroF1 >= val.metrics[vBest].macroF1;
    if (ships) shippedFor[target].push(k);
    const tBest = bestBaseline(test);
    const tBoot = pairedBootstrapAccuracyDiff(testCases, test.predictions.randomForest, test.predictions[tBest], SEED + 100 + k);
    perK[k] = {
      ships,
      validationMaskSeed: SEED * 7 + k + 1000 * si,
      testMaskSeed: SEED * 13 + k + 1000 * si,
      validation: { bestBaseline: vBest, accuracyDiffVsBest: vBoot, metrics: val.metrics },
      test: { bestBaseline: tBest, accuracyDiffVsBest: tBoot, metrics: test.metrics },
    };
    const f = (m: BandMetrics) => `${(100 * m.accuracy).toFixed(1)}/${(100 * m.macroF1).toFixed(1)}/${(100 * m.withinOne).toFixed(1)}`;
    const tm = test.metrics;
    console.log(
      `  k=${k} ${ships ? 'SHIP' : 'no  '} test acc/F1/±1  RF ${f(tm.randomForest)}  prorate ${f(tm.prorate)}  others ${f(tm.otherSubscales)}  majority ${f(tm.majority)}` +
        `  | val RF-${vBest} ${(100 * vBoot.diff).toFixed(1)} [5%: ${(100 * vBoot.p05).toFixed(1)}]  test RF-${tBest} ${(100 * tBoot.diff).toFixed(1)} [${(100 * tBoot.p025).toFixed(1)}, ${(100 * tBoot.p975).toFixed(1)}]`,
    );
  }
  report[target] = { majorityBand: BANDS[majority], otherSubscalesCoefficients: other.coefficients, perMissingCount: perK };
  forestsJson[target] = compactForestJson(forest);
}

const modelText = JSON.stringify({ format: 'dass-severity-rf/1', featureVersion: FEATURE_VERSION, forests: forestsJson });
mkdirSync(opts.out!, { recursive: true });
writeFileSync(path.join(opts.out!, 'model.json'), modelText);
const manifest = {
  id: 'dass-severity-rf',
  version: '1.0.0',
  kind: 'ml-random-forest-json',
  file: 'model.json',
  sha256: sha256Text(modelText),
  labels: [...BANDS],
  featureVersion: FEATURE_VERSION,
  estimates:
    'ESTIMATE of the DASS-21 severity band (normal..extremely severe) of ONE subscale that has 2-7 of its 7 items unanswered, from the answered items of all subscales. Not a DASS score and not a diagnosis; used only for the missing counts in shippedFor.',
  outputIsEstimate: true,
  shippedFor,
  seed: SEED,
  trainCommand: 'nice -n 10 node --import tsx native-models/dass-severity-rf/train/train.ts',
};
writeFileSync(path.join(opts.out!, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
const evaluation = {
  note: 'Written by train.ts. Respondents split 70/15/15 by respondent (splitRespondents, seed); masks per respondent and missing count as below; other subscales complete in these cases. Shipping decided on validation only.',
  seed: SEED,
  trees: TREES,
  depth: DEPTH,
  sizes: { train: split.train.length, validation: split.validation.length, test: split.test.length },
  masksPerRespondent: TEST_MASKS,
  shippedFor,
  subscales: report,
};
const evaluationFile = path.join(opts.out!, 'evaluation.json');
writeFileSync(evaluationFile, JSON.stringify(evaluation, null, 2) + '\n');
console.log(`model.json ${(modelText.length / 1e6).toFixed(2)} MB, shipped for ${JSON.stringify(shippedFor)}; figures ${evaluationFile}; ${((Date.now() - started) / 1000).toFixed(0)} s`);
