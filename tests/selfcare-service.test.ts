import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import { ClientMode } from '../electron/api/client-mode.js';
import { AffectService } from '../electron/api/service.js';
import { startBrowserServer } from '../electron/server/serve.js';
import { openDatabase } from '../electron/store/db.js';
import { listMigrations, migrate } from '../electron/store/migrations.js';
import { getSetting } from '../electron/store/settings-repo.js';
import { tempDir } from './helpers/paths.js';

function service(file = path.join(tempDir(), 'svc.sqlite')) {
  const db = openDatabase(file);
  const svc = new AffectService({ db, databasePath: file, engine: () => Promise.reject(new Error('no engine needed')) });
  return { svc, db, file, close: async () => (await svc.close(), db.close()) };
}

test('selfcare migration on a real file: runs are erased with their client; bad ratings and half-finished rows are refused', () => {
  const file = path.join(tempDir(), 'mig.sqlite');
  const raw = new Database(file);
  const all = listMigrations();
  const mine = all.find((m) => m.name.endsWith('_selfcare'))!;
  migrate(raw, all, mine.version - 1);
  assert.ok(!raw.prepare("SELECT 1 FROM sqlite_master WHERE name = 'selfcare_runs'").get());
  migrate(raw, all, mine.version);
  raw.pragma('foreign_keys = ON');
  const client = Number(raw.prepare("INSERT INTO clients (code) VALUES ('S-1')").run().lastInsertRowid);
  const insert = (cols: string, vals: unknown[]) =>
    raw
      .prepare(
        `INSERT INTO selfcare_runs (client_id, exercise, level, mode, started_at${cols}) VALUES (?, 'breathing', 1, 'client', '2026-11-01T10:00:00Z'${vals.map(() => ', ?').join('')})`,
      )
      .run(client, ...vals);
  insert('', []);
  insert(', outcome, finished_at, length_s, tension_before, tension_after', ['completed', '2026-11-01T10:02:00Z', 120, 7, 4]);
  assert.throws(() => insert(', tension_before', [11]), /CHECK/);
  assert.throws(() => insert(', tension_after', [2.5]), /CHECK/);
  assert.throws(() => insert(', outcome', ['completed']), /CHECK/, 'an outcome needs its finish time and length');
  assert.throws(() => insert(', outcome, finished_at, length_s', ['won', '2026-11-01T10:02:00Z', 1]), /CHECK/);
  assert.throws(() => insert(', options', ['[1]']), /CHECK/, 'options must be a JSON object');
  assert.throws(
    () => raw.prepare("INSERT INTO selfcare_runs (client_id, exercise, level, mode, started_at) VALUES (999, 'pmr', 1, 'client', 'x')").run(),
    /FOREIGN KEY/,
  );
  assert.equal((raw.prepare('SELECT count(*) AS n FROM selfcare_runs').get() as { n: number }).n, 2);
  raw.prepare('DELETE FROM clients WHERE id = ?').run(client);
  assert.equal((raw.prepare('SELECT count(*) AS n FROM selfcare_runs').get() as { n: number }).n, 0, 'erased with the client');
  raw.close();
});

