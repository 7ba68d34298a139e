/**
 * The DASS severity-band ESTIMATOR (native-models/dass-severity-rf): a Random Forest that estimates the
 * severity band of a subscale that has too many missing answers to be scored (two or more of its seven
 * items). Its output is always an estimate, never a DASS score, and it is only used for the numbers of
 * missing items where it beat simple baselines on held-out respondents (manifest `shippedFor`).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { appFile } from '../../app-paths.js';
import { RandomForestClassifier } from 'ml-random-forest';
import { z } from 'zod';
import { BANDS, SUBSCALES, SUBSCALE_ITEMS, type Answer, type Band, type Subscale } from '../../contract/shared/dass-score.js';
import { FEATURE_VERSION, severityFeatures } from './severity-features.js';

export const SEVERITY_RF_DIR = appFile('native-models', 'dass-severity-rf');

const MissingCounts = z.array(z.number().int().min(2).max(7));

export const SeverityRfManifestSchema = z.object({
  id: z.literal('dass-severity-rf'),
  version: z.string(),
  kind: z.literal('ml-random-forest-json'),
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  labels: z.array(z.enum(BANDS)).length(BANDS.length),
  featureVersion: z.string(),
  estimates: z.string(),
  outputIsEstimate: z.literal(true),
  shippedFor: z.object({ depression: MissingCounts, anxiety: MissingCounts, stress: MissingCounts }),
  seed: z.number().int(),
  trainCommand: z.string(),
});
export type SeverityRfManifest = z.infer<typeof SeverityRfManifestSchema>;

interface ModelFile {
  format: 'dass-severity-rf/1';
  featureVersion: string;
  forests: Record<Subscale, unknown>;
}

export interface SeverityEstimator {
  manifest: SeverityRfManifest;
  forests: Record<Subscale, RandomForestClassifier>;
}

export type SeverityEstimate =
  | { kind: 'estimate'; subscale: Subscale; missingItems: number; band: Band; /** share of trees voting for `band` */ voteShare: number }
  | { kind: 'none'; subscale: Subscale; missingItems: number; reason: string };

export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Loads manifest.json + the forests, checking the model file's sha256 and feature version. */
export function loadSeverityEstimator(dir = SEVERITY_RF_DIR): SeverityEstimator {
  const manifest = SeverityRfManifestSchema.parse(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
  const text = readFileSync(path.join(dir, manifest.file), 'utf8');
  const digest = sha256Text(text);
  if (digest !== manifest.sha256) throw new Error(`${manifest.file}: sha256 ${digest} does not match manifest.json (${manifest.sha256})`);
  const model = JSON.parse(text) as ModelFile;
  if (model.format !== 'dass-severity-rf/1') throw new Error(`${manifest.file}: unknown format ${String(model.format)}`);
  if (model.featureVersion !== FEATURE_VERSION || manifest.featureVersion !== FEATURE_VERSION)
    throw new Error(`model features ${model.featureVersion} do not match this code (${FEATURE_VERSION}); retrain the model`);
  const forests = Object.fromEntries(
    SUBSCALES.map((s) => [s, RandomForestClassifier.load(model.forests[s] as Parameters<typeof RandomForestClassifier.load>[0])]),
  ) as Record<Subscale, RandomForestClassifier>;
  return { manifest, forests };
}

function missingCount(answers: readonly Answer[], subscale: Subscale): number {
  return SUBSCALE_ITEMS[subscale].filter((item) => answers[item - 1] === null).length;
}

/** Band index predicted by the forest plus the share of trees that voted for it. */
export function predictBandIndex(estimator: SeverityEstimator, answers: readonly Answer[], subscale: Subscale): { band: number; voteShare: number } {
  const forest = estimator.forests[subscale];
  const votes = forest.predictionValues([severityFeatures(answers, subscale)]).getRow(0);
  const counts = new Array<number>(BANDS.length).fill(0);
  for (const v of votes) counts[v]++;
  const band = forest.predict([severityFeatures(answers, subscale)])[0];
  return { band, voteShare: counts[band] / votes.length };
}

/**
 * Estimate for one subscale. Returns kind 'none' when the subscale can be scored (fewer than two missing)
 * or when the forest is not shipped for this number of missing items.
 */
export function estimateSeverity(estimator: SeverityEstimator, answers: readonly Answer[], subscale: Subscale): SeverityEstimate {
  const missingItems = missingCount(answers, subscale);
  if (missingItems < 2) return { kind: 'none', subscale, missingItems, reason: 'scorable: fewer than two items missing, use the score' };
  if (!estimator.manifest.shippedFor[subscale].includes(missingItems))
    return {
      kind: 'none',
      subscale,
      missingItems,
      reason: `no estimate: with ${missingItems} of 7 items missing the model did not beat the simple baselines on held-out respondents`,
    };
  const { band, voteShare } = predictBandIndex(estimator, answers, subscale);
  return { kind: 'estimate', subscale, missingItems, band: BANDS[band], voteShare };
}
