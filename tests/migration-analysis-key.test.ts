import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import { analysisKey } from '../electron/store/analysis-key.js';
import { openDatabase } from '../electron/store/db.js';
import { listMigrations, migrate } from '../electron/store/migrations.js';
import { findAnalysedSession } from '../electron/store/sessions-repo.js';
import { tempDir } from './helpers/paths.js';

/**
 * The analysis-key migration on a real file holding what older versions could store: the same recording
 * analysed twice with the same fps and models (the duplicate bug), once at another fps, and a recording
 * analysed at a fractional fps. (Found by name, so renumbering the migrations does not break this test.)
 */
test('analysis_key: backfilled for existing sessions, old duplicates kept without a key, a new copy refused', () => {
  const all = listMigrations();
  const mine = all.find((m) => m.name.includes('analysis_key'));
  assert.ok(mine, 'the analysis_key migration exists');
  const file = path.join(tempDir(), 'before-key.sqlite');
  const db = new Database(file);
  migrate(db, all, mine.version - 1);

  const modelId = (sha: string, role: string) =>
    Number(
      db.prepare("INSERT INTO models (model_id, version, sha256, task, labels) VALUES (?, '1', ?, ?, '[]')").run(`m-${sha.slice(0, 4)}`, sha, role)
        .lastInsertRowid,
    );
  const models = [modelId('b'.repeat(64), 'face-expression'), modelId('a'.repeat(64), 'voice-emotion')];
  const session = (mediaSha: string, fps: number) => {
    const mediaId = Number(
      db.prepare("INSERT INTO media (path, sha256, size_bytes, format, duration_s) VALUES ('/r/x.mp4', ?, 10, 'mp4', 1)").run(mediaSha)
        .lastInsertRowid,
    );
    const id = Number(
      db.prepare("INSERT INTO sessions (media_id, settings, summary, elapsed_s) VALUES (?, ?, '{}', 0)").run(mediaId, JSON.stringify({ fps }))
        .lastInsertRowid,
    );
    for (const [i, m] of models.entries())
      db.prepare('INSERT INTO session_models (session_id, model_id, role) VALUES (?, ?, ?)').run(id, m, ['face-expression', 'voice-emotion'][i]);
    return id;
  };
  const first = session('1'.repeat(64), 2);
  const duplicate = session('1'.repeat(64), 2);
  const otherFps = session('1'.repeat(64), 1);
  const fractional = session('2'.repeat(64), 1 / 3);
  db.prepare("INSERT INTO import_jobs (file, status) VALUES ('/r/x.mp4', 'done')").run();

  assert.deepEqual(migrate(db, all, mine.version), [mine.version]);
  const keys = new Map(
    (db.prepare('SELECT id, analysis_key AS k FROM sessions').all() as Array<{ id: number; k: string | null }>).map((r) => [r.id, r.k]),
  );
  const shas = ['a'.repeat(64), 'b'.repeat(64)];
  // The SQL backfill builds exactly the key the app computes (model order does not matter).
  assert.equal(keys.get(first), analysisKey('1'.repeat(64), 2, [...shas].reverse()));
  assert.equal(keys.get(duplicate), null, 'the later copy stays, without the key');
  assert.equal(keys.get(otherFps), analysisKey('1'.repeat(64), 1, shas));
  assert.equal(keys.get(fractional), analysisKey('2'.repeat(64), 1 / 3, shas));
  assert.equal((db.prepare('SELECT already_analysed AS a FROM import_jobs').get() as { a: number }).a, 0);
  // The unique index refuses a second copy, whoever writes it.
  assert.throws(
    () => db.prepare('UPDATE sessions SET analysis_key = ? WHERE id = ?').run(keys.get(first), duplicate),
    /UNIQUE constraint failed: sessions\.analysis_key/,
  );
  assert.equal((db.pragma('foreign_key_check') as unknown[]).length, 0);
  db.close();

  // The app finds the kept session by content, fps and models.
  const app = openDatabase(file);
  assert.equal(findAnalysedSession(app, '1'.repeat(64), 2, shas), first);
  assert.equal(findAnalysedSession(app, '2'.repeat(64), 1 / 3, shas), fractional);
  assert.equal(findAnalysedSession(app, '3'.repeat(64), 2, shas), null);
  app.close();
});
