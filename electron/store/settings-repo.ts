import type { Db } from './db.js';

/** A stored setting, parsed from JSON; undefined when never set. */
export function getSetting(db: Db, key: string): unknown {
  const row = db.prepare('SELECT value FROM app_settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row === undefined ? undefined : JSON.parse(row.value);
}

/** Store (or with undefined, remove) a setting. */
export function setSetting(db: Db, key: string, value: unknown): void {
  if (value === undefined) {
    db.prepare('DELETE FROM app_settings WHERE key = ?').run(key);
    return;
  }
  db.prepare(
    `INSERT INTO app_settings (key, value) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  ).run(key, JSON.stringify(value));
}