test('runs through the API: start with a rating, finish once, levels open one at a time, short "completed" runs refused', async () => {
  const { svc, close } = service();
  const c = await svc.call('clients.create', { code: 'S-2' });
  const fresh = await svc.call('selfcare.progress', { clientId: c.id });
  assert.deepEqual(fresh.runs, []);
  assert.ok(fresh.progress.every((p) => p.completed === 0 && p.unlocked === 1));
  await assert.rejects(
    svc.call('selfcare.start', { clientId: c.id, exercise: 'breathing', level: 2, tensionBefore: null }),
    /opens after level 1 is completed/,
  );
  await assert.rejects(svc.call('selfcare.start', { clientId: c.id, exercise: 'breathing', level: 9, tensionBefore: null }), /levels 1–6, not 9/);
  await assert.rejects(svc.call('selfcare.start', { clientId: c.id, exercise: 'breathing', level: 1, tensionBefore: 11 }), /invalid input/);

  // Stopped early: stored as left, nothing opens, nothing is lost.
  const left = await svc.call('selfcare.start', {
    clientId: c.id,
    exercise: 'breathing',
    level: 1,
    tensionBefore: 8,
    options: { pattern: 'longer-out' },
  });
  assert.equal(left.mode, 'clinician');
  assert.equal(left.outcome, null);
  const stopped = await svc.call('selfcare.finish', { runId: left.id, outcome: 'left', lengthS: 31.5, tensionAfter: null });
  assert.equal(stopped.run.outcome, 'left');
  assert.equal(stopped.progress.find((p) => p.exercise === 'breathing')!.unlocked, 1);
  await assert.rejects(svc.call('selfcare.finish', { runId: left.id, outcome: 'completed', lengthS: 120, tensionAfter: 3 }), /already finished/);

  const run = await svc.call('selfcare.start', { clientId: c.id, exercise: 'breathing', level: 1, tensionBefore: 7 });
  await assert.rejects(svc.call('selfcare.finish', { runId: run.id, outcome: 'completed', lengthS: 60, tensionAfter: 3 }), /takes at least 120 s/);
  await assert.rejects(
    svc.call('selfcare.finish', { runId: run.id, outcome: 'completed', lengthS: 120, tensionAfter: 3, score: 0.5 }),
    /only the focus game has a score/,
  );
  const done = await svc.call('selfcare.finish', { runId: run.id, outcome: 'completed', lengthS: 120.2, tensionAfter: 3 });
  assert.deepEqual(
    done.progress.find((p) => p.exercise === 'breathing'),
    { exercise: 'breathing', levels: 6, completed: 1, unlocked: 2 },
  );
  await svc.call('selfcare.start', { clientId: c.id, exercise: 'breathing', level: 2, tensionBefore: null });

  // The UI finishes a run when the exercise ends and sends the rating after separately, once.
  const game = await svc.call('selfcare.start', { clientId: c.id, exercise: 'follow-light', level: 1, tensionBefore: 5 });
  await assert.rejects(svc.call('selfcare.rateAfter', { runId: game.id, tensionAfter: 4 }), /not finished yet/);
  const played = await svc.call('selfcare.finish', { runId: game.id, outcome: 'completed', lengthS: 41, score: 30 / 41 });
  assert.ok(Math.abs(played.run.score! - 30 / 41) < 1e-9);
  assert.equal(played.run.tensionAfter, null);
  assert.equal((await svc.call('selfcare.rateAfter', { runId: game.id, tensionAfter: 4 })).tensionAfter, 4);
  await assert.rejects(svc.call('selfcare.rateAfter', { runId: game.id, tensionAfter: 1 }), /already has its rating after/);
  await assert.rejects(svc.call('selfcare.rateAfter', { runId: 999, tensionAfter: 1 }), /no self-care run/);

  const all = await svc.call('selfcare.progress', { clientId: c.id });
  assert.deepEqual(
    all.runs.map((r) => [r.exercise, r.level, r.outcome, r.tensionBefore, r.tensionAfter]),
    [
      ['breathing', 1, 'left', 8, null],
      ['breathing', 1, 'completed', 7, 3],
      ['breathing', 2, null, null, null],
      ['follow-light', 1, 'completed', 5, 4],
    ],
  );
  assert.deepEqual(all.runs[0].options, { pattern: 'longer-out' });
  await close();
});

test("client mode: only that client's exercise methods pass, other clients and everything else are refused, the PIN ends it", async () => {
  const { svc, db, file, close } = service();
  const a = await svc.call('clients.create', { code: 'A-1' });
  const b = await svc.call('clients.create', { code: 'B-2', displayName: 'Someone else' });
  await svc.call('dass.save', { clientId: a.id, administeredAt: '2026-11-01', answers: Array(21).fill(0) });
  const otherRun = await svc.call('selfcare.start', { clientId: b.id, exercise: 'grounding', level: 1, tensionBefore: null });

  await assert.rejects(svc.call('clientMode.enter', { clientId: a.id }), /set a PIN or passphrase first/);
  await assert.rejects(svc.call('clientMode.setPin', { pin: '123' }), /at least 4 characters/);
  await svc.call('clientMode.setPin', { pin: '2468' });
  await assert.rejects(svc.call('clientMode.setPin', { pin: '1357' }), /give the current PIN/);
  await assert.rejects(svc.call('clientMode.setPin', { pin: '1357', currentPin: '0000' }), /wrong PIN/);
  // Stored as a scrypt hash, never the PIN itself.
  const stored = JSON.stringify(getSetting(db, 'clientMode.pin'));
  assert.match(stored, /"algo":"scrypt"/);
  assert.doesNotMatch(stored, /2468/);

  const on = await svc.call('clientMode.enter', { clientId: a.id, idleLockS: 120 });
  assert.deepEqual(on, { active: true, locked: false, pinSet: true, idleLockS: 120, client: { id: a.id, code: 'A-1', displayName: null } });
  const refused = (p: Promise<unknown>) => assert.rejects(p, (err: Error & { code?: string }) => err.code === 'forbidden');
  for (const [m, input] of [
    ['clients.list', {}],
    ['sessions.list', {}],
    ['sessions.get', { id: 1 }],
    ['dass.list', { clientId: a.id }],
    ['trends.get', { clientId: a.id }],
    ['app.info', {}],
    ['jobs.enqueue', { paths: ['/etc/passwd'] }],
    ['selfcare.export', { clientId: a.id, format: 'json' }],
    ['selfcare.progress', { clientId: b.id }],
    ['selfcare.start', { clientId: b.id, exercise: 'breathing', level: 1, tensionBefore: null }],
    ['selfcare.finish', { runId: otherRun.id, outcome: 'left', lengthS: 1, tensionAfter: null }],
    ['selfcare.rateAfter', { runId: otherRun.id, tensionAfter: 3 }],
    ['clientMode.setPin', { pin: '9999', currentPin: '2468' }],
  ] as const)
    await refused(svc.handle(m, input));
  // That client's own exercises work, and are marked as run in client mode.
  const mine = await svc.call('selfcare.start', { clientId: a.id, exercise: 'breathing', level: 1, tensionBefore: 6 });
  assert.equal(mine.mode, 'client');
  await svc.call('selfcare.finish', { runId: mine.id, outcome: 'completed', lengthS: 120, tensionAfter: 2 });
  assert.equal((await svc.call('selfcare.progress', { clientId: a.id })).progress[0].unlocked, 2);

  // Locked: only the PIN opens it; the locked status names no one.
  const locked = await svc.call('clientMode.lock', {});
  assert.deepEqual(locked.client, null);
  assert.equal(locked.locked, true);
  await refused(svc.call('selfcare.progress', { clientId: a.id }));
  await refused(svc.call('clientMode.unlock', { pin: '1111' }));
  await svc.call('clientMode.unlock', { pin: '2468' });
  await svc.call('selfcare.progress', { clientId: a.id });
  await refused(svc.call('clientMode.exit', { pin: '8642' }));

  // An app restarted in client mode comes back locked, not open.
  const again = new AffectService({ db, databasePath: file, engine: () => Promise.reject(new Error('no engine needed')) });
  assert.deepEqual(await again.call('clientMode.status', {}), { active: true, locked: true, pinSet: true, idleLockS: 120, client: null });
  await refused(again.call('clients.list', {}));
  await again.call('clientMode.exit', { pin: '2468' });
  assert.equal((await again.call('clients.list', {})).length, 2);
  await again.close();
  await close();
});

