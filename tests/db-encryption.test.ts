import assert from 'node:assert/strict';
import { copyFileSync, existsSync, linkSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ensureClient } from '../electron/store/clients-repo.js';
import { saveDassAdministration } from '../electron/store/dass-repo.js';
import { kdfFilePath, readKdfFile, WrongPassphraseError } from '../electron/store/db-key.js';
import { backupDatabase, changePassphrase, encryptDatabase, restoreDatabase } from '../electron/store/db-maintenance.js';
import { openDatabase } from '../electron/store/db.js';
import { allAudit, verifyAuditChain } from '../electron/store/audit-repo.js';
import { DatabaseLockedError, openWithPassphrase, pendingKdfPath } from '../electron/store/open-database.js';
import { storeScriptedSession } from './helpers/stored-session.js';
import { SAMPLE } from './helpers/media-fixtures.js';
import { tempDir } from './helpers/paths.js';
import { rawBytes } from './helpers/raw-bytes.js';

/** Cheap scrypt for tests (the parameters are recorded, so any cost opens); the app uses N = 2^17. */
const TEST_COST = { N: 2 ** 12, r: 8, p: 1 };
const PASS = 'correct horse battery';
const CODE = 'CLIENT-ZEBRA-4471';
const NOTE = 'reports sleeping badly since the move';

async function fill(db: ReturnType<typeof openDatabase>) {
  const client = ensureClient(db, CODE, 'Zebra Person');
  await storeScriptedSession(db, SAMPLE, { faceAt: () => 'happy', voiceAt: () => 'sad' }, { clientId: client.id });
  saveDassAdministration(db, { clientId: client.id, administeredOn: '2026-01-05', answers: Array(21).fill(1), notes: NOTE });
  return client;
}

test('a database created with a passphrase holds no client code, file name or note in its raw bytes; 0600 in a 0700 folder', async () => {
  const dir = path.join(tempDir(), 'fresh-folder');
  const file = path.join(dir, 'enc.sqlite');
  const { db, key, kind } = await openWithPassphrase(file, PASS, { kdfCost: TEST_COST });
  assert.equal(kind, 'new');
  assert.ok(key);
  await fill(db);
  // While open (WAL and SHM present) and after closing.
  for (const phase of ['open', 'closed']) {
    const raw = rawBytes(file);
    assert.ok(raw.length > 10_000, phase);
    for (const secret of [CODE, 'sample.mp4', NOTE, 'SQLite format 3', 'Zebra Person'])
      assert.equal(raw.includes(secret), false, `${phase}: "${secret}" is not in the raw bytes`);
    for (const f of [file, `${file}-wal`, `${file}-shm`])
      if (existsSync(f)) assert.equal(statSync(f).mode & 0o777, 0o600, `${phase}: ${path.basename(f)} is 0600`);
    if (phase === 'open') db.close();
  }
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const params = readKdfFile(file);
  assert.equal(params.kdf, 'scrypt');
  assert.equal(params.N, TEST_COST.N);
  assert.equal(Buffer.from(params.salt, 'base64').length, 16);
  assert.equal(statSync(kdfFilePath(file)).mode & 0o777, 0o600);
  // The same passphrase opens it again and finds the data.
  const again = await openWithPassphrase(file, PASS);
  assert.equal((again.db.prepare('SELECT code FROM clients').get() as { code: string }).code, CODE);
  again.db.close();
});

test('without or with a wrong passphrase: a clear error naming the database, and nothing changes', async () => {
  const file = path.join(tempDir(), 'locked.sqlite');
  (await openWithPassphrase(file, PASS, { kdfCost: TEST_COST })).db.close();
  const before = readFileSync(file);
  const kdfBefore = readFileSync(kdfFilePath(file));
  await assert.rejects(
    openWithPassphrase(file, null),
    (e: Error) => e instanceof DatabaseLockedError && e.message.startsWith(file) && /is encrypted/.test(e.message),
  );
  await assert.rejects(
    openWithPassphrase(file, 'wrong passphrase!'),
    (e: Error) => e instanceof WrongPassphraseError && e.message === `${file}: wrong passphrase`,
  );
  // Without the library's own passphrase handling, a plain open reports it too.
  assert.throws(() => openDatabase(file), /is not an Affect Workstation database \(not SQLite\), or it is encrypted/);
  assert.deepEqual(readFileSync(file), before);
  assert.deepEqual(readFileSync(kdfFilePath(file)), kdfBefore);
  assert.equal(existsSync(`${file}-wal`), false);
});

