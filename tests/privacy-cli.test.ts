import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import { REPO_ROOT, tempDir } from './helpers/paths.js';
import { rawBytes } from './helpers/raw-bytes.js';
import { SAMPLE } from './helpers/media-fixtures.js';

const AFFECT = path.join(REPO_ROOT, 'bin', 'affect.mjs');
const PASS = 'clinic passphrase 1';

function affect(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [AFFECT, ...args], {
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, AFFECT_PASSPHRASE: '', AFFECT_NEW_PASSPHRASE: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test(
  'affect analyze with AFFECT_PASSPHRASE writes a database in which neither the client code nor the file name can be found',
  { timeout: 300_000 },
  () => {
    const dir = path.join(tempDir(), 'data');
    const db = path.join(dir, 'enc.sqlite');
    const r = affect(['analyze', SAMPLE, '--db', db, '--client', 'CODE-ZX-9417', '--fps', '1', '--json'], { AFFECT_PASSPHRASE: PASS });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /not encrypted/);
    const raw = rawBytes(db);
    for (const s of ['CODE-ZX-9417', 'sample.mp4', 'samples/', 'SQLite format 3'])
      assert.equal(raw.includes(s), false, `"${s}" is not in the raw bytes`);
    assert.equal(statSync(db).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.ok(existsSync(`${db}.kdf.json`));

    // Without, and with a wrong, passphrase: one line naming the database, exit 1, nothing changed.
    const before = readFileSync(db);
    const none = affect(['audit', '--db', db]);
    assert.equal(none.code, 1);
    assert.equal(none.stderr.trim().split('\n').length, 1, none.stderr);
    assert.match(none.stderr, new RegExp(`^affect: ${db.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: is encrypted; set AFFECT_PASSPHRASE`));
    const wrong = affect(['export', 'all', '--format', 'csv', '--out', path.join(dir, 'x.csv'), '--db', db], {
      AFFECT_PASSPHRASE: 'not the passphrase',
    });
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stderr.trim(), `affect: ${db}: wrong passphrase`);
    assert.equal(existsSync(path.join(dir, 'x.csv')), false);
    assert.deepEqual(readFileSync(db), before);
    assert.equal(existsSync(`${db}-wal`), false);

    // With it: the audit log lists the import, and verifies.
    const log = affect(['audit', '--json', '--db', db], { AFFECT_PASSPHRASE: PASS });
    assert.equal(log.code, 0, log.stderr);
    assert.deepEqual(
      JSON.parse(log.stdout).entries.map((e: { actor: string; action: string }) => `${e.actor} ${e.action}`),
      ['cli import'],
    );
    const ok = affect(['audit', 'verify', '--db', db], { AFFECT_PASSPHRASE: PASS });
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /audit log intact: 1 entries/);
  },
);

test('affect db backup, rekey, restore: backups stay encrypted and keep the passphrase they were made with', { timeout: 120_000 }, () => {
  const dir = tempDir();
  const db = path.join(dir, 'b.sqlite');
  const env = { AFFECT_PASSPHRASE: PASS };
  // An encrypted database with a client (created by a command that opens it).
  assert.equal(affect(['audit', '--db', db], env).code, 1, 'audit needs an existing database');
  const made = affect(['merge', '--into', db, path.join(dir, 'none.sqlite')], env); // creates the target, reports the missing source
  assert.match(made.stderr, /none\.sqlite: no such file/);
  const raw = new Database(db);
  assert.throws(() => raw.prepare('SELECT 1 FROM clients').get(), /not a database/, 'created encrypted');
  raw.close();
  const backup = path.join(dir, 'backups', 'one.sqlite');
  const b = affect(['db', 'backup', '--out', backup, '--db', db], env);
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stderr, /encrypted; keep .*one\.sqlite\.kdf\.json with it/);
  assert.equal(affect(['db', 'backup', '--out', backup, '--db', db], env).code, 1, 'never overwrites');
  const rk = affect(['db', 'rekey', '--db', db], { AFFECT_PASSPHRASE: PASS, AFFECT_NEW_PASSPHRASE: 'second passphrase' });
  assert.equal(rk.code, 0, rk.stderr);
  assert.equal(affect(['audit', '--db', db], env).code, 1, 'the old passphrase no longer opens it');
  const after = affect(['audit', '--json', '--db', db], { AFFECT_PASSPHRASE: 'second passphrase' });
  assert.deepEqual(
    JSON.parse(after.stdout).entries.map((e: { action: string }) => e.action),
    ['backup', 'rekey'],
  );
  // Restore the backup (made under the first passphrase).
  const rs = affect(['db', 'restore', backup, '--db', db], env);
  assert.equal(rs.code, 0, rs.stderr);
  assert.match(rs.stderr, /the database it replaced is kept as .*\.replaced-/);
  const restored = affect(['audit', '--json', '--db', db], env);
  assert.deepEqual(
    JSON.parse(restored.stdout).entries.map((e: { action: string }) => e.action),
    ['backup', 'restore'],
  );
});

