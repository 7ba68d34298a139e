import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { compareTracks, kappaFromMatrix, poolAgreements, sliceLabels } from '../electron/analysis/agreement.js';
import { addSegment, createTrack, modelSpans } from '../electron/store/annotations-repo.js';
import { openDatabase } from '../electron/store/db.js';
import { getSession } from '../electron/store/sessions-repo.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';
import { SAMPLE_MP4, storeScriptedSession } from './helpers/stored-session.js';

const close = (a: number | null, b: number, eps = 1e-9) => assert.ok(a !== null && Math.abs(a - b) < eps, `${a} ≉ ${b}`);

test("textbook 2×2 example (Wikipedia, Cohen's kappa): 20/5/10/15 of 50 → pₒ 0.7, pₑ 0.5, κ 0.4", () => {
  // Built as tracks over 50 one-second slices: A says yes for 0–25 s, B for 0–20 s and 25–35 s.
  const A = [
    { start: 0, end: 25, label: 'yes' },
    { start: 25, end: 50, label: 'no' },
  ];
  const B = [
    { start: 0, end: 20, label: 'yes' },
    { start: 20, end: 25, label: 'no' },
    { start: 25, end: 35, label: 'yes' },
    { start: 35, end: 50, label: 'no' },
  ];
  const r = compareTracks(A, B, { durationS: 50, sliceS: 1, labels: ['yes', 'no'] });
  assert.deepEqual(r.matrix, [
    [20, 5],
    [10, 15],
  ]);
  assert.equal(r.slicesCompared, 50);
  close(r.percentAgreement, 0.7);
  close(r.expectedAgreement, 0.5);
  close(r.kappa, 0.4);
  assert.equal(r.unit.sliceS, 1);
});

test('hand-checked 3×3 matrix: n 30, pₒ 22/30, pₑ 318/900, κ 0.38/0.64667 = 0.58763', () => {
  // rows (A) 12, 12, 6; columns (B) 11, 12, 7 → pₑ = (12·11 + 12·12 + 6·7) / 30² = 318/900
  const k = kappaFromMatrix([
    [10, 2, 0],
    [1, 8, 3],
    [0, 2, 4],
  ]);
  close(k.observed, 22 / 30);
  close(k.expected, 318 / 900);
  close(k.kappa, (22 / 30 - 318 / 900) / (1 - 318 / 900));
  close(k.kappa, 0.587629, 1e-6);
  assert.equal(kappaFromMatrix([[5]]).kappa, null, 'one label only: chance agreement is 1, kappa undefined');
  assert.equal(kappaFromMatrix([[0]]).kappa, null);
});

test('only slices both tracks label are compared; midpoints decide; the counts are reported', () => {
  assert.deepEqual(sliceLabels([{ start: 0.15, end: 0.3, label: 'x' }], 0.5, 0.1), [null, 'x', 'x', null, null]);
  const A = [{ start: 0, end: 1, label: 'happy' }];
  const B = [
    { start: 0.5, end: 1, label: 'happy' },
    { start: 1, end: 2, label: 'sad' },
  ];
  const r = compareTracks(A, B, { durationS: 2, sliceS: 0.1 });
  assert.equal(r.slicesTotal, 20);
  assert.equal(r.slicesCompared, 5);
  assert.equal(r.slicesOnlyA, 5);
  assert.equal(r.slicesOnlyB, 10);
  assert.equal(r.percentAgreement, 1);
  assert.equal(r.kappa, null, 'both said happy throughout the compared slices');
  assert.throws(() => compareTracks(A, B, { durationS: 2, sliceS: 0 }), /positive/);
});

