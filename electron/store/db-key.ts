import { createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * The database key: 32 bytes derived from the user's passphrase with scrypt. The salt and the scrypt
 * parameters live in a small JSON file beside the database (`<db>.kdf.json`, no secret in it), written
 * once when the database is first encrypted and replaced only by a passphrase change. A check value
 * (HMAC of a constant under the key) tells a wrong passphrase from a damaged file.
 *
 * A lost key-derivation file is never silently replaced: an encrypted database without it cannot be
 * opened (the error says so), and a key-derivation file without its database is refused too.
 */

export interface KdfParams {
  format: 'affect-workstation-kdf';
  version: 1;
  kdf: 'scrypt';
  /** scrypt cost (a power of two), block size, parallelism. */
  N: number;
  r: number;
  p: number;
  keyLength: 32;
  /** base64, 16 random bytes. */
  salt: string;
  /** The SQLite3 Multiple Ciphers page cipher the key is used with. */
  cipher: 'chacha20';
  /** base64 of the first 16 bytes of HMAC-SHA256(key, CHECK_LABEL). */
  check: string;
  createdAt: string;
}

/** OWASP's scrypt recommendation (2^17, 8, 1): 128 MiB and about half a second on a laptop core. */
export const DEFAULT_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
const CHECK_LABEL = 'affect-workstation database key check v1';
/** Passphrases shorter than this are refused when a key is made (not when one is used). */
export const MIN_PASSPHRASE_LENGTH = 8;

export const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export function kdfFilePath(databasePath: string): string {
  return `${databasePath}.kdf.json`;
}

export class WrongPassphraseError extends Error {
  constructor(readonly databasePath: string) {
    super(`${databasePath}: wrong passphrase`);
    this.name = 'WrongPassphraseError';
  }
}

function scrypt(passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }, keyLength: number): Promise<Buffer> {
  const opts: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 32 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCb(passphrase.normalize('NFC'), salt, keyLength, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function checkValue(key: Buffer): string {
  return createHmac('sha256', key).update(CHECK_LABEL).digest().subarray(0, 16).toString('base64');
}

export function validatePassphrase(passphrase: string): void {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) throw new Error(`the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`);
}

/** New parameters (fresh salt) and the key they give for this passphrase; nothing is written. */
export async function newKey(
  passphrase: string,
  cost: { N: number; r: number; p: number } = DEFAULT_SCRYPT,
): Promise<{ key: Buffer; params: KdfParams }> {
  validatePassphrase(passphrase);
  const salt = randomBytes(16);
  const key = await scrypt(passphrase, salt, cost, 32);
  const params: KdfParams = {
    format: 'affect-workstation-kdf',
    version: 1,
    kdf: 'scrypt',
    N: cost.N,
    r: cost.r,
    p: cost.p,
    keyLength: 32,
    salt: salt.toString('base64'),
    cipher: 'chacha20',
    check: checkValue(key),
    createdAt: new Date().toISOString(),
  };
  return { key, params };
}

/** The key for this passphrase under stored parameters; WrongPassphraseError when the check value differs. */
export async function deriveKey(databasePath: string, passphrase: string, params: KdfParams = readKdfFile(databasePath)): Promise<Buffer> {
  const key = await scrypt(passphrase, Buffer.from(params.salt, 'base64'), params, params.keyLength);
  if (!keyMatches(key, params)) throw new WrongPassphraseError(databasePath);
  return key;
}

export function keyMatches(key: Buffer, params: KdfParams): boolean {
  const want = Buffer.from(params.check, 'base64');
  const got = Buffer.from(checkValue(key), 'base64');
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Reads and validates `<db>.kdf.json` (or another record of this database); a clear error naming the file when it is missing or damaged. */
export function readKdfFile(databasePath: string, file = kdfFilePath(databasePath)): KdfParams {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `${databasePath}: is encrypted but its key-derivation file ${file} is missing; restore it from your backup (it holds no secret, but without it the passphrase cannot be turned into the key)`
        : `${file}: cannot read the key-derivation file (${(err as Error).message})`,
    );
  }
  const p = raw as Partial<KdfParams>;
  const ok =
    p &&
    p.format === 'affect-workstation-kdf' &&
    p.version === 1 &&
    p.kdf === 'scrypt' &&
    Number.isInteger(p.N) &&
    p.N! >= 2 &&
    (p.N! & (p.N! - 1)) === 0 &&
    Number.isInteger(p.r) &&
    Number.isInteger(p.p) &&
    p.keyLength === 32 &&
    typeof p.salt === 'string' &&
    Buffer.from(p.salt, 'base64').length >= 16 &&
    p.cipher === 'chacha20' &&
    typeof p.check === 'string';
  if (!ok) throw new Error(`${file}: not a valid key-derivation file (format, kdf, N, r, p, salt, cipher or check missing or wrong)`);
  return p as KdfParams;
}

/** Writes `<db>.kdf.json` (or `file`) atomically (temp file, fsync, rename), mode 0600. */
export function writeKdfFile(databasePath: string, params: KdfParams, file = kdfFilePath(databasePath)): void {
  const tmp = `${file}.tmp-${process.pid}`;
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(params, null, 2) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export type FileState = 'missing' | 'plain' | 'encrypted' | 'empty';

/**
 * What is on disk at this path: no file, a plain SQLite database (its header), an empty file, or
 * anything else — an encrypted database when its key-derivation file is there (the caller decides what
 * to say when it is not).
 */
export function databaseFileState(databasePath: string): FileState {
  if (databasePath === ':memory:' || !existsSync(databasePath)) return 'missing';
  const fd = openSync(databasePath, 'r');
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    if (n === 0) return 'empty';
    return n === 16 && head.equals(SQLITE_HEADER) ? 'plain' : 'encrypted';
  } finally {
    closeSync(fd);
  }
}
