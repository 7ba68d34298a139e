import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** A stored PIN or passphrase: scrypt (RFC 7914) parameters, salt and derived key; never the PIN itself. */
export interface PinHash {
  algo: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  hash: string;
}

/** N = 2^15, r = 8, p = 1: about 32 MiB and a few tens of milliseconds per try on a laptop (OWASP's scrypt floor is N = 2^17 with p = 1 or N = 2^15 with higher p). */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

function derive(pin: string, salt: Buffer, { N, r, p }: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => scrypt(pin.normalize('NFC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPin(pin: string): Promise<PinHash> {
  const salt = randomBytes(16);
  const key = await derive(pin, salt, PARAMS);
  return { algo: 'scrypt', ...PARAMS, salt: salt.toString('base64'), hash: key.toString('base64') };
}

export async function verifyPin(pin: string, stored: PinHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const key = await derive(pin, Buffer.from(stored.salt, 'base64'), stored);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export function isPinHash(x: unknown): x is PinHash {
  const h = x as PinHash;
  return (
    !!h &&
    h.algo === 'scrypt' &&
    [h.N, h.r, h.p].every((n) => Number.isInteger(n) && n > 0) &&
    typeof h.salt === 'string' &&
    typeof h.hash === 'string'
  );
}
