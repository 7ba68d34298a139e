import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { BREATHING, EXERCISES, FOLLOW_LIGHT, GROUNDING, minimumLengthS, PMR, pmrLengthS } from '../electron/contract/shared/selfcare/catalog.js';
import { lightPosition, onLight } from '../electron/contract/shared/selfcare/light-path.js';
import { breathTimes, pacerAt } from '../electron/contract/shared/selfcare/pacer.js';
import { pmrAt, pmrSchedule } from '../electron/contract/shared/selfcare/pmr-steps.js';
import { levelsReached } from '../electron/analysis/selfcare/progress.js';
import { REPO_ROOT } from './helpers/paths.js';

test('breathing levels go from 6 to 4.5 breaths a minute and from 2 to 10 minutes, never faster or shorter than the level before', () => {
  const l = BREATHING.levels;
  assert.equal(l[0].breathsPerMin, 6);
  assert.equal(l[0].lengthS, 120);
  assert.equal(l[l.length - 1].breathsPerMin, 4.5);
  assert.equal(l[l.length - 1].lengthS, 600);
  for (let i = 1; i < l.length; i++) {
    assert.ok(l[i].breathsPerMin <= l[i - 1].breathsPerMin, `level ${i + 1} pace`);
    assert.ok(l[i].lengthS > l[i - 1].lengthS, `level ${i + 1} length`);
  }
});

test('the pacer breathes in, then out, with the pattern chosen; the count runs down each phase', () => {
  // 6 a minute, even: 5 s in, 5 s out.
  assert.deepEqual(breathTimes(6, 'even'), { inS: 5, outS: 5 });
  const start = pacerAt(0, 6, 'even', 120);
  assert.equal(start.phase, 'in');
  assert.equal(start.size, 0);
  assert.equal(start.count, 5);
  assert.equal(start.breath, 1);
  assert.equal(pacerAt(4.5, 6, 'even', 120).count, 1);
  const top = pacerAt(5, 6, 'even', 120);
  assert.equal(top.phase, 'out');
  assert.equal(top.size, 1);
  assert.equal(pacerAt(10, 6, 'even', 120).breath, 2);
  assert.ok(Math.abs(pacerAt(2.5, 6, 'even', 120).size - 0.5) < 1e-9, 'half-way in, half size');
  // Longer out at 6 a minute: 4 s in, 6 s out; 3 : 7 at 4.5 a minute: 4 s in, 9.33 s out.
  assert.deepEqual(breathTimes(6, 'longer-out'), { inS: 4, outS: 6 });
  assert.equal(pacerAt(4.2, 6, 'longer-out', 120).phase, 'out');
  assert.equal(pacerAt(4.2, 6, 'longer-out', 120).count, 6);
  const slow = breathTimes(4.5, 'much-longer-out');
  assert.ok(Math.abs(slow.inS - 4) < 1e-9 && Math.abs(slow.outS - 28 / 3) < 1e-9);
  // 30 breaths in 5 minutes at 6 a minute; done at the level's length.
  assert.equal(pacerAt(299.9, 6, 'even', 300).breath, 30);
  assert.equal(pacerAt(300, 6, 'even', 300).done, true);
  assert.equal(pacerAt(299, 6, 'even', 300).done, false);
});

test('PMR follows Bernstein & Borkovec: 16, 7, then 4 groups, then 4 by recall; tense 7 s, release 30 s', () => {
  assert.deepEqual(
    PMR.levels.map((l) => [l.groups.length, l.tenseS]),
    [
      [16, 7],
      [7, 7],
      [4, 7],
      [4, 0],
    ],
  );
  const steps = pmrSchedule(PMR.levels[0]);
  assert.equal(steps.length, 32);
  assert.equal(pmrLengthS(PMR.levels[0]), 16 * 37);
  assert.equal(steps[0].kind, 'tense');
  assert.match(steps[0].text, /Make a fist/);
  assert.equal(steps[1].kind, 'release');
  assert.equal(pmrAt(steps, 0)!.step.kind, 'tense');
  assert.equal(pmrAt(steps, 6.5)!.secondsLeft, 1);
  assert.equal(pmrAt(steps, 7)!.step.kind, 'release');
  assert.equal(pmrAt(steps, 16 * 37), null, 'over at the end');
  // Recall: release steps only, 45 s each, no tensing words.
  const recall = pmrSchedule(PMR.levels[3]);
  assert.deepEqual(
    recall.map((s) => s.kind),
    ['release', 'release', 'release', 'release'],
  );
  assert.ok(recall.every((s) => s.endS - s.startS === 45 && !/Make a fist|Hold it/.test(s.text)));
});

