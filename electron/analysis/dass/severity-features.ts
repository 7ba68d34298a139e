import { SUBSCALES, SUBSCALE_ITEMS, type Answer, type Subscale } from '../../contract/shared/dass-score.js';

/**
 * Feature vector used by the DASS severity-band estimator (training and inference share this function,
 * so they cannot drift apart). For target subscale T:
 *   - the 21 answers, a missing answer as -1;
 *   - for T and then the two other subscales (fixed order): the number of answered items, and the
 *     mean answer of the answered items × 14 (a prorated ×2 score), -1 when none is answered.
 */
export const FEATURE_VERSION = 'dass-severity-features/1';

export function otherSubscales(target: Subscale): Subscale[] {
  return SUBSCALES.filter((s) => s !== target);
}

export function severityFeatures(answers: readonly Answer[], target: Subscale): number[] {
  const out: number[] = answers.map((a) => (a === null ? -1 : a));
  for (const s of [target, ...otherSubscales(target)]) {
    let n = 0;
    let sum = 0;
    for (const item of SUBSCALE_ITEMS[s]) {
      const a = answers[item - 1];
      if (a !== null) {
        n++;
        sum += a;
      }
    }
    out.push(n, n > 0 ? (sum / n) * 14 : -1);
  }
  return out;
}

export const FEATURE_COUNT = 21 + 6;