test('a lost key-derivation file is reported, never replaced by a new key; an orphaned one is refused too', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'k.sqlite');
  (await openWithPassphrase(file, PASS, { kdfCost: TEST_COST })).db.close();
  renameSync(kdfFilePath(file), path.join(dir, 'moved.json'));
  for (const pass of [PASS, null])
    await assert.rejects(
      openWithPassphrase(file, pass),
      (e: Error) => e.message.startsWith(file) && /no key-derivation file/.test(e.message) && /restore it from your backup/.test(e.message),
    );
  assert.equal(existsSync(kdfFilePath(file)), false, 'no new key-derivation file was made');
  // The database gone but its key-derivation file there: not silently a new database.
  const other = path.join(dir, 'gone.sqlite');
  copyFileSync(path.join(dir, 'moved.json'), kdfFilePath(other));
  await assert.rejects(openWithPassphrase(other, PASS), /the database is missing but its key-derivation file/);
  assert.equal(existsSync(other), false);
});

test('a plain database keeps working without a passphrase; given one, it is refused until encrypted', async () => {
  const file = path.join(tempDir(), 'plain.sqlite');
  const plain = await openWithPassphrase(file, null);
  assert.equal(plain.key, null);
  await fill(plain.db);
  plain.db.close();
  assert.ok(rawBytes(file).includes(CODE), 'a plain database is readable (the reason to encrypt it)');
  await assert.rejects(openWithPassphrase(file, PASS), /is not encrypted, but a passphrase was given; encrypt it with `affect db encrypt/);
});

test('encrypt in place: the same rows afterwards, no plain bytes left in the file, the old inode zeroed; then rekey', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'convert.sqlite');
  const plain = openDatabase(file);
  await fill(plain);
  const counts = plain.prepare('SELECT (SELECT count(*) FROM frame_results) AS f, (SELECT count(*) FROM clients) AS c').get() as object;
  plain.close();
  // A second name for the plain file's inode shows what happens to the old bytes.
  const oldInode = path.join(tempDir(), 'old-inode');
  linkSync(file, oldInode);
  await encryptDatabase(file, PASS, { actor: 'cli', kdfCost: TEST_COST });
  const old = readFileSync(oldInode);
  assert.ok(old.length > 0 && old.every((b) => b === 0), 'the replaced plain file was overwritten with zeros');
  const raw = rawBytes(file);
  for (const secret of [CODE, 'sample.mp4', NOTE, 'SQLite format 3']) assert.equal(raw.includes(secret), false, secret);
  assert.deepEqual(readdirSync(dir).sort(), ['convert.sqlite', 'convert.sqlite.kdf.json'], 'no temporary copy is left');
  const enc = await openWithPassphrase(file, PASS);
  assert.deepEqual(enc.db.prepare('SELECT (SELECT count(*) FROM frame_results) AS f, (SELECT count(*) FROM clients) AS c').get(), counts);
  assert.deepEqual(
    allAudit(enc.db).map((r) => r.action),
    ['encrypt'],
  );
  enc.db.close();
  await assert.rejects(encryptDatabase(file, PASS, { actor: 'cli' }), /already encrypted/);

  // Change the passphrase: the old one no longer opens it, the new one does, the salt changed.
  const saltBefore = readKdfFile(file).salt;
  await assert.rejects(changePassphrase(file, 'not the passphrase', 'new passphrase 2', { actor: 'cli', kdfCost: TEST_COST }), WrongPassphraseError);
  await changePassphrase(file, PASS, 'new passphrase 2', { actor: 'cli', kdfCost: TEST_COST });
  assert.notEqual(readKdfFile(file).salt, saltBefore);
  await assert.rejects(openWithPassphrase(file, PASS), WrongPassphraseError);
  const re = await openWithPassphrase(file, 'new passphrase 2');
  assert.deepEqual(
    allAudit(re.db).map((r) => r.action),
    ['encrypt', 'rekey'],
  );
  assert.equal(verifyAuditChain(re.db).ok, true);
  re.db.close();
  assert.equal(existsSync(pendingKdfPath(file)), false);
});

test('encrypting a database that another connection holds open is refused, nothing changed', async () => {
  const file = path.join(tempDir(), 'busy.sqlite');
  const a = openDatabase(file);
  ensureClient(a, CODE);
  const b = openDatabase(file);
  b.prepare('SELECT count(*) FROM clients').get();
  await assert.rejects(encryptDatabase(file, PASS, { actor: 'cli', kdfCost: TEST_COST }), /is in use by another program/);
  b.close();
  assert.ok(rawBytes(file).includes(CODE));
  assert.equal((a.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n, 1);
  a.close();
});

test('an interrupted passphrase change (database swapped, key record not yet) is finished by the next open', async () => {
  const file = path.join(tempDir(), 'interrupt.sqlite');
  (await openWithPassphrase(file, PASS, { kdfCost: TEST_COST })).db.close();
  const oldRecord = readFileSync(kdfFilePath(file));
  await changePassphrase(file, PASS, 'second passphrase', { actor: 'cli', kdfCost: TEST_COST });
  // Simulate the crash: the new record is still `.new`, the old one in place.
  renameSync(kdfFilePath(file), pendingKdfPath(file));
  writeFileSync(kdfFilePath(file), oldRecord);
  await assert.rejects(openWithPassphrase(file, PASS), /cannot be decrypted with this key/);
  const { db } = await openWithPassphrase(file, 'second passphrase');
  db.close();
  assert.equal(existsSync(pendingKdfPath(file)), false);
  (await openWithPassphrase(file, 'second passphrase')).db.close();
});

test('backup stays encrypted and opens with the same passphrase; restore puts it back and keeps the replaced file', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'live.sqlite');
  const live = await openWithPassphrase(file, PASS, { kdfCost: TEST_COST });
  const client = await fill(live.db);
  const out = path.join(dir, 'backups', 'b1.sqlite');
  backupDatabase(live.db, file, out, { key: live.key, actor: 'cli' });
  assert.throws(() => backupDatabase(live.db, file, out, { key: live.key, actor: 'cli' }), /already exists/);
  for (const secret of [CODE, 'sample.mp4', NOTE, 'SQLite format 3']) assert.equal(rawBytes(out).includes(secret), false, secret);
  assert.equal(statSync(out).mode & 0o777, 0o600);
  // After the backup the live database loses its client.
  live.db.prepare('DELETE FROM sessions').run();
  live.db.prepare('DELETE FROM clients WHERE id = ?').run(client.id);
  live.db.close();
  await assert.rejects(restoreDatabase(file, out, 'wrong passphrase', { actor: 'cli' }), WrongPassphraseError);
  const { replaced } = await restoreDatabase(file, out, PASS, { actor: 'cli' });
  assert.ok(replaced && existsSync(replaced));
  const back = await openWithPassphrase(file, PASS);
  assert.equal((back.db.prepare('SELECT code FROM clients').get() as { code: string }).code, CODE);
  assert.deepEqual(
    allAudit(back.db).map((r) => r.action),
    ['backup', 'restore'],
  );
  assert.equal(verifyAuditChain(back.db).ok, true);
  back.db.close();
});

test('merge: encrypted and plain shards into an encrypted database (each source attached with its own key)', async () => {
  const dir = tempDir();
  const a = await openWithPassphrase(path.join(dir, 'a.sqlite'), PASS, { kdfCost: TEST_COST });
  await fill(a.db);
  a.db.close();
  const b = openDatabase(path.join(dir, 'b.sqlite'));
  ensureClient(b, 'PLAIN-SHARD-CLIENT');
  b.close();
  const target = await openWithPassphrase(path.join(dir, 'into.sqlite'), PASS, { kdfCost: TEST_COST });
  const { mergeDatabase } = await import('../electron/store/merge.js');
  const srcA = await openWithPassphrase(path.join(dir, 'a.sqlite'), PASS);
  srcA.db.close();
  assert.equal(mergeDatabase(target.db, path.join(dir, 'a.sqlite'), srcA.key).sessionsAdded, 1);
  assert.equal(mergeDatabase(target.db, path.join(dir, 'b.sqlite'), null).clientsAdded, 1);
  assert.deepEqual(
    (target.db.prepare('SELECT code FROM clients ORDER BY code').all() as Array<{ code: string }>).map((r) => r.code),
    [CODE, 'PLAIN-SHARD-CLIENT'],
  );
  target.db.close();
  assert.equal(rawBytes(path.join(dir, 'into.sqlite')).includes(CODE), false);
});
