import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Files encrypted at rest (kept uploads, playback proxies): AES-256-GCM in fixed-size chunks, streamed with
 * bounded memory (two chunks at most), each chunk authenticated before any of its bytes are released.
 *
 * Layout: header (magic "AFFENC01", chunk size uint32 BE, 16-byte salt) then records of
 * `ciphertext ‖ 16-byte tag`, every record `chunkSize` bytes of plaintext except the last (0..chunkSize).
 * Per file key = HKDF-SHA256(database key, salt, "affect-workstation encrypted file v1"). Each record's
 * 12-byte nonce is its index (uint64 BE) and a final-record flag (uint32 BE, 1 on the last record only);
 * the header is the additional authenticated data of every record. So a reordered or altered record fails
 * its tag, a file cut at a record boundary lacks its final record, and bytes after the final record are
 * refused. Truncation is detected at the end of the stream: a consumer that reads a decrypting stream gets
 * authenticated bytes as they come and an error at the end when the file was cut short.
 */

const MAGIC = Buffer.from('AFFENC01', 'latin1');
const HEADER_LENGTH = MAGIC.length + 4 + 16;
const TAG_LENGTH = 16;
const INFO = Buffer.from('affect-workstation encrypted file v1');
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
const MAX_CHUNK_SIZE = 16 * 1024 * 1024;

export class EncryptedFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncryptedFileError';
  }
}

function fileKey(databaseKey: Buffer, salt: Buffer): Buffer {
  if (databaseKey.length !== 32) throw new Error('encrypted files: the database key must be 32 bytes');
  return Buffer.from(hkdfSync('sha256', databaseKey, salt, INFO, 32));
}

function nonce(index: number, final: boolean): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(BigInt(index), 0);
  n.writeUInt32BE(final ? 1 : 0, 8);
  return n;
}

/** A Transform that encrypts what is written to it. */
export function createEncryptStream(databaseKey: Buffer, { chunkSize = DEFAULT_CHUNK_SIZE } = {}): Transform {
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE)
    throw new Error(`encrypted files: chunk size must be 1..${MAX_CHUNK_SIZE}`);
  const salt = randomBytes(16);
  const key = fileKey(databaseKey, salt);
  const header = Buffer.alloc(HEADER_LENGTH);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(chunkSize, MAGIC.length);
  salt.copy(header, MAGIC.length + 4);
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let index = 0;
  const seal = (plain: Buffer, final: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', key, nonce(index++, final));
    cipher.setAAD(header);
    return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  };
  let headerSent = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      if (!headerSent) {
        this.push(header);
        headerSent = true;
      }
      pending.push(chunk);
      pendingLength += chunk.length;
      // Keep at least one byte back: the final record must be sealed as final, even when the plaintext is
      // an exact multiple of the chunk size.
      while (pendingLength > chunkSize) {
        const all = Buffer.concat(pending);
        this.push(seal(all.subarray(0, chunkSize), false));
        pending = [all.subarray(chunkSize)];
        pendingLength = pending[0].length;
      }
      done();
    },
    flush(done: TransformCallback) {
      if (!headerSent) this.push(header);
      this.push(seal(Buffer.concat(pending), true));
      done();
    },
  });
}

/** A Transform that decrypts and authenticates; it errors on a wrong key, an altered, reordered or missing record. */
export function createDecryptStream(databaseKey: Buffer, { name = 'encrypted file' } = {}): Transform {
  let header: Buffer | null = null;
  let key: Buffer | null = null;
  let recordLength = 0;
  let buffered: Buffer = Buffer.alloc(0);
  let index = 0;
  let finished = false;
  const open = (record: Buffer, final: boolean): Buffer => {
    const decipher = createDecipheriv('aes-256-gcm', key!, nonce(index, final));
    decipher.setAAD(header!);
    decipher.setAuthTag(record.subarray(record.length - TAG_LENGTH));
    try {
      const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - TAG_LENGTH)), decipher.final()]);
      index++;
      return plain;
    } catch {
      throw new EncryptedFileError(
        `${name}: chunk ${index} failed authentication (${final ? 'the file was cut short, altered, or the key is wrong' : 'altered, reordered, or the key is wrong'})`,
      );
    }
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        if (finished) throw new EncryptedFileError(`${name}: data after the final chunk`);
        buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
        if (!header) {
          if (buffered.length < HEADER_LENGTH) return done();
          header = Buffer.from(buffered.subarray(0, HEADER_LENGTH));
          if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw new EncryptedFileError(`${name}: not an Affect Workstation encrypted file`);
          const chunkSize = header.readUInt32BE(MAGIC.length);
          if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) throw new EncryptedFileError(`${name}: invalid chunk size ${chunkSize}`);
          recordLength = chunkSize + TAG_LENGTH;
          key = fileKey(databaseKey, header.subarray(MAGIC.length + 4));
          buffered = buffered.subarray(HEADER_LENGTH);
        }
        // A full record followed by more bytes is not the last one.
        while (buffered.length > recordLength) {
          this.push(open(buffered.subarray(0, recordLength), false));
          buffered = buffered.subarray(recordLength);
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        if (!header) throw new EncryptedFileError(`${name}: too short to be an encrypted file (no header)`);
        if (buffered.length < TAG_LENGTH) throw new EncryptedFileError(`${name}: the file was cut short (no final chunk)`);
        this.push(open(buffered, true));
        finished = true;
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

/**
 * Encrypt `source` into `dest` (written to a temporary file, mode 0600, renamed into place when complete:
 * an interrupted run leaves no partial `dest`).
 */
export async function encryptFile(
  source: string,
  dest: string,
  databaseKey: Buffer,
  opts: { chunkSize?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const tmp = `${dest}.partial-${process.pid}`;
  try {
    await pipeline(createReadStream(source), createEncryptStream(databaseKey, opts), createWriteStream(tmp, { mode: 0o600 }), {
      signal: opts.signal,
    });
    renameSync(tmp, dest);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * The plaintext of an encrypted file as a readable stream (e.g. to pipe into ffmpeg's stdin). Read errors and
 * authentication failures are emitted as the stream's error.
 */
export function openDecryptedStream(file: string, databaseKey: Buffer): Readable {
  const decrypt = createDecryptStream(databaseKey, { name: file });
  const source = createReadStream(file, { highWaterMark: DEFAULT_CHUNK_SIZE + TAG_LENGTH });
  source.on('error', (err) => decrypt.destroy(err));
  decrypt.on('close', () => source.destroy());
  return source.pipe(decrypt);
}

/** Decrypt a whole file into `dest` (temporary file, 0600, renamed when authenticated to the end). */
export async function decryptFile(source: string, dest: string, databaseKey: Buffer): Promise<void> {
  const tmp = `${dest}.partial-${process.pid}`;
  try {
    await pipeline(createReadStream(source), createDecryptStream(databaseKey, { name: source }), createWriteStream(tmp, { mode: 0o600 }));
    renameSync(tmp, dest);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
