import { existsSync, renameSync, rmSync } from 'node:fs';
import { databaseFileState, deriveKey, kdfFilePath, newKey, readKdfFile, writeKdfFile, WrongPassphraseError, type KdfParams } from './db-key.js';
import { openDatabase, type Db } from './db.js';

/**
 * Passphrase handling on top of db.ts: which kind of database is at a path, and opening it with (or
 * without) a passphrase. The CLI, the browser-mode server and the engine host all come through here.
 */

export type DatabaseKind = 'new' | 'plain' | 'encrypted';

/** The key-derivation file written while a passphrase change is being swapped in (see db-maintenance.ts). */
export const pendingKdfPath = (databasePath: string) => `${kdfFilePath(databasePath)}.new`;

export class DatabaseLockedError extends Error {
  constructor(readonly databasePath: string) {
    super(`${databasePath}: is encrypted; give its passphrase (set AFFECT_PASSPHRASE, or run in a terminal to be asked)`);
    this.name = 'DatabaseLockedError';
  }
}

/**
 * What is at this path. Throws, naming the file, when a key-derivation file has lost its database, or a file
 * that is not plain SQLite has no key-derivation file (then it is either not ours or its key file was lost:
 * never is a new key made for it).
 */
export function inspectDatabase(databasePath: string): DatabaseKind {
  const state = databaseFileState(databasePath);
  if (state === 'missing' || state === 'empty') {
    if (databasePath !== ':memory:' && (existsSync(kdfFilePath(databasePath)) || existsSync(pendingKdfPath(databasePath))))
      throw new Error(
        `${databasePath}: the database is missing but its key-derivation file ${kdfFilePath(databasePath)} is there; restore the database (affect db restore), or move the key-derivation file away to start a new, empty database`,
      );
    return 'new';
  }
  if (state === 'plain') return 'plain';
  if (!existsSync(kdfFilePath(databasePath)) && !existsSync(pendingKdfPath(databasePath)))
    throw new Error(
      `${databasePath}: is not a plain SQLite database and has no key-derivation file (${kdfFilePath(databasePath)}): either it is not an Affect Workstation database, or it is encrypted and that file was lost — restore it from your backup`,
    );
  return 'encrypted';
}

/**
 * Open with a key: the current key-derivation record first; when a passphrase change was interrupted after its
 * database was swapped in, the pending record opens it and becomes the current one.
 */
async function openEncrypted(databasePath: string, passphrase: string): Promise<{ db: Db; key: Buffer }> {
  const candidates = keyCandidates(databasePath);
  let matched = false;
  let lastError: Error | null = null;
  for (const c of candidates) {
    let key: Buffer;
    try {
      key = await deriveKey(databasePath, passphrase, c.params);
    } catch (err) {
      if (err instanceof WrongPassphraseError) continue;
      throw err;
    }
    matched = true;
    try {
      const db = openDatabase(databasePath, { key });
      // Finish or forget an interrupted passphrase change.
      if (c.pending) renameSync(pendingKdfPath(databasePath), kdfFilePath(databasePath));
      else rmSync(pendingKdfPath(databasePath), { force: true });
      return { db, key };
    } catch (err) {
      lastError = err as Error;
    }
  }
  if (!matched) throw new WrongPassphraseError(databasePath);
  throw lastError!;
}

function keyCandidates(databasePath: string): Array<{ params: KdfParams; pending: boolean }> {
  const out: Array<{ params: KdfParams; pending: boolean }> = [];
  const pending = pendingKdfPath(databasePath);
  if (existsSync(kdfFilePath(databasePath)) || !existsSync(pending)) out.push({ params: readKdfFile(databasePath), pending: false });
  if (existsSync(pending)) out.push({ params: readKdfFile(databasePath, pending), pending: true });
  return out;
}

export interface OpenedDatabase {
  db: Db;
  /** The database key when the file is encrypted (kept by the caller only as long as the database is open). */
  key: Buffer | null;
  kind: DatabaseKind;
}

/**
 * Open a database with a passphrase or without one:
 * - no file yet: created encrypted with a new key (fresh salt, key-derivation file written first) when a
 *   passphrase is given, else created plain (the caller warns);
 * - a plain file: opened without a passphrase; with one, refused (encrypt it with `affect db encrypt`);
 * - an encrypted file: needs the passphrase (DatabaseLockedError without, WrongPassphraseError when wrong).
 * Nothing is written before the key is known to be right.
 */
export async function openWithPassphrase(
  databasePath: string,
  passphrase: string | null,
  { create = true, kdfCost }: { create?: boolean; kdfCost?: { N: number; r: number; p: number } } = {},
): Promise<OpenedDatabase> {
  const kind = inspectDatabase(databasePath);
  if (kind === 'new') {
    if (!create) throw new Error(`${databasePath}: no such database`);
    if (passphrase === null || databasePath === ':memory:') return { db: openDatabase(databasePath), key: null, kind };
    const { key, params } = await newKey(passphrase, kdfCost);
    writeKdfFile(databasePath, params);
    return { db: openDatabase(databasePath, { key }), key, kind };
  }
  if (kind === 'plain') {
    if (passphrase !== null)
      throw new Error(
        `${databasePath}: is not encrypted, but a passphrase was given; encrypt it with \`affect db encrypt --db ${databasePath}\` (nothing was changed)`,
      );
    return { db: openDatabase(databasePath), key: null, kind };
  }
  if (passphrase === null) throw new DatabaseLockedError(databasePath);
  const { db, key } = await openEncrypted(databasePath, passphrase);
  return { db, key, kind };
}
