import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { SCORING_VERSION, type Answer } from '../electron/contract/shared/dass-score.js';
import { openDatabase } from '../electron/store/db.js';
import { compareDassAdministrations, getDassAdministration, listDassAdministrations, saveDassAdministration } from '../electron/store/dass-repo.js';
import { tempDir } from './helpers/paths.js';

const filled = (v: Answer): Answer[] => Array.from({ length: 21 }, () => v);

function freshDb() {
  const file = path.join(tempDir(), 'dass.sqlite');
  const db = openDatabase(file);
  const client = (code: string) => Number(db.prepare('INSERT INTO clients (code) VALUES (?)').run(code).lastInsertRowid);
  return { db, file, c1: client('C-001'), c2: client('C-002') };
}

test('save scores and stores the item answers, scores, bands, completeness and scoring version', () => {
  const { db, file, c1 } = freshDb();
  const answers: unknown[] = filled(1);
  answers[20] = ''; // item 21 missing → depression prorated: six 1s → 14
  answers[0] = null;
  answers[5] = null; // items 1 and 6 missing → stress has no score
  const saved = saveDassAdministration(db, { clientId: c1, administeredOn: '2026-03-02', answers, notes: 'first visit' });
  assert.equal(saved.scores.depression.score, 14);
  assert.equal(saved.scores.depression.band, 'moderate');
  assert.equal(saved.scores.anxiety.score, 14);
  assert.deepEqual(saved.scores.stress, { score: null, band: null });
  assert.equal(saved.complete, false);
  assert.equal(saved.scoringVersion, SCORING_VERSION);
  assert.equal(saved.answers[20], null);
  assert.equal(saved.answers[1], 1);
  db.close();
  // It is really on disk: reopen the file.
  const again = openDatabase(file);
  const back = getDassAdministration(again, saved.id)!;
  assert.deepEqual(back, saved);
  assert.equal(again.prepare('SELECT notes FROM dass_administrations WHERE id = ?').pluck().get(saved.id), 'first visit');
  again.close();
});

test('invalid input is refused and nothing is stored', () => {
  const { db, c1 } = freshDb();
  const bad = filled(0) as unknown[];
  bad[11] = 4;
  assert.throws(() => saveDassAdministration(db, { clientId: c1, administeredOn: '2026-01-01', answers: bad }), /item 12/);
  assert.throws(() => saveDassAdministration(db, { clientId: c1, administeredOn: '2026-02-30', answers: filled(0) }), /calendar date/);
  assert.throws(() => saveDassAdministration(db, { clientId: 999, administeredOn: '2026-01-01', answers: filled(0) }), /no client with id 999/);
  assert.throws(
    () => saveDassAdministration(db, { clientId: c1, administeredOn: '2026-01-01', answers: filled(0), sessionId: 42 }),
    /no session with id 42/,
  );
  assert.equal(db.prepare('SELECT COUNT(*) FROM dass_administrations').pluck().get(), 0);
  // The table's own checks refuse out-of-range values written around the repo.
  assert.throws(
    () =>
      db
        .prepare("INSERT INTO dass_administrations (client_id, administered_on, q1, complete, scoring_version) VALUES (?, '2026-01-01', 5, 1, 'x')")
        .run(c1),
    /CHECK/,
  );
  db.close();
});

test('a session link must belong to the same client', () => {
  const { db, c1, c2 } = freshDb();
  const media = Number(
    db.prepare("INSERT INTO media (path, sha256, size_bytes, format, duration_s) VALUES ('/x.mp4', 'h', 1, 'mp4', 1)").run().lastInsertRowid,
  );
  const session = Number(
    db.prepare("INSERT INTO sessions (client_id, media_id, settings, summary, elapsed_s) VALUES (?, ?, '{}', '{}', 0)").run(c1, media)
      .lastInsertRowid,
  );
  const ok = saveDassAdministration(db, { clientId: c1, administeredOn: '2026-01-05', answers: filled(0), sessionId: session });
  assert.equal(ok.sessionId, session);
  assert.throws(
    () => saveDassAdministration(db, { clientId: c2, administeredOn: '2026-01-05', answers: filled(0), sessionId: session }),
    /belongs to client/,
  );
  db.close();
});