test('pooling adds the confusion matrices (not an average of kappas)', () => {
  const s1 = compareTracks(
    [{ start: 0, end: 10, label: 'a' }],
    [
      { start: 0, end: 5, label: 'a' },
      { start: 5, end: 10, label: 'b' },
    ],
    { durationS: 10, sliceS: 1 },
  );
  const s2 = compareTracks([{ start: 0, end: 4, label: 'b' }], [{ start: 0, end: 4, label: 'b' }], { durationS: 4, sliceS: 1, labels: ['a', 'b'] });
  const p = poolAgreements([s1, s2]);
  assert.deepEqual(p.labels, ['a', 'b']);
  assert.deepEqual(p.matrix, [
    [5, 5],
    [0, 4],
  ]);
  assert.equal(p.slicesTotal, 14);
  close(p.percentAgreement, 9 / 14);
  // pₑ = (10/14)(5/14) + (4/14)(9/14) = 86/196
  close(p.kappa, (9 / 14 - 86 / 196) / (1 - 86 / 196));
  assert.throws(() => poolAgreements([s1, compareTracks([], [], { durationS: 1, sliceS: 0.5 })]), /different slice lengths/);
});

test('affect agreement on a real database: per session, against the model, and pooled with --all', async () => {
  const dbPath = path.join(tempDir(), 'agreement.sqlite');
  const db = openDatabase(dbPath);
  const ids: number[] = [];
  for (const cut of [8, 12]) {
    const id = await storeScriptedSession(db, SAMPLE_MP4, { faceAt: (t) => (t < cut ? 'happy' : 'sad'), voiceAt: () => 'neutral' });
    ids.push(id);
    const a = createTrack(db, { sessionId: id, annotator: 'ann' });
    addSegment(db, a.id, { start: 0, end: 10, label: 'happy' });
    addSegment(db, a.id, { start: 10, end: 19, label: 'sad' });
    if (cut === 8) {
      const b = createTrack(db, { sessionId: id, annotator: 'bob' });
      addSegment(db, b.id, { start: 2, end: 10, label: 'happy' });
      addSegment(db, b.id, { start: 10, end: 15, label: 'angry' });
    }
  }
  const expected = ids.map((id) =>
    compareTracks(
      [
        { start: 0, end: 10, label: 'happy' },
        { start: 10, end: 19, label: 'sad' },
      ],
      modelSpans(db, id, 'model-face'),
      { durationS: getSession(db, id)!.durationS, sliceS: 0.25 },
    ),
  );
  db.close();
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/affect.mjs'), 'agreement', '--db', dbPath, ...args], { encoding: 'utf8' });

  const one = cli('--session', String(ids[0]), '--a', 'ann', '--b', 'model-face', '--slice', '0.25', '--json');
  assert.equal(one.status, 0, one.stderr);
  const j = JSON.parse(one.stdout);
  assert.equal(j.unit.sliceS, 0.25);
  assert.deepEqual(j.sessions[0].matrix, expected[0].matrix);
  assert.equal(j.sessions[0].kappa, expected[0].kappa);
  // Session 1: annotator says happy until 10 s, the (scripted) model until 8 s: 8 of ~76 slices disagree.
  assert.equal(j.sessions[0].slicesCompared, 76);
  close(j.sessions[0].percentAgreement, 68 / 76);

  const all = cli('--all', '--a', 'ann', '--b', 'model-face', '--slice', '0.25', '--json');
  assert.equal(all.status, 0, all.stderr);
  const p = JSON.parse(all.stdout);
  assert.deepEqual(
    p.sessions.map((s: { sessionId: number }) => s.sessionId),
    ids,
  );
  assert.deepEqual(p.pooled.matrix, poolAgreements(expected).matrix);
  assert.equal(p.pooled.slicesCompared, expected[0].slicesCompared + expected[1].slicesCompared);

  const two = cli('--all', '--a', 'ann', '--b', 'bob');
  assert.equal(two.status, 0, two.stderr);
  assert.match(two.stdout, new RegExp(`session ${ids[0]}: kappa`));
  assert.doesNotMatch(two.stdout, new RegExp(`session ${ids[1]}:`), 'only sessions with both tracks are pooled');
  assert.match(two.stdout, /pooled over 1 session/);
  assert.match(two.stdout, /angry/);

  const missing = cli('--session', String(ids[1]), '--a', 'ann', '--b', 'bob');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no annotation track by "bob"/);
  assert.equal(cli('--a', 'ann', '--b', 'bob').status, 2, 'usage error without --session or --all');
});
