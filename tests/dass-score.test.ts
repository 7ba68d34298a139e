import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DassAnswerError,
  bandFor,
  parseAnswers,
  proratedScore,
  scoreDass21,
  type Answer,
  type Subscale,
} from '../electron/contract/shared/dass-score.js';

// Hand-written from the issue / Lovibond & Lovibond (1995), independent of the module's tables:
// [score, band] at both sides of every boundary.
const BOUNDARIES: Record<Subscale, [number, string][]> = {
  depression: [
    [0, 'normal'],
    [9, 'normal'],
    [10, 'mild'],
    [13, 'mild'],
    [14, 'moderate'],
    [20, 'moderate'],
    [21, 'severe'],
    [27, 'severe'],
    [28, 'extremely severe'],
    [42, 'extremely severe'],
  ],
  anxiety: [
    [0, 'normal'],
    [7, 'normal'],
    [8, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'severe'],
    [19, 'severe'],
    [20, 'extremely severe'],
    [42, 'extremely severe'],
  ],
  stress: [
    [0, 'normal'],
    [14, 'normal'],
    [15, 'mild'],
    [18, 'mild'],
    [19, 'moderate'],
    [25, 'moderate'],
    [26, 'severe'],
    [33, 'severe'],
    [34, 'extremely severe'],
    [42, 'extremely severe'],
  ],
};

const D = [3, 5, 10, 13, 16, 17, 21];
const A = [2, 4, 7, 9, 15, 19, 20];
const S = [1, 6, 8, 11, 12, 14, 18];

/** 21 answers, all 0 except the given item → answer pairs. */
function answers(set: Record<number, Answer> = {}): Answer[] {
  return Array.from({ length: 21 }, (_, i) => (i + 1 in set ? set[i + 1] : 0));
}

test('every band boundary of every subscale', () => {
  for (const [subscale, cases] of Object.entries(BOUNDARIES) as [Subscale, [number, string][]][])
    for (const [score, band] of cases) assert.equal(bandFor(subscale, score), band, `${subscale} ${score}`);
});

test('bandFor rejects scores outside 0..42 and non-integers', () => {
  assert.throws(() => bandFor('depression', -1), RangeError);
  assert.throws(() => bandFor('anxiety', 43), RangeError);
  assert.throws(() => bandFor('stress', 3.5), RangeError);
});

test('hand-worked administration: subscale = 2 × sum of its own seven items', () => {
  // Depression items 3,5,10 = 3,2,1 → sum 6 → 12 (mild); anxiety items 2,4 = 3,3 → 12 (moderate);
  // stress items 1..18 all 3 → 42 (extremely severe).
  const a = answers({ 3: 3, 5: 2, 10: 1, 2: 3, 4: 3, ...Object.fromEntries(S.map((i) => [i, 3])) });
  const s = scoreDass21(a);
  assert.deepEqual([s.depression.score, s.depression.band], [12, 'mild']);
  assert.deepEqual([s.anxiety.score, s.anxiety.band], [12, 'moderate']);
  assert.deepEqual([s.stress.score, s.stress.band], [42, 'extremely severe']);
  assert.equal(s.complete, true);
  assert.match(s.scoringVersion, /dass21-scoring\/1/);
});

test('answers on one subscale never leak into another', () => {
  for (const [name, items] of [
    ['depression', D],
    ['anxiety', A],
    ['stress', S],
  ] as const) {
    const s = scoreDass21(answers(Object.fromEntries(items.map((i) => [i, 1]))));
    for (const sub of ['depression', 'anxiety', 'stress'] as const) assert.equal(s[sub].score, sub === name ? 14 : 0, `${name} → ${sub}`);
  }
});

test('one missing item is prorated: round(2 × sum × 7 / 6), computed exactly', () => {
  // 2·7/6 = 7/3, so the fraction is always a third: no exact halves occur (the half-up rule never bites).
  const expected: [number, number][] = [
    [0, 0],
    [1, 2],
    [2, 5],
    [3, 7],
    [4, 9],
    [5, 12],
    [6, 14],
    [9, 21],
    [17, 40],
    [18, 42],
  ];
  for (const [sum, score] of expected) assert.equal(proratedScore(sum), score, `sum ${sum}`);
  // Item 21 missing, other depression items 3,5,10,13,16,17 = 1,1,1,1,1,0 → sum 5 → 35/3 = 11.67 → 12 (mild).
  const s = scoreDass21(answers({ 3: 1, 5: 1, 10: 1, 13: 1, 16: 1, 17: 0, 21: null }));
  assert.equal(s.depression.score, 12);
  assert.equal(s.depression.band, 'mild');
  assert.equal(s.depression.prorated, true);
  assert.deepEqual(s.depression.missingItems, [21]);
  assert.equal(s.complete, true, 'a prorated subscale still has a score');
  // Anxiety with item 2 missing and the six others = 3 → sum 18 → 42, the maximum.
  const full = scoreDass21(answers({ 2: null, 4: 3, 7: 3, 9: 3, 15: 3, 19: 3, 20: 3 }));
  assert.equal(full.anxiety.score, 42);
});

test('two or more missing items: no score, marked incomplete; other subscales still scored', () => {
  const s = scoreDass21(answers({ 1: null, 6: null, 2: 2 }));
  assert.equal(s.stress.score, null);
  assert.equal(s.stress.band, null);
  assert.equal(s.stress.complete, false);
  assert.deepEqual(s.stress.missingItems, [1, 6]);
  assert.equal(s.complete, false);
  assert.equal(s.anxiety.score, 4);
  const none = scoreDass21(Array.from({ length: 21 }, () => null));
  for (const sub of ['depression', 'anxiety', 'stress'] as const) assert.equal(none[sub].score, null);
});

test('parseAnswers: empty cells are missing; 4, -1, 1.5, "a", "2.0", true are rejected naming the item', () => {
  const raw: unknown[] = Array.from({ length: 21 }, () => '1');
  raw[4] = '';
  raw[5] = ' 2 ';
  raw[6] = null;
  raw[7] = 3;
  assert.deepEqual(parseAnswers(raw).slice(4, 8), [null, 2, null, 3]);
  for (const bad of [4, -1, 1.5, 'a', '4', '-1', '1.5', '2.0', true, Number.NaN]) {
    const r = Array.from({ length: 21 }, () => 0 as unknown);
    r[8] = bad;
    assert.throws(
      () => parseAnswers(r, 'client-7'),
      (err: unknown) =>
        err instanceof DassAnswerError && err.item === 9 && err.rowId === 'client-7' && /item 9/.test(err.message) && /client-7/.test(err.message),
      `value ${String(bad)}`,
    );
  }
  assert.throws(() => parseAnswers([0, 1]), /expected 21 answers/);
});