test('list is in date order per client; compare gives differences, band changes and the ≥5-point flag', () => {
  const { db, c1, c2 } = freshDb();
  // Saved out of order on purpose.
  const later = saveDassAdministration(db, { clientId: c1, administeredOn: '2026-05-10', answers: filled(1) }); // 14 / 14 / 14
  const earlier = saveDassAdministration(db, { clientId: c1, administeredOn: '2026-04-01', answers: filled(2) }); // 28 / 28 / 28
  const sameDay = saveDassAdministration(db, { clientId: c1, administeredOn: '2026-05-10', answers: filled(1) });
  saveDassAdministration(db, { clientId: c2, administeredOn: '2026-01-01', answers: filled(0) });
  assert.deepEqual(
    listDassAdministrations(db, c1).map((a) => a.id),
    [earlier.id, later.id, sameDay.id],
  );
  assert.equal(listDassAdministrations(db, c2).length, 1);

  const cmp = compareDassAdministrations(db, earlier.id, later.id);
  const dep = cmp.changes.find((c) => c.subscale === 'depression')!;
  assert.deepEqual(
    [dep.from, dep.to, dep.difference, dep.fromBand, dep.toBand, dep.bandSteps, dep.bandChange, dep.flagged],
    [28, 14, -14, 'extremely severe', 'moderate', -2, 'lower', true],
  );
  const stress = cmp.changes.find((c) => c.subscale === 'stress')!;
  assert.deepEqual([stress.fromBand, stress.toBand, stress.bandChange], ['severe', 'normal', 'lower']); // 28 → 14
  assert.equal(cmp.scoringVersionsDiffer, false);

  // The flag threshold: a 4-point change is not flagged, a 6-point one is (scores are even when complete).
  const base = filled(0);
  const plus2items = base.slice();
  plus2items[2] = 2; // depression +4
  const plus3items = base.slice();
  plus3items[2] = 3; // depression +6
  const a0 = saveDassAdministration(db, { clientId: c2, administeredOn: '2026-02-01', answers: plus2items });
  const a1 = saveDassAdministration(db, { clientId: c2, administeredOn: '2026-03-01', answers: plus3items });
  const a2 = saveDassAdministration(db, { clientId: c2, administeredOn: '2026-03-01', answers: base });
  const small = compareDassAdministrations(db, a1.id, a0.id).changes.find((c) => c.subscale === 'depression')!;
  assert.deepEqual([small.difference, small.flagged, small.bandChange], [-2, false, 'same']);
  const four = compareDassAdministrations(db, a2.id, a0.id).changes.find((c) => c.subscale === 'depression')!;
  assert.deepEqual([four.difference, four.flagged], [4, false]);
  const six = compareDassAdministrations(db, a2.id, a1.id).changes.find((c) => c.subscale === 'depression')!;
  assert.deepEqual([six.difference, six.flagged], [6, true]);

  // Exactly 5 points (possible only with a prorated score) is flagged: depression 2 → prorated 7 (sum 3 over six items).
  const from = base.slice();
  from[2] = 1; // depression 2
  const to = base.slice();
  to[2] = 3;
  to[20] = null; // depression prorated: sum 3 → 7
  const f = saveDassAdministration(db, { clientId: c2, administeredOn: '2026-04-01', answers: from });
  const t = saveDassAdministration(db, { clientId: c2, administeredOn: '2026-04-02', answers: to });
  const five = compareDassAdministrations(db, f.id, t.id).changes.find((c) => c.subscale === 'depression')!;
  assert.deepEqual([five.from, five.to, five.difference, five.flagged], [2, 7, 5, true]);

  // Missing scores compare as null, never flagged; different clients are refused.
  const gaps = base.slice();
  gaps[0] = null;
  gaps[5] = null;
  const g = saveDassAdministration(db, { clientId: c2, administeredOn: '2026-06-01', answers: gaps });
  const st = compareDassAdministrations(db, a2.id, g.id).changes.find((c) => c.subscale === 'stress')!;
  assert.deepEqual([st.difference, st.bandChange, st.flagged], [null, null, false]);
  assert.throws(() => compareDassAdministrations(db, earlier.id, a0.id), /different clients/);
  db.close();
});
