import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { NEXT_STEPS_FILE, evaluateNextSteps, loadNextSteps } from '../electron/analysis/dass/next-steps.js';
import { scoreDass21, type Answer } from '../electron/contract/shared/dass-score.js';
import { tempDir } from './helpers/paths.js';

const D = [3, 5, 10, 13, 16, 17, 21];
const A = [2, 4, 7, 9, 15, 19, 20];
const S = [1, 6, 8, 11, 12, 14, 18];
/** Answers giving each subscale a chosen raw sum (0..21), spread over its items. */
function withSums(d: number, a: number, s: number, overrides: Record<number, Answer> = {}): Answer[] {
  const out: Answer[] = Array.from({ length: 21 }, () => 0);
  for (const [items, sum] of [
    [D, d],
    [A, a],
    [S, s],
  ] as const) {
    let left = sum;
    for (const i of items) {
      const v = Math.min(3, left);
      out[i - 1] = v as Answer;
      left -= v;
    }
  }
  for (const [i, v] of Object.entries(overrides)) out[Number(i) - 1] = v;
  return out;
}
const run = (answers: Answer[]) => evaluateNextSteps(loadNextSteps(), scoreDass21(answers), answers);

test('the shipped table validates, starts the helplines with Sri Lanka 1926, and has no referral contacts yet', () => {
  const t = loadNextSteps();
  assert.equal(t.helplines[0].country, 'LK');
  assert.equal(t.helplines[0].number, '1926');
  for (const h of t.helplines) assert.match(h.source, /https?:\/\//, `${h.name} cites a source`);
  assert.deepEqual(t.referralContacts, []);
});

test('all normal: relaxation and self-care suggestions, no review prompt, no helplines', () => {
  const n = run(withSums(2, 1, 3)); // ×2: 4, 2, 6 → all normal
  assert.deepEqual(
    n.rules.map((r) => r.id),
    ['all-normal'],
  );
  assert.ok(n.rules[0].suggestions.some((s) => s.kind === 'exercise'));
  assert.ok(n.steps.some((s) => s.kind === 'exercise' && s.exercise === 'breathing'));
  assert.equal(n.clinicianReview, false);
  assert.deepEqual(n.helplines, []);
});

test('mild at most: the mild rule only', () => {
  const n = run(withSums(5, 0, 0)); // depression 10 → mild
  assert.deepEqual(
    n.rules.map((r) => r.id),
    ['mild'],
  );
  assert.equal(n.clinicianReview, false);
});

test('any moderate or worse: clinician review with referral contacts and helplines', () => {
  for (const answers of [withSums(0, 5, 0) /* anxiety 10 moderate */, withSums(0, 0, 17) /* stress 34 extremely severe */]) {
    const n = run(answers);
    assert.deepEqual(
      n.rules.map((r) => r.id),
      ['moderate-or-worse'],
    );
    assert.equal(n.clinicianReview, true);
    assert.equal(n.helplines[0].number, '1926');
  }
  // Just below moderate does not trigger it: anxiety 8 is mild.
  assert.deepEqual(
    run(withSums(0, 4, 0)).rules.map((r) => r.id),
    ['mild'],
  ); // ×2 = 8 → mild
});

test('item 21 answered 2 or 3 is always an item of note, even with all bands normal', () => {
  for (const v of [2, 3] as const) {
    const n = run(withSums(0, 0, 0, { 21: v })); // depression 2v ≤ 6 → normal
    assert.deepEqual(
      n.rules.map((r) => r.id),
      ['item-of-note'],
    );
    assert.deepEqual(
      n.itemsOfNote.map((i) => [i.item, i.answer]),
      [[21, v]],
    );
    assert.equal(n.clinicianReview, true);
  }
  assert.deepEqual(run(withSums(0, 0, 0, { 21: 1 })).itemsOfNote, []);
  assert.deepEqual(run(withSums(0, 0, 0, { 21: null })).itemsOfNote, []);
});

test('item 21 at 2 or 3: the clinician review and the helplines come first, and no exercise is offered at all', () => {
  for (const answers of [
    withSums(0, 0, 0, { 21: 2 }),
    withSums(0, 0, 0, { 21: 3 }),
    withSums(4, 3, 5, { 21: 2 }) /* mild */,
    withSums(9, 0, 0, { 21: 3 }) /* moderate */,
  ]) {
    const n = run(answers);
    assert.equal(n.steps[0].kind, 'review', 'a review step first');
    assert.match(n.steps[0].title, /item of note was endorsed/);
    const firstHelpline = n.steps.findIndex((s) => s.kind === 'helpline');
    assert.ok(firstHelpline > 0, 'helplines listed');
    assert.ok(
      n.steps.slice(0, firstHelpline).every((s) => s.kind === 'review' || s.kind === 'referral'),
      'only review and referral steps before the helplines',
    );
    assert.ok(!n.steps.some((s) => s.kind === 'exercise' || s.exercise), 'no exercise offered');
  }
  // item 21 at 1 with all bands normal: exercises offered, linked to the app's exercises.
  const ok = run(withSums(0, 0, 0, { 21: 1 }));
  assert.deepEqual(
    ok.steps.filter((s) => s.kind === 'exercise').map((s) => s.exercise),
    ['breathing', 'pmr', 'grounding', 'follow-light'],
  );
  assert.equal(ok.steps[0].kind, 'info');
  assert.ok(!ok.steps.some((s) => s.kind === 'helpline'));
});

test('an edited table cannot undo the safety rules: exercises added to the moderate rule never come first; item 21 still removes them', () => {
  const dir = tempDir();
  const table = JSON.parse(readFileSync(NEXT_STEPS_FILE, 'utf8'));
  const edited = structuredClone(table);
  // A careless edit: exercises on the moderate rule, no review, no helplines; and the item-of-note rule deleted.
  const moderate = edited.rules.find((r: { id: string }) => r.id === 'moderate-or-worse');
  moderate.clinicianReview = false;
  moderate.showHelplines = false;
  moderate.suggestions = [{ kind: 'exercise', title: 'Breathing', description: 'x', exercise: 'breathing' }];
  edited.rules = edited.rules.filter((r: { id: string }) => r.id !== 'item-of-note');
  edited.rules.find((r: { id: string }) => r.id === 'all-normal').when = { allScored: true, allBandsAtMost: 'normal' };
  writeFileSync(path.join(dir, 'edited.json'), JSON.stringify(edited));
  const t = loadNextSteps(path.join(dir, 'edited.json'));
  const mod = withSums(0, 5, 0); // anxiety 10 → moderate
  const n = evaluateNextSteps(t, scoreDass21(mod), mod);
  assert.equal(n.steps[0].kind, 'review', 'a built-in review step comes first');
  assert.ok(n.steps.findIndex((s) => s.kind === 'helpline') < n.steps.findIndex((s) => s.kind === 'exercise'), 'helplines before the exercise');
  assert.equal(n.clinicianReview, true);
  const i21 = withSums(0, 0, 0, { 21: 3 });
  const m = evaluateNextSteps(t, scoreDass21(i21), i21);
  assert.ok(!m.steps.some((s) => s.kind === 'exercise'), 'no exercise with item 21 endorsed, whatever the table says');
  assert.equal(m.steps[0].kind, 'review');
  assert.ok(m.steps.some((s) => s.kind === 'helpline'));
});

test('an unscorable subscale triggers the incomplete rule and never the all-normal rule', () => {
  const n = run(withSums(0, 0, 0, { 1: null, 6: null }));
  assert.deepEqual(
    n.rules.map((r) => r.id),
    ['incomplete'],
  );
  assert.equal(n.clinicianReview, true);
});

test('user edits are validated: a bad band or a duplicate rule id is refused with its path', () => {
  const dir = tempDir();
  const table = JSON.parse(readFileSync(NEXT_STEPS_FILE, 'utf8'));
  const bad = structuredClone(table);
  bad.rules[1].when.allBandsAtMost = 'very mild';
  writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(bad));
  assert.throws(() => loadNextSteps(path.join(dir, 'bad.json')), /rules\.1\.when\.allBandsAtMost/);
  const dup = structuredClone(table);
  dup.rules[1].id = dup.rules[0].id;
  writeFileSync(path.join(dir, 'dup.json'), JSON.stringify(dup));
  assert.throws(() => loadNextSteps(path.join(dir, 'dup.json')), /used twice/);
  // A user-added referral contact shows with a moderate result.
  const edited = structuredClone(table);
  edited.referralContacts.push({ name: 'Local clinic', phone: '000' });
  writeFileSync(path.join(dir, 'ok.json'), JSON.stringify(edited));
  const answers = withSums(10, 0, 0);
  assert.deepEqual(evaluateNextSteps(loadNextSteps(path.join(dir, 'ok.json')), scoreDass21(answers), answers).referralContacts, [
    { name: 'Local clinic', phone: '000' },
  ]);
});
