import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { appendAudit, type AuditActor } from './audit-repo.js';
import { deriveKey, kdfFilePath, newKey, readKdfFile, writeKdfFile, type KdfParams } from './db-key.js';
import { openDatabase, type Db } from './db.js';
import { listMigrations } from './migrations.js';
import { inspectDatabase, openWithPassphrase, pendingKdfPath } from './open-database.js';

/**
 * Whole-file operations: encrypt a plain database, change the passphrase, back up, restore. Each one writes a
 * complete new file beside the database, verifies it (opens it with its key, integrity check, the same row
 * count in every table), and only then swaps it in with an atomic rename; the replaced file's bytes are
 * overwritten with zeros before it is released (best effort: SSDs and copy-on-write file systems may keep
 * old blocks; see README → Privacy). A failure at any step leaves the database as it was.
 */

type Cost = { N: number; r: number; p: number };

const tempName = (file: string, what: string) => `${file}.${what}-${process.pid}`;

/** The database must not be open elsewhere: leaving WAL mode needs every other connection closed. */
function requireExclusive(db: Db, file: string): void {
  let mode: unknown;
  try {
    mode = db.pragma('journal_mode = DELETE', { simple: true });
  } catch (err) {
    mode = (err as Error).message;
  }
  if (mode !== 'delete')
    throw new Error(`${file}: is in use by another program (the app, or another affect command); close it and try again — nothing was changed`);
}

function rowCounts(db: Db): Record<string, number> {
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>
  ).map((t) => t.name);
  return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t.replace(/"/g, '""')}"`).get() as { n: number }).n]));
}

/** Open a finished copy with its key and check it holds what the source held. */
function verifyCopy(file: string, key: Buffer | null, want: Record<string, number>): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    if (key) {
      db.pragma(`cipher = 'chacha20'`);
      db.pragma(`key = "x'${key.toString('hex')}'"`);
    }
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check of the new copy failed: ${String(check)}`);
    const got = rowCounts(db);
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error('the new copy does not hold the same rows as the database');
  } finally {
    db.close();
  }
}

/** Set (or change) the key of a closed copy in place: SQLite3 Multiple Ciphers rewrites every page. */
function rekeyFile(file: string, from: Buffer | null, to: Buffer): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma(`cipher = 'chacha20'`);
    if (from) db.pragma(`key = "x'${from.toString('hex')}'"`);
    db.pragma('journal_mode = DELETE');
    db.pragma(`rekey = "x'${to.toString('hex')}'"`);
  } finally {
    db.close();
  }
}

