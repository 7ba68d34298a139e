import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { AffectService } from '../electron/api/service.js';
import { makeDirsPrivately, sweepPartFiles, writePrivateFile } from '../electron/privacy/private-files.js';
import { openDatabase } from '../electron/store/db.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';
import { SAMPLE_MP4, storeScriptedSession } from './helpers/stored-session.js';

/** Files the app writes hold clients' data: owner-only files in owner-only folders, whole or not at all. */
const mode = (p: string) => statSync(p).mode & 0o777;

test("the app writes no export behind the user's back: CSV, EAF and PDF come back as content for a save dialog or download", async () => {
  const dir = tempDir();
  const dbPath = path.join(dir, 'a.sqlite');
  const db = openDatabase(dbPath);
  const service = new AffectService({ db, databasePath: dbPath, engine: () => Promise.reject(new Error('not needed')) });
  try {
    const id = await storeScriptedSession(db, SAMPLE_MP4, { faceAt: () => 'happy', voiceAt: () => 'calm' });
    for (const format of ['csv', 'eaf', 'pdf'] as const) {
      const file = await service.call('export.session', { sessionId: id, format });
      assert.ok(Buffer.from(file.base64, 'base64').length > 100, `${format} has content`);
    }
    assert.deepEqual(
      readdirSync(dir).sort(),
      ['a.sqlite', 'a.sqlite-shm', 'a.sqlite-wal'].filter((f) => existsSync(path.join(dir, f))),
      'no exports folder, no file beside the database',
    );
  } finally {
    await service.close();
    db.close();
  }
});

test("`affect export` creates missing folders 0700 and files 0600, and leaves the user's existing folder as it was", async () => {
  const dir = tempDir();
  chmodSync(dir, 0o755);
  const dbPath = path.join(dir, 'a.sqlite');
  const db = openDatabase(dbPath);
  await storeScriptedSession(db, SAMPLE_MP4, { faceAt: () => 'sad', voiceAt: () => null });
  await storeScriptedSession(db, SAMPLE_MP4, { faceAt: () => 'happy', voiceAt: () => null });
  db.close();
  const out = path.join(dir, 'reports', 'november');
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/affect.mjs'), 'export', 'all', '--format', 'eaf', '--out', out, '--db', dbPath], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(mode(path.join(dir, 'reports')), 0o700);
  assert.equal(mode(out), 0o700);
  for (const f of readdirSync(out)) assert.equal(mode(path.join(out, f)), 0o600, f);
  assert.equal(mode(dir), 0o755, 'an existing folder is not changed');
  const csv = path.join(dir, 'table.csv');
  writeFileSync(csv, 'old', { mode: 0o644 });
  const r2 = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/affect.mjs'), 'export', 'all', '--format', 'csv', '--out', csv, '--db', dbPath], {
    encoding: 'utf8',
  });
  assert.equal(r2.status, 0, r2.stderr);
  assert.equal(mode(csv), 0o600, 'an overwritten file becomes owner-only too');
});

test('private files: written whole (a failed write leaves nothing), 0600 whatever the umask; .part files swept', () => {
  const dir = tempDir();
  const old = process.umask(0o000);
  try {
    makeDirsPrivately(path.join(dir, 'x', 'y'));
    writePrivateFile(path.join(dir, 'x', 'y', 'f.json'), '{}');
  } finally {
    process.umask(old);
  }
  assert.equal(mode(path.join(dir, 'x')), 0o700);
  assert.equal(mode(path.join(dir, 'x', 'y', 'f.json')), 0o600);
  assert.throws(() => writePrivateFile(path.join(dir, 'missing-folder', 'f.json'), '{}'), /ENOENT/);
  assert.deepEqual(readdirSync(dir), ['x']);
  writeFileSync(path.join(dir, 'a.csv.123.part'), '');
  writeFileSync(path.join(dir, 'keep.csv'), '');
  assert.deepEqual(
    sweepPartFiles(dir).map((f) => path.basename(f)),
    ['a.csv.123.part'],
  );
  assert.deepEqual(readdirSync(dir).sort(), ['keep.csv', 'x']);
});
