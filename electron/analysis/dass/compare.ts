import { BANDS, SUBSCALES, type Band, type Subscale } from '../../contract/shared/dass-score.js';

/**
 * Change between two administrations. A difference of at least CHANGE_FLAG_POINTS (×2 scale) is flagged
 * for the clinician's attention: a project convention, not a published reliable-change cut-off (see
 * data/dass21/SCORING.md, "Comparing two administrations").
 */
export const CHANGE_FLAG_POINTS = 5;

export interface ScoredSubscale {
  score: number | null;
  band: Band | null;
}

export interface SubscaleChange {
  subscale: Subscale;
  from: number | null;
  to: number | null;
  /** to − from; null when either has no score. Positive = more symptoms. */
  difference: number | null;
  fromBand: Band | null;
  toBand: Band | null;
  /** Band steps (to − from); positive = a more severe band. Null when either band is missing. */
  bandSteps: number | null;
  bandChange: 'higher' | 'lower' | 'same' | null;
  /** |difference| >= CHANGE_FLAG_POINTS. */
  flagged: boolean;
}

export function compareScores(from: Record<Subscale, ScoredSubscale>, to: Record<Subscale, ScoredSubscale>): SubscaleChange[] {
  return SUBSCALES.map((subscale) => {
    const a = from[subscale];
    const b = to[subscale];
    const difference = a.score !== null && b.score !== null ? b.score - a.score : null;
    const bandSteps = a.band !== null && b.band !== null ? BANDS.indexOf(b.band) - BANDS.indexOf(a.band) : null;
    return {
      subscale,
      from: a.score,
      to: b.score,
      difference,
      fromBand: a.band,
      toBand: b.band,
      bandSteps,
      bandChange: bandSteps === null ? null : bandSteps > 0 ? 'higher' : bandSteps < 0 ? 'lower' : 'same',
      flagged: difference !== null && Math.abs(difference) >= CHANGE_FLAG_POINTS,
    };
  });
}