test('the light stays inside the play area, and later levels are smaller and move faster', () => {
  const speed = (level: (typeof FOLLOW_LIGHT.levels)[number]) => {
    let max = 0;
    for (let t = 0; t < level.periodS; t += 0.05) {
      const a = lightPosition(level, t);
      const b = lightPosition(level, t + 0.05);
      max = Math.max(max, Math.hypot(b.x - a.x, b.y - a.y) / 0.05);
    }
    return max;
  };
  let previous = 0;
  for (const level of FOLLOW_LIGHT.levels) {
    for (let t = 0; t < 2 * level.periodS; t += 0.37) {
      const p = lightPosition(level, t);
      assert.ok(
        p.x - level.radius >= 0 && p.x + level.radius <= 1 && p.y - level.radius >= 0 && p.y + level.radius <= 1,
        `level ${level.level} at ${t}`,
      );
    }
    const s = speed(level);
    assert.ok(s > previous, `level ${level.level} peak speed ${s.toFixed(3)} > ${previous.toFixed(3)}`);
    previous = s;
  }
  for (let i = 1; i < FOLLOW_LIGHT.levels.length; i++) {
    assert.ok(FOLLOW_LIGHT.levels[i].radius < FOLLOW_LIGHT.levels[i - 1].radius);
    assert.ok(FOLLOW_LIGHT.levels[i].goalS > FOLLOW_LIGHT.levels[i - 1].goalS);
  }
  assert.equal(onLight({ x: 100, y: 100 }, { x: 130, y: 140 }, 0.1, 500), true); // 50 px ≤ 0.1 × 500
  assert.equal(onLight({ x: 100, y: 100 }, { x: 131, y: 141 }, 0.1, 500), false);
});

test('levels open one at a time: completing a level opens the next; stopping early changes nothing', () => {
  const fresh = levelsReached([]);
  assert.deepEqual(
    fresh.map((p) => [p.exercise, p.completed, p.unlocked]),
    EXERCISES.map((e) => [e.id, 0, 1]),
  );
  const after = levelsReached([
    { exercise: 'breathing', level: 1, outcome: 'completed' },
    { exercise: 'breathing', level: 2, outcome: 'left' },
    { exercise: 'follow-light', level: 1, outcome: null },
  ]);
  assert.deepEqual(
    after.find((p) => p.exercise === 'breathing'),
    { exercise: 'breathing', levels: 6, completed: 1, unlocked: 2 },
  );
  assert.deepEqual(
    after.find((p) => p.exercise === 'follow-light'),
    { exercise: 'follow-light', levels: 5, completed: 0, unlocked: 1 },
  );
  const all = levelsReached(GROUNDING.levels.map((l) => ({ exercise: 'grounding', level: l.level, outcome: 'completed' as const })));
  assert.equal(all.find((p) => p.exercise === 'grounding')!.unlocked, 3, 'never past the last level');
});

test('a completed run lasts at least its level: full length, the game meter, the closing breath', () => {
  assert.equal(minimumLengthS(BREATHING, 1), 120);
  assert.equal(minimumLengthS(PMR, 2), 7 * 37);
  assert.equal(minimumLengthS(FOLLOW_LIGHT, 1), 30);
  assert.equal(minimumLengthS(GROUNDING, 1), 0);
  assert.equal(minimumLengthS(GROUNDING, 3), 60);
  assert.throws(() => minimumLengthS(BREATHING, 7), /levels 1–6, not 7/);
});

test('the level design document names every level and cites its sources', () => {
  const doc = readFileSync(path.join(REPO_ROOT, 'data/selfcare/LEVELS.md'), 'utf8');
  for (const e of EXERCISES) for (const l of e.levels) assert.ok(doc.includes(l.title), `${e.id} level ${l.level} "${l.title}" is documented`);
  for (const source of ['Lehrer', 'Van Diest', 'Jacobson', 'Bernstein', 'Borkovec', 'Mayo Clinic']) assert.ok(doc.includes(source), source);
});