test(
  'a plain database: works with a warning; affect erase client removes every trace of that client, the other stays; encrypt; a tampered audit log fails verify',
  { timeout: 300_000 },
  () => {
    const dir = tempDir();
    const db = path.join(dir, 'plain.sqlite');
    const a = affect(['analyze', SAMPLE, '--db', db, '--client', 'GONE-CODE-5521', '--fps', '1']);
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stderr, /warning: .*plain\.sqlite is not encrypted; `affect db encrypt --db/);
    // The same recording for another client, at another frame rate: a second session of its own (same fps would be "already analysed").
    assert.equal(affect(['analyze', SAMPLE, '--db', db, '--client', 'KEPT-CODE-7730', '--fps', '2']).code, 0);
    assert.ok(rawBytes(db).includes('GONE-CODE-5521'));

    const refused = affect(['erase', 'client', 'GONE-CODE-5521', '--db', db]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /Erase client GONE-CODE-5521: 1 session\. Not a terminal: add --yes to confirm/);
    assert.ok(rawBytes(db).includes('GONE-CODE-5521'), 'nothing erased without confirmation');
    assert.equal(affect(['erase', 'client', 'NOBODY', '--yes', '--db', db]).code, 1);

    const er = affect(['erase', 'client', 'GONE-CODE-5521', '--yes', '--db', db]);
    assert.equal(er.code, 0, er.stderr);
    assert.match(er.stdout, /erased client GONE-CODE-5521: 1 session/);
    const raw = rawBytes(db);
    assert.equal(raw.includes('GONE-CODE-5521'), false, 'the erased code is gone from the file, WAL and SHM');
    assert.ok(raw.includes('KEPT-CODE-7730'), "the other client's code stays");
    assert.ok(raw.includes('sample.mp4'), "the other client's recording stays");

    // Erase a session by id.
    const d = new Database(db);
    const sid = (d.prepare('SELECT id FROM sessions').get() as { id: number }).id;
    d.close();
    assert.equal(affect(['erase', 'session', String(sid), '--yes', '--db', db]).code, 0);
    assert.equal(rawBytes(db).includes('sample.mp4'), false);

    // The audit log: ids and counts only; then tampered behind the triggers.
    const log = affect(['audit', '--json', '--db', db]);
    assert.deepEqual(
      JSON.parse(log.stdout).entries.map((e: { action: string; objectKind: string }) => `${e.action} ${e.objectKind}`),
      ['import session', 'import session', 'erase client', 'erase session'],
    );
    assert.equal(log.stdout.includes('GONE-CODE'), false);
    const t = new Database(db);
    t.exec('DROP TRIGGER audit_log_no_update');
    t.prepare('UPDATE audit_log SET details = \'{"sessions":0}\' WHERE id = 3').run();
    t.close();
    const v = affect(['audit', 'verify', '--db', db]);
    assert.equal(v.code, 1);
    assert.match(v.stdout, /audit log BROKEN at entry 3: its fields do not match its hash \(the entry was edited\)/);

    // Encrypt it in place.
    const enc = affect(['db', 'encrypt', '--db', db], { AFFECT_PASSPHRASE: PASS });
    assert.equal(enc.code, 0, enc.stderr);
    assert.equal(rawBytes(db).includes('KEPT-CODE-7730'), false);
    assert.equal(affect(['audit', '--db', db], { AFFECT_PASSPHRASE: PASS }).code, 0);
    assert.match(affect(['db', 'encrypt', '--db', db], { AFFECT_PASSPHRASE: PASS }).stderr, /already encrypted/);
  },
);
