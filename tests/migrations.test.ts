import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import { openDatabase } from '../electron/store/db.js';
import { appliedVersions, listMigrations, migrate } from '../electron/store/migrations.js';
import { tempDir } from './helpers/paths.js';

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);

test('migrations are numbered 1..n without gaps', () => {
  const ms = listMigrations();
  assert.ok(ms.length >= 1);
  ms.forEach((m, i) => assert.equal(m.version, i + 1));
});

test('each migration applies on a real file, one at a time, and is recorded', () => {
  const file = path.join(tempDir(), 'stepwise.sqlite');
  const db = new Database(file);
  const ms = listMigrations();
  for (const m of ms) {
    const before = tables(db);
    assert.deepEqual(migrate(db, ms, m.version), [m.version]);
    assert.ok(tables(db).length > before.length || m.sql.includes('ALTER') || m.sql.includes('INDEX'), `${m.name} changed the schema`);
    assert.equal((db.pragma('foreign_key_check') as unknown[]).length, 0);
  }
  assert.deepEqual(
    appliedVersions(db),
    ms.map((m) => m.version),
  );
  assert.deepEqual(migrate(db, ms), [], 'nothing left to apply');
  db.close();
});

test('001_init: WAL, foreign keys, the core tables', () => {
  const file = path.join(tempDir(), 'init.sqlite');
  const db = openDatabase(file);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  for (const t of ['clients', 'sessions', 'media', 'models', 'session_models', 'frame_results', 'window_results', 'schema_migrations'])
    assert.ok(tables(db).includes(t), t);
  // Foreign keys are enforced: a session cannot point at missing media.
  assert.throws(() => db.prepare("INSERT INTO sessions (media_id, settings, summary, elapsed_s) VALUES (999, '{}', '{}', 0)").run(), /FOREIGN KEY/);
  db.close();
  // Reopening applies nothing new and keeps the data.
  const again = openDatabase(file);
  assert.deepEqual(
    appliedVersions(again),
    listMigrations().map((m) => m.version),
  );
  again.close();
});

test('a failing migration rolls back and leaves the last good version', () => {
  const dir = tempDir();
  const migDir = path.join(dir, 'migrations');
  mkdirSync(migDir);
  writeFileSync(path.join(migDir, '001_ok.sql'), 'CREATE TABLE a (x INTEGER);');
  writeFileSync(path.join(migDir, '002_bad.sql'), 'CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);');
  const db = new Database(path.join(dir, 'x.sqlite'));
  assert.throws(() => migrate(db, listMigrations(migDir)), /no such table: nowhere/);
  assert.deepEqual(appliedVersions(db), [1]);
  assert.ok(!tables(db).includes('b'), 'the half-applied migration left nothing behind');
  db.close();
});

test('a database from a newer app version is refused, not damaged', () => {
  const file = path.join(tempDir(), 'newer.sqlite');
  openDatabase(file).close();
  const raw = new Database(file);
  raw.prepare("INSERT INTO schema_migrations (version, name) VALUES (999, '999_future')").run();
  raw.close();
  assert.throws(() => openDatabase(file), /newer than this app understands/);
});

test('a file that is not SQLite is reported by name', () => {
  const file = path.join(tempDir(), 'notes.sqlite');
  writeFileSync(file, 'just some text, not a database '.repeat(100));
  assert.throws(
    () => openDatabase(file),
    (err: Error) => err.message.startsWith(file) && /not an Affect Workstation database|not a database/.test(err.message),
  );
});

test('session_review: on a real file from before it, a stored recording date is marked as given; import failures are retryable unless known not to be', () => {
  const ms = listMigrations();
  const target = ms.find((m) => m.name.endsWith('_session_review'));
  assert.ok(target, 'the session_review migration exists');
  const file = path.join(tempDir(), 'before-review.sqlite');
  const db = new Database(file);
  migrate(db, ms, target!.version - 1);
  db.prepare("INSERT INTO media (path, sha256, size_bytes, format, duration_s) VALUES ('rel/clip.mp4', 'abc', 10, 'mp4', 5)").run();
  db.prepare("INSERT INTO sessions (media_id, recorded_at, settings, summary, elapsed_s) VALUES (1, '2025-05-05', '{}', '{}', 1)").run();
  db.prepare("INSERT INTO sessions (media_id, settings, summary, elapsed_s) VALUES (1, '{}', '{}', 1)").run();
  db.prepare("INSERT INTO import_jobs (file, status, error) VALUES ('x.mp4', 'failed', 'x.mp4: not a readable audio or video file')").run();
  db.close();
  const after = openDatabase(file);
  assert.deepEqual(after.prepare('SELECT recorded_at, recorded_at_source FROM sessions ORDER BY id').all(), [
    { recorded_at: '2025-05-05', recorded_at_source: 'user' },
    { recorded_at: null, recorded_at_source: null },
  ]);
  assert.deepEqual(after.prepare('SELECT retryable, error_detail FROM import_jobs').get(), { retryable: 1, error_detail: null });
  assert.equal((after.prepare('SELECT created_at FROM media').get() as { created_at: string | null }).created_at, null);
  assert.throws(() => after.prepare("UPDATE sessions SET recorded_at_source = 'guess' WHERE id = 1").run(), /CHECK/);
  after.close();
});

