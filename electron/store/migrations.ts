import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { appFile } from '../app-paths.js';
import type Database from 'better-sqlite3-multiple-ciphers';

export const MIGRATIONS_DIR = appFile('electron', 'store', 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every `NNN_name.sql` in the migrations folder, in version order. */
export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.replace(/\.sql$/, ''), sql: readFileSync(path.join(dir, f), 'utf8') }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations: expected version ${i + 1}, found ${m.name} (gap or duplicate)`);
  });
  return migrations;
}

export function appliedVersions(db: Database.Database): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`);
  return (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>).map((r) => r.version);
}

/**
 * Apply pending migrations, each in its own transaction: a failure leaves the database at the
 * last good version. Refuses a database from a newer app version.
 */
export function migrate(db: Database.Database, migrations = listMigrations(), upTo = Infinity): number[] {
  const applied = new Set(appliedVersions(db));
  const newest = Math.max(0, ...applied);
  const known = migrations.length ? migrations[migrations.length - 1].version : 0;
  if (newest > known) throw new Error(`database schema version ${newest} is newer than this app understands (${known}); update the app`);
  const ran: number[] = [];
  for (const m of migrations) {
    if (applied.has(m.version) || m.version > upTo) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)').run(m.version, m.name);
    })();
    ran.push(m.version);
  }
  return ran;
}
