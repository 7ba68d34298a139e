import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

export type Db = Database.Database;

/**
 * Open (creating if needed) an Affect Workstation database: WAL journal, foreign keys on,
 * all migrations applied. The one way the app, CLI and tests open a database.
 */
export function openDatabase(file: string, { readonly = false } = {}): Db {
  if (file !== ':memory:' && !readonly) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, { readonly, fileMustExist: readonly });
  } catch (err) {
    throw new Error(`${file}: cannot open database (${(err as Error).message})`);
  }
  try {
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db);
    }
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check failed: ${String(check)}`);
  } catch (err) {
    db.close();
    throw new Error(`${file}: ${(err as Error).message.includes('file is not a database') ? 'is not an Affect Workstation database (not SQLite)' : (err as Error).message}`);
  }
  return db;
}
