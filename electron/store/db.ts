import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { databaseFileState } from './db-key.js';
import { migrate } from './migrations.js';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /**
   * The 32-byte database key (db-key.ts derives it from the passphrase). With a key the file is encrypted
   * (SQLite3 Multiple Ciphers, ChaCha20-Poly1305 per page, the key used as a raw key); a new file is
   * created encrypted. Without one the file must be a plain SQLite database.
   */
  key?: Buffer | null;
}

/**
 * Open (creating if needed) an Affect Workstation database: WAL journal, foreign keys on, secure_delete on
 * (deleted content is overwritten with zeros), all migrations applied. The file is made 0600 and a folder
 * created for it 0700. The one way the app, CLI and tests open a database; open-database.ts adds the
 * passphrase handling on top.
 */
export function openDatabase(file: string, { readonly = false, key = null }: OpenOptions = {}): Db {
  const onDisk = file !== ':memory:';
  const state = databaseFileState(file);
  if (key && state === 'plain')
    throw new Error(`${file}: is not encrypted, but a passphrase was given; encrypt it first (affect db encrypt --db ${file})`);
  if (onDisk && !readonly) {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
    // Created here with 0600 so that SQLite's -wal and -shm files (which copy the database file's mode) are private too.
    if (state === 'missing') closeSync(openSync(file, 'a', 0o600));
  }
  let db: Db;
  try {
    db = new Database(file, { readonly, fileMustExist: readonly });
  } catch (err) {
    throw new Error(`${file}: cannot open database (${(err as Error).message})`);
  }
  try {
    if (key) {
      if (key.length !== 32) throw new Error('the database key must be 32 bytes');
      db.pragma(`cipher = 'chacha20'`);
      db.pragma(`key = "x'${key.toString('hex')}'"`);
    }
    // The first read: fails here (SQLITE_NOTADB) for a wrong key, or an encrypted file opened without one.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('secure_delete = ON');
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db);
    }
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check failed: ${String(check)}`);
  } catch (err) {
    db.close();
    const notDb = (err as Error).message.includes('file is not a database');
    throw new Error(
      `${file}: ${
        !notDb
          ? (err as Error).message
          : key
            ? 'cannot be decrypted with this key (wrong passphrase for this file, or the file is damaged)'
            : 'is not an Affect Workstation database (not SQLite), or it is encrypted and needs its passphrase'
      }`,
    );
  }
  if (onDisk && !readonly) privateFileMode(file);
  return db;
}

/** 0600 for the database and its -wal and -shm files where this user owns them and they are open to others. */
export function privateFileMode(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      const st = statSync(f);
      if (typeof process.getuid === 'function' && st.uid === process.getuid() && (st.mode & 0o077) !== 0) chmodSync(f, 0o600);
    } catch {
      // Missing, not ours, or a file system without modes: leave it.
    }
  }
}