/** Zero a file's bytes through an open descriptor (so it can be renamed over first), then close it. */
function zeroAndClose(fd: number): void {
  try {
    const size = fstatSync(fd).size;
    const zeros = Buffer.alloc(Math.min(size, 1 << 20));
    for (let at = 0; at < size; at += zeros.length) writeSync(fd, zeros, 0, Math.min(zeros.length, size - at), at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replace `file` by `replacement` atomically; the old file's bytes are zeroed afterwards. */
function swapIn(replacement: string, file: string): void {
  const old = existsSync(file) ? openSync(file, 'r+') : null;
  try {
    renameSync(replacement, file);
  } catch (err) {
    if (old !== null) closeSync(old);
    throw err;
  }
  if (old !== null) zeroAndClose(old);
  for (const side of [`${file}-wal`, `${file}-shm`]) rmSync(side, { force: true });
}

function cleanTemps(file: string): void {
  const dir = path.dirname(path.resolve(file));
  const base = path.basename(file);
  for (const name of readdirSync(dir))
    if (name.startsWith(`${base}.`) && /\.(encrypting|rekeying|restoring)-\d+(-wal|-shm|-journal)?$/.test(name))
      rmSync(path.join(dir, name), { force: true });
}

/** An empty file with mode 0600 (VACUUM INTO fills an empty file and keeps its mode). */
function privateEmptyFile(file: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'wx', 0o600));
}

/**
 * Encrypt a plain database in place: plain snapshot (VACUUM INTO) → rekeyed to the new key → verified →
 * key-derivation file written → swapped in. Returns nothing; the caller opens it with the passphrase.
 */
export async function encryptDatabase(file: string, passphrase: string, { actor, kdfCost }: { actor: AuditActor; kdfCost?: Cost }): Promise<void> {
  const kind = inspectDatabase(file);
  if (kind === 'new') throw new Error(`${file}: no such database`);
  if (kind === 'encrypted') throw new Error(`${file}: is already encrypted (change its passphrase with affect db rekey)`);
  const { key, params } = await newKey(passphrase, kdfCost);
  const src = openDatabase(file);
  const tmp = tempName(file, 'encrypting');
  try {
    requireExclusive(src, file);
    const want = rowCounts(src);
    cleanTemps(file);
    privateEmptyFile(tmp);
    src.prepare('VACUUM INTO ?').run(tmp);
    rekeyFile(tmp, null, key);
    verifyCopy(tmp, key, want);
    // The key-derivation file first: a plain database with one beside it still opens plain.
    writeKdfFile(file, params);
    src.close();
    swapIn(tmp, file);
  } catch (err) {
    if (src.open) src.close();
    rmSync(tmp, { force: true });
    throw err;
  }
  recordOn(file, key, {
    actor,
    action: 'encrypt',
    objectKind: 'database',
    details: { cipher: 'chacha20', method: 'scrypt', N: params.N, r: params.r, p: params.p },
  });
}

/** Append an audit entry to the (swapped-in) database. */
function recordOn(file: string, key: Buffer, event: Parameters<typeof appendAudit>[1]): void {
  const db = openDatabase(file, { key });
  try {
    appendAudit(db, event);
  } finally {
    db.close();
  }
}

/**
 * Change the passphrase (a new salt and key): encrypted snapshot → rekeyed → verified → the new
 * key-derivation record written as `.kdf.json.new` → database swapped in → record renamed into place.
 * An interruption between the last two steps is finished by the next open (open-database.ts).
 */
export async function changePassphrase(
  file: string,
  current: string,
  next: string,
  { actor, kdfCost }: { actor: AuditActor; kdfCost?: Cost },
): Promise<void> {
  const opened = await openWithPassphrase(file, current, { create: false });
  const src = opened.db;
  const tmp = tempName(file, 'rekeying');
  let swapped = false;
  let newKeyBytes: Buffer | undefined;
  let newParams: KdfParams | undefined;
  try {
    if (!opened.key) throw new Error(`${file}: is not encrypted; use affect db encrypt`);
    const { key, params } = await newKey(next, kdfCost);
    [newKeyBytes, newParams] = [key, params];
    requireExclusive(src, file);
    const want = rowCounts(src);
    cleanTemps(file);
    privateEmptyFile(tmp);
    src.prepare('VACUUM INTO ?').run(tmp);
    rekeyFile(tmp, opened.key, key);
    verifyCopy(tmp, key, want);
    writeKdfFile(file, params, pendingKdfPath(file));
    src.close();
    swapIn(tmp, file);
    swapped = true;
    renameSync(pendingKdfPath(file), kdfFilePath(file));
  } catch (err) {
    if (src.open) src.close();
    rmSync(tmp, { force: true });
    // Before the swap the pending record is stale; after it, the next open finishes the change.
    if (!swapped) rmSync(pendingKdfPath(file), { force: true });
    throw err;
  }
  recordOn(file, newKeyBytes!, {
    actor,
    action: 'rekey',
    objectKind: 'database',
    details: { method: 'scrypt', N: newParams!.N, r: newParams!.r, p: newParams!.p },
  });
}

/**
 * Back up an open database to `out`: a consistent snapshot taken while it stays in use (SQLite's VACUUM INTO;
 * with SQLite3 Multiple Ciphers the copy is encrypted with the same key), plus a copy of the key-derivation
 * file (`<out>.kdf.json`) when encrypted. The same passphrase opens the backup. Verified before returning.
 */
export function backupDatabase(db: Db, file: string, out: string, { key, actor }: { key: Buffer | null; actor: AuditActor }): { bytes: number } {
  if (path.resolve(out) === path.resolve(file)) throw new Error(`${out}: is the database itself`);
  if (existsSync(out)) throw new Error(`${out}: already exists; choose a new file name (a backup never overwrites a file)`);
  appendAudit(db, { actor, action: 'backup', objectKind: 'database', details: { encrypted: key !== null } });
  const want = rowCounts(db);
  privateEmptyFile(out);
  try {
    db.prepare('VACUUM INTO ?').run(out);
    verifyCopy(out, key, want);
    if (key) {
      copyFileSync(kdfFilePath(file), kdfFilePath(out));
      chmodPrivate(kdfFilePath(out));
    }
  } catch (err) {
    rmSync(out, { force: true });
    rmSync(kdfFilePath(out), { force: true });
    throw err;
  }
  return { bytes: statSync(out).size };
}

const chmodPrivate = (f: string) => chmodSync(f, 0o600);

/**
 * Replace the database at `file` with a backup. The backup is opened with its own passphrase (null for a plain
 * one) and checked first; the database it replaces is kept beside it as `<file>.replaced-<time>` (with its
 * key-derivation file) and named in the result. Refused while the database is open elsewhere (its WAL exists).
 */
export async function restoreDatabase(
  file: string,
  backup: string,
  passphrase: string | null,
  { actor }: { actor: AuditActor },
): Promise<{ replaced: string | null }> {
  if (path.resolve(backup) === path.resolve(file)) throw new Error(`${backup}: is the database itself`);
  if (!existsSync(backup)) throw new Error(`${backup}: no such file`);
  if (existsSync(`${file}-wal`))
    throw new Error(
      `${file}: is in use (its -wal file exists): close the app and other affect commands; if none runs, open it once (e.g. affect audit) so SQLite tidies up, then restore — nothing was changed`,
    );
  const kind = inspectDatabase(backup);
  if (kind === 'new') throw new Error(`${backup}: is empty`);
  // Check the backup first: right passphrase, intact, not from a newer app version.
  let key: Buffer | null = null;
  if (kind === 'encrypted') {
    if (passphrase === null) throw new Error(`${backup}: is encrypted; give the passphrase it was made with`);
    key = await deriveKey(backup, passphrase);
  }
  const check = openDatabase(backup, { readonly: true, key });
  try {
    const newest = (check.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number }).v;
    if (newest > listMigrations().length) throw new Error(`${backup}: comes from a newer app version (schema ${newest}); update the app first`);
  } finally {
    check.close();
  }
  const tmp = tempName(file, 'restoring');
  cleanTemps(file);
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  copyFileSync(backup, tmp);
  chmodPrivate(tmp);
  let replaced: string | null = null;
  if (existsSync(file)) {
    replaced = `${file}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    copyFileSync(file, replaced);
    chmodPrivate(replaced);
    if (existsSync(kdfFilePath(file))) copyFileSync(kdfFilePath(file), kdfFilePath(replaced));
  }
  if (key) writeKdfFile(file, readKdfFile(backup), pendingKdfPath(file));
  renameSync(tmp, file);
  if (key) renameSync(pendingKdfPath(file), kdfFilePath(file));
  else rmSync(kdfFilePath(file), { force: true });
  const restored = openDatabase(file, { key });
  try {
    appendAudit(restored, { actor, action: 'restore', objectKind: 'database', details: { encrypted: key !== null } });
  } finally {
    restored.close();
  }
  return { replaced };
}
