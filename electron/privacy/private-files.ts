import { chmodSync, createWriteStream, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';

/**
 * Files the app writes (uploads, exports, reports) hold clients' data: they are readable by their owner
 * only (0600) in folders only their owner can list (0700), whatever the umask, and they appear whole or
 * not at all (written to `<name>.<pid>.part` beside the target, then renamed).
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

const PART = /\.\d+\.part$/;

/** A folder the app owns (its exports, its uploads): created 0700, or tightened to 0700 when it exists. */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
  return dir;
}

/** A folder the user named: the parts that are missing are created 0700; existing ones are left as they are. */
export function makeDirsPrivately(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !exists(d); d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) {
    mkdirSync(d, { mode: PRIVATE_DIR_MODE });
    chmodSync(d, PRIVATE_DIR_MODE);
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

const partOf = (file: string) => `${file}.${process.pid}.part`;

/** Write a whole file, 0600, atomically. */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  const part = partOf(file);
  try {
    writeFileSync(part, data, { mode: PRIVATE_FILE_MODE });
    chmodSync(part, PRIVATE_FILE_MODE);
    renameSync(part, file);
  } catch (err) {
    rmSync(part, { force: true });
    throw err;
  }
}

/** A 0600 stream into `<file>.<pid>.part`; commit() renames it to `file` once finished, abort() removes it. */
export function privateFileStream(file: string): { stream: WriteStream; part: string; commit(): void; abort(): void } {
  const part = partOf(file);
  const stream = createWriteStream(part, { mode: PRIVATE_FILE_MODE });
  return {
    stream,
    part,
    commit: () => {
      chmodSync(part, PRIVATE_FILE_MODE);
      renameSync(part, file);
    },
    abort: () => {
      stream.destroy();
      rmSync(part, { force: true });
    },
  };
}

/** Remove the `.part` files a crash left in a folder the app owns; returns what was removed. */
export function sweepPartFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed = names.filter((n) => PART.test(n)).map((n) => path.join(dir, n));
  for (const f of removed) rmSync(f, { force: true });
  return removed;
}
