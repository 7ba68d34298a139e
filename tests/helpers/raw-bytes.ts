import { existsSync, readFileSync } from 'node:fs';

/** Every byte of a database, its WAL and its shared-memory file, as latin1 text for searching. */
export function rawBytes(file: string): string {
  return [file, `${file}-wal`, `${file}-shm`]
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f).toString('latin1'))
    .join('\n');
}