test('client mode: five wrong PINs make each further try wait 30 s; the service locks by itself after a long silence', async () => {
  const file = path.join(tempDir(), 'cm.sqlite');
  const db = openDatabase(file);
  db.prepare("INSERT INTO clients (code) VALUES ('T-1')").run();
  let now = 1_000_000;
  const cm = new ClientMode(
    db,
    (id) => ({ id, code: 'T-1', displayName: null }),
    () => now,
  );
  await cm.setPin('correct horse');
  cm.enter(1, 60);
  cm.lock();
  for (let i = 0; i < 4; i++) await assert.rejects(cm.unlock('wrong'), /^ApiError: wrong PIN$|wrong PIN$/);
  await assert.rejects(cm.unlock('wrong'), /wait 30 s/);
  await assert.rejects(cm.unlock('correct horse'), /too many wrong tries; wait 30 s/, 'even the right PIN waits');
  now += 30_001;
  assert.equal((await cm.unlock('correct horse')).locked, false);
  // Calls within the backstop keep it open; a silence longer than the idle time plus 15 minutes locks it.
  now += 60_000 + 15 * 60_000 - 1;
  cm.check('selfcare.progress', { clientId: 1 });
  now += 60_000 + 15 * 60_000 + 1;
  assert.throws(() => cm.check('selfcare.progress', { clientId: 1 }), /locked/);
  db.close();
});

test('browser mode in client mode: the API answers 403 and no recording or upload is served', async () => {
  const dir = tempDir();
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  const { svc, close } = service(path.join(dir, 'b.sqlite'));
  const s = await startBrowserServer({ service: svc, rendererDir, uploadDir: path.join(dir, 'imports') });
  const base = `http://127.0.0.1:${s.port}`;
  const headers = { 'x-affect-token': s.token, 'content-type': 'application/json' };
  const post = (m: string, body: unknown) => fetch(`${base}/api/${m}`, { method: 'POST', headers, body: JSON.stringify(body) });
  try {
    const c = (await (await post('clients.create', { code: 'W-1' })).json()).result;
    await post('clientMode.setPin', { pin: '4321' });
    assert.equal((await post('clientMode.enter', { clientId: c.id })).status, 200);
    const listed = await post('clients.list', {});
    assert.equal(listed.status, 403);
    assert.match((await listed.json()).error, /not available in client mode/);
    assert.equal((await post('selfcare.progress', { clientId: c.id })).status, 200);
    assert.equal((await fetch(`${base}/media/1`, { headers })).status, 403);
    const upload = { ...headers, 'content-type': 'application/octet-stream' };
    assert.equal((await fetch(`${base}/upload?name=x.mp4`, { method: 'POST', headers: upload, body: 'x' })).status, 403);
    assert.equal((await post('clientMode.exit', { pin: '4321' })).status, 200);
    assert.equal((await post('clients.list', {})).status, 200);
  } finally {
    s.server.close();
    await close();
  }
});