test('participants: on a real file from before it, each session becomes one participant owning its frames and windows; cascades and checks hold', () => {
  const ms = listMigrations();
  const target = ms.find((m) => m.name.endsWith('_participants'));
  assert.ok(target, 'the participants migration exists');
  const file = path.join(tempDir(), 'before-participants.sqlite');
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  migrate(db, ms, target!.version - 1);
  db.prepare("INSERT INTO clients (code) VALUES ('C1')").run();
  db.prepare(
    "INSERT INTO media (path, sha256, size_bytes, format, duration_s, video_codec, audio_codec) VALUES ('/r/a.mp4', 'abc', 10, 'mp4', 5, 'h264', 'aac')",
  ).run();
  const summary = (face: number, voiced: number) =>
    JSON.stringify({
      session: { id: null, file: '/r/a.mp4', durationS: 5 },
      face: { framesAnalysed: 3, framesWithFace: face, framesAbstained: 0, majority: face ? 'happy' : null, distribution: { happy: face ? 1 : 0 } },
      voice: { windows: 3, voicedWindows: voiced, majority: voiced ? 'sad' : null, distribution: { sad: voiced ? 1 : 0 } },
      fused: { label: face || voiced ? 'happy' : null, confidence: face || voiced ? 0.6 : null, rule: 'r' },
      models: [],
      warnings: [],
      elapsedS: 1,
      note: 'n',
    });
  db.prepare('INSERT INTO sessions (client_id, media_id, settings, summary, elapsed_s) VALUES (1, 1, ?, ?, 1)').run('{"fps":2}', summary(2, 2));
  db.prepare('INSERT INTO sessions (media_id, settings, summary, elapsed_s) VALUES (1, ?, ?, 1)').run('{"fps":2}', summary(0, 0));
  const frame = db.prepare('INSERT INTO frame_results (session_id, frame_index, time_s, face_found, box, label) VALUES (?, ?, ?, ?, ?, ?)');
  frame.run(1, 0, 0, 1, '[10,20,100,120]', 'happy');
  frame.run(1, 1, 0.5, 1, '[14,20,100,120]', 'happy');
  frame.run(1, 2, 1, 0, null, null);
  frame.run(2, 0, 0, 0, null, null);
  const win = db.prepare('INSERT INTO window_results (session_id, window_index, start_s, end_s, voiced, label) VALUES (?, ?, ?, ?, ?, ?)');
  win.run(1, 0, 0, 3, 1, 'sad');
  win.run(1, 1, 1, 4, 1, 'sad');
  win.run(1, 2, 2, 5, 0, null);
  db.close();

  const after = openDatabase(file);
  const people = after.prepare('SELECT session_id, number, name, is_client, summary FROM participants ORDER BY session_id').all() as Array<{
    session_id: number;
    number: number;
    summary: string;
  }>;
  assert.deepEqual(
    people.map((p) => [p.session_id, p.number]),
    [
      [1, 1],
      [2, 1],
    ],
    'one participant per session',
  );
  const one = JSON.parse(people[0].summary);
  assert.equal(one.face.majority, 'happy');
  assert.deepEqual(one.face.box, { x: 12, y: 20, width: 100, height: 120 }, 'the mean of the stored face boxes');
  assert.equal(one.voice.majority, 'sad');
  assert.equal(one.voice.speechS, 4, 'speech = union of the windows with speech, [0, 4)');
  assert.deepEqual(JSON.parse(people[1].summary), { face: null, voice: null, fused: null }, 'no face, no speech: an empty participant');
  assert.deepEqual(after.prepare('SELECT participant, COUNT(*) AS n FROM frame_results GROUP BY participant').all(), [{ participant: 1, n: 4 }]);
  assert.deepEqual(after.prepare('SELECT participant, COUNT(*) AS n FROM window_results GROUP BY participant').all(), [{ participant: 1, n: 3 }]);
  assert.equal((after.pragma('foreign_key_check') as unknown[]).length, 0);
  // A frame of a participant that does not exist is refused; two clients in one session are refused.
  assert.throws(
    () => after.prepare('INSERT INTO frame_results (session_id, participant, frame_index, time_s, face_found) VALUES (1, 7, 9, 4, 0)').run(),
    /FOREIGN KEY/,
  );
  after.prepare("INSERT INTO participants (session_id, number, summary) VALUES (1, 2, '{}')").run();
  after.prepare('UPDATE participants SET is_client = 1 WHERE session_id = 1 AND number = 1').run();
  assert.throws(() => after.prepare('UPDATE participants SET is_client = 1 WHERE session_id = 1 AND number = 2').run(), /UNIQUE/);
  // A face kept for the client goes with the client, and with the session it was learnt from.
  after
    .prepare(
      "INSERT INTO client_faces (client_id, participant_id, name, embedding, embedding_model, embedding_count) VALUES (1, 1, 'Alex', x'00000000', 'm', 1)",
    )
    .run();
  after.prepare('UPDATE sessions SET client_id = NULL WHERE id = 1').run();
  assert.equal(
    (after.prepare('SELECT COUNT(*) AS n FROM client_faces').get() as { n: number }).n,
    0,
    'a session taken from its client takes its faces out',
  );
  after.prepare('UPDATE sessions SET client_id = 1 WHERE id = 1').run();
  after
    .prepare(
      "INSERT INTO client_faces (client_id, participant_id, name, embedding, embedding_model, embedding_count) VALUES (1, 1, 'Alex', x'00000000', 'm', 1)",
    )
    .run();
  after.prepare('DELETE FROM clients WHERE id = 1').run();
  assert.equal((after.prepare('SELECT COUNT(*) AS n FROM client_faces').get() as { n: number }).n, 0, 'erasing the client erases its faces');
  after.prepare('DELETE FROM sessions WHERE id = 1').run();
  for (const t of ['participants', 'frame_results', 'window_results'])
    assert.equal((after.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE session_id = 1`).get() as { n: number }).n, 0, `${t} go with the session`);
  after.close();
});
