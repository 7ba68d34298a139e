/**
 * DASS-21 scoring, exactly as documented in data/dass21/SCORING.md.
 *
 * Subscale score = 2 × (sum of its seven items), so it can be compared with DASS-42 norms and the
 * Lovibond & Lovibond (1995) severity bands. One missing item in a subscale is prorated
 * (round-half-up of 2 × sum × 7 / 6); two or more missing leave that subscale without a score.
 */

/** Bumped whenever any rule below changes; stored with every saved administration. */
export const SCORING_VERSION = 'dass21-scoring/1 (x2 sums; Lovibond 1995 bands; 1 missing item per subscale prorated x7/6, half up)';

export const SUBSCALES = ['depression', 'anxiety', 'stress'] as const;
export type Subscale = (typeof SUBSCALES)[number];

export const BANDS = ['normal', 'mild', 'moderate', 'severe', 'extremely severe'] as const;
export type Band = (typeof BANDS)[number];

/** 1-based DASS-21 item numbers of each subscale (official key). */
export const SUBSCALE_ITEMS: Readonly<Record<Subscale, readonly number[]>> = {
  depression: [3, 5, 10, 13, 16, 17, 21],
  anxiety: [2, 4, 7, 9, 15, 19, 20],
  stress: [1, 6, 8, 11, 12, 14, 18],
};

/** Lowest ×2 score of mild, moderate, severe and extremely severe (normal starts at 0). */
export const BAND_LOWER_BOUNDS: Readonly<Record<Subscale, readonly [number, number, number, number]>> = {
  depression: [10, 14, 21, 28],
  anxiety: [8, 10, 15, 20],
  stress: [15, 19, 26, 34],
};

export const ITEM_COUNT = 21;
export const MAX_SUBSCALE_SCORE = 42;

/** One answer: 0..3, or null when the item was not answered. */
export type Answer = 0 | 1 | 2 | 3 | null;

export interface SubscaleResult {
  /** 2 × sum (prorated when one item is missing); null with two or more items missing. */
  score: number | null;
  band: Band | null;
  missingItems: number[];
  prorated: boolean;
  /** False when the subscale has no score (two or more items missing). */
  complete: boolean;
}

export interface DassScore {
  depression: SubscaleResult;
  anxiety: SubscaleResult;
  stress: SubscaleResult;
  /** Every subscale has a score (a prorated score counts). */
  complete: boolean;
  scoringVersion: string;
}

/** An answer that is not one of the integers 0, 1, 2, 3 (or empty). Names the item, and the row when known. */
export class DassAnswerError extends Error {
  constructor(
    readonly item: number,
    readonly value: unknown,
    readonly rowId?: string,
  ) {
    super(
      `${rowId !== undefined ? `row "${rowId}", ` : ''}item ${item}: answer ${JSON.stringify(value)} is not one of 0, 1, 2, 3 (leave it empty when not answered)`,
    );
    this.name = 'DassAnswerError';
  }
}

/**
 * Turns raw answers (numbers, or CSV cell strings) into Answers. Empty string, null and undefined mean
 * "not answered". Anything else that is not exactly an integer 0..3 throws DassAnswerError.
 */
export function parseAnswers(raw: readonly unknown[], rowId?: string): Answer[] {
  if (raw.length !== ITEM_COUNT) throw new Error(`${rowId !== undefined ? `row "${rowId}": ` : ''}expected ${ITEM_COUNT} answers, got ${raw.length}`);
  return raw.map((value, i) => parseAnswer(value, i + 1, rowId));
}

/** One raw answer for 1-based `item`; see parseAnswers. */
export function parseAnswer(value: unknown, item: number, rowId?: string): Answer {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return null;
    if (/^[0-3]$/.test(text)) return Number(text) as Answer;
    throw new DassAnswerError(item, value, rowId);
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 3) return value as Answer;
  throw new DassAnswerError(item, value, rowId);
}

/** Severity band of a ×2 subscale score. */
export function bandFor(subscale: Subscale, score: number): Band {
  if (!Number.isInteger(score) || score < 0 || score > MAX_SUBSCALE_SCORE)
    throw new RangeError(`${subscale} score ${score} is outside 0..${MAX_SUBSCALE_SCORE}`);
  const bounds = BAND_LOWER_BOUNDS[subscale];
  let band = 0;
  while (band < bounds.length && score >= bounds[band]) band++;
  return BANDS[band];
}

/** round(2 × sum × 7 / 6) with halves rounded up, in integer arithmetic (2·7/6 = 14/6). */
export function proratedScore(sumOfSixItems: number): number {
  return Math.floor((14 * sumOfSixItems + 3) / 6);
}

export function scoreSubscale(subscale: Subscale, answers: readonly Answer[]): SubscaleResult {
  if (answers.length !== ITEM_COUNT) throw new Error(`expected ${ITEM_COUNT} answers, got ${answers.length}`);
  const missingItems: number[] = [];
  let sum = 0;
  for (const item of SUBSCALE_ITEMS[subscale]) {
    const a = answers[item - 1];
    if (a === null || a === undefined) missingItems.push(item);
    else sum += a;
  }
  if (missingItems.length >= 2) return { score: null, band: null, missingItems, prorated: false, complete: false };
  const prorated = missingItems.length === 1;
  const score = prorated ? proratedScore(sum) : 2 * sum;
  return { score, band: bandFor(subscale, score), missingItems, prorated, complete: true };
}

/** Scores one administration. `answers` must already be validated (see parseAnswers). */
export function scoreDass21(answers: readonly Answer[]): DassScore {
  const depression = scoreSubscale('depression', answers);
  const anxiety = scoreSubscale('anxiety', answers);
  const stress = scoreSubscale('stress', answers);
  return {
    depression,
    anxiety,
    stress,
    complete: depression.complete && anxiety.complete && stress.complete,
    scoringVersion: SCORING_VERSION,
  };
}
