import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import { AnalysisEngine } from '../electron/analysis/engine.js';
import type { AnalysisResult } from '../electron/analysis/result.js';
import { AffectService } from '../electron/api/service.js';
import { AlreadyStoredError } from '../electron/store/analysis-key.js';
import { createTrack, addSegment, listTracks } from '../electron/store/annotations-repo.js';
import { ensureClient } from '../electron/store/clients-repo.js';
import { listDassAdministrations, saveDassAdministration } from '../electron/store/dass-repo.js';
import { openDatabase } from '../electron/store/db.js';
import { saveAnalysis, saveOrReplaceAnalysis } from '../electron/store/sessions-repo.js';
import { SAMPLE } from './helpers/media-fixtures.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';

/**
 * The same recording is never stored twice by accident (issue 16): not by the app's import queue, not by a
 * crash between "session saved" and "job done", not by two `affect analyze` runs at once. Real engine, real
 * SQLite files, real subprocesses.
 */
const AFFECT = path.join(REPO_ROOT, 'bin', 'affect.mjs');
const count = (file: string, sql = 'SELECT COUNT(*) AS n FROM sessions') => {
  const d = new Database(file, { readonly: true });
  const n = (d.prepare(sql).get() as { n: number }).n;
  d.close();
  return n;
};

let analysed: AnalysisResult | null = null;
async function sampleResult(): Promise<AnalysisResult> {
  if (analysed) return analysed;
  const engine = await AnalysisEngine.create();
  try {
    analysed = await engine.analyze(SAMPLE, { fps: 2 });
  } finally {
    await engine.close();
  }
  return analysed;
}

test('two connections storing the same analysis: the second is refused with a clear error, one session stays', async () => {
  const file = path.join(tempDir(), 'two.sqlite');
  const a = openDatabase(file);
  const b = openDatabase(file);
  const result = await sampleResult();
  const first = saveAnalysis(a, result);
  assert.throws(
    () => saveAnalysis(b, result),
    (err: Error) =>
      err instanceof AlreadyStoredError &&
      err.sessionId === first &&
      err.message === `${SAMPLE}: stored meanwhile by another run as session ${first} (same content, fps and models); not stored twice`,
  );
  // A different frame rate is a different analysis.
  const other = saveAnalysis(b, { ...result, settings: { ...result.settings, fps: 1 } });
  assert.notEqual(other, first);
  a.close();
  b.close();
  assert.equal(count(file), 2);
  assert.equal(
    count(file, 'SELECT COUNT(*) AS n FROM frame_results WHERE session_id NOT IN (SELECT id FROM sessions)'),
    0,
    'the refused copy left nothing behind',
  );
});

test('--force replaces the stored results in place: same session id, annotations, client and DASS links kept', async () => {
  const file = path.join(tempDir(), 'force.sqlite');
  const db = openDatabase(file);
  const result = await sampleResult();
  const client = ensureClient(db, 'F-1');
  const id = saveAnalysis(db, result, { clientId: client.id });
  const track = createTrack(db, { sessionId: id, annotator: 'rater1' });
  addSegment(db, track.id, { start: 0, end: 2, label: 'sad' });
  saveDassAdministration(db, { clientId: client.id, administeredOn: '2026-11-01', answers: Array(21).fill(1), sessionId: id });
  db.close();
  // A copy of the same recording under another name, analysed again with --force.
  const copy = path.join(tempDir(), 'same content.mp4');
  copyFileSync(SAMPLE, copy);
  const r = spawnSync(process.execPath, [AFFECT, 'analyze', copy, '--db', file, '--force', '--json'], { encoding: 'utf8', timeout: 240_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).session.id, id);
  const again = openDatabase(file);
  assert.equal(count(file), 1);
  const row = again.prepare('SELECT s.client_id AS clientId, m.path FROM sessions s JOIN media m ON m.id = s.media_id WHERE s.id = ?').get(id) as {
    clientId: number;
    path: string;
  };
  assert.deepEqual(row, { clientId: client.id, path: copy });
  assert.deepEqual(
    listTracks(again, id).map((t) => t.annotator),
    ['rater1'],
  );
  assert.equal(listDassAdministrations(again, client.id)[0].sessionId, id);
  // In-process too, and without --force nothing is stored twice.
  assert.deepEqual(saveOrReplaceAnalysis(again, result), { sessionId: id, replaced: true });
  assert.equal(count(file), 1);
  again.close();
});

test('two `affect analyze` runs of one file on one database at once store it once; the other run says why', { timeout: 300_000 }, async () => {
  const file = path.join(tempDir(), 'race.sqlite');
  openDatabase(file).close();
  const run = () =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [AFFECT, 'analyze', SAMPLE, '--db', file], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
  const [a, b] = await Promise.all([run(), run()]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(count(file), 1, 'one session');
  const loser = [a, b].find((x) => /already analysed as session|stored meanwhile by another run as session/.test(x.stderr));
  assert.ok(loser, `one run says it stored nothing: ${a.stderr}\n---\n${b.stderr}`);
  // Both started before either had stored (each run takes seconds), so the unique key decided.
  assert.match(loser.stderr, /stored meanwhile by another run as session 1 \(same content, fps and models\); not stored twice/);
});

test('the import queue: the same recording twice ends "already analysed", pointing at the stored session', { timeout: 300_000 }, async () => {
  const dir = tempDir();
  const dbPath = path.join(dir, 'queue.sqlite');
  const db = openDatabase(dbPath);
  const service = new AffectService({ db, databasePath: dbPath, engine: (models) => AnalysisEngine.create({ ...models }) });
  try {
    const copy = path.join(dir, 'renamed copy.mp4');
    copyFileSync(SAMPLE, copy);
    await service.call('jobs.enqueue', { paths: [SAMPLE, copy] });
    await service.queue.idle();
    const jobs = await service.call('jobs.list', {});
    assert.deepEqual(
      jobs.map((j) => [j.status, j.alreadyAnalysed, j.sessionId]),
      [
        ['done', false, 1],
        ['done', true, 1],
      ],
    );
    assert.equal((await service.call('sessions.list', {})).length, 1);
  } finally {
    await service.close();
    db.close();
  }
});

test(
  'a crash while the job is being marked done stores nothing; after the restart the job runs once more and one session is stored',
  { timeout: 400_000 },
  async () => {
    const dbPath = path.join(tempDir(), 'crash.sqlite');
    openDatabase(dbPath).close();
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'tests/helpers/crash-when-job-done.ts'), dbPath, SAMPLE], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 300_000,
    });
    assert.equal(child.signal, 'SIGKILL', `the helper died at the planned point: ${child.stderr}`);
    // The session and "done" are one transaction: both or neither.
    assert.equal(count(dbPath), 0, 'no session without its job marked done');
    assert.equal(count(dbPath, "SELECT COUNT(*) AS n FROM import_jobs WHERE status = 'running'"), 1);

    // Restart: the interrupted job is queued again and runs once.
    const db = openDatabase(dbPath);
    const service = new AffectService({ db, databasePath: dbPath, engine: (models) => AnalysisEngine.create({ ...models }) });
    try {
      await service.queue.idle();
      const [job] = await service.call('jobs.list', {});
      assert.equal(job.status, 'done');
      assert.equal((await service.call('sessions.list', {})).length, 1);
    } finally {
      await service.close();
      db.close();
    }
  },
);
