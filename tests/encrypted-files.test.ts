import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { test } from 'node:test';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { createDecryptStream, decryptFile, encryptFile, openDecryptedStream } from '../electron/store/encrypted-files.js';
import { badInputFixtures, SAMPLE } from './helpers/media-fixtures.js';
import { tempDir } from './helpers/paths.js';

const KEY = randomBytes(32);
const HEADER = 8 + 4 + 16;
const TAG = 16;

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) parts.push(c);
  return Buffer.concat(parts);
}

test('encrypted files: the sample recording round-trips byte for byte, and the stored bytes are not the recording', async () => {
  const dir = tempDir();
  const enc = path.join(dir, 'sample.enc');
  await encryptFile(SAMPLE, enc, KEY);
  const plain = readFileSync(SAMPLE);
  const stored = readFileSync(enc);
  assert.equal(statSync(enc).mode & 0o777, 0o600);
  const chunks = Math.ceil(plain.length / 65536);
  assert.equal(stored.length, HEADER + plain.length + chunks * TAG, 'header + plaintext + one tag per 64 KiB chunk');
  assert.equal(stored.indexOf(Buffer.from('ftyp')), -1, 'the mp4 box names are not visible');
  assert.deepEqual(await readAll(openDecryptedStream(enc, KEY)), plain);
  const out = path.join(dir, 'back.mp4');
  await decryptFile(enc, out, KEY);
  assert.deepEqual(readFileSync(out), plain);
});

test('encrypted files: a decrypted stream pipes into ffmpeg, which decodes the audio from stdin', async () => {
  const { wav } = badInputFixtures();
  const dir = tempDir();
  const enc = path.join(dir, 'a.enc');
  await encryptFile(wav, enc, KEY, { chunkSize: 4096 });
  const ff = spawn(resolveFfmpeg().ffmpeg, ['-v', 'error', '-i', 'pipe:0', '-f', 's16le', '-ac', '1', '-ar', '16000', 'pipe:1'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const pcm = readAll(ff.stdout);
  await pipeline(openDecryptedStream(enc, KEY), ff.stdin);
  const viaPipe = await pcm;
  const direct = spawn(resolveFfmpeg().ffmpeg, ['-v', 'error', '-i', wav, '-f', 's16le', '-ac', '1', '-ar', '16000', 'pipe:1']);
  assert.ok(viaPipe.length > 16000, 'ffmpeg decoded audio from the decrypted pipe');
  assert.deepEqual(viaPipe, await readAll(direct.stdout));
});

test('encrypted files: sizes at and around the chunk size, and an empty file, round-trip', async () => {
  const dir = tempDir();
  for (const size of [0, 1, 4095, 4096, 4097, 8192, 3 * 4096 + 5]) {
    const src = path.join(dir, `in-${size}`);
    const data = randomBytes(size);
    writeFileSync(src, data);
    await encryptFile(src, `${src}.enc`, KEY, { chunkSize: 4096 });
    assert.deepEqual(await readAll(openDecryptedStream(`${src}.enc`, KEY)), data, `size ${size}`);
  }
});

async function decryptBytes(bytes: Buffer, key = KEY): Promise<Buffer> {
  const d = createDecryptStream(key, { name: 'test.enc' });
  const out = readAll(d);
  d.end(bytes);
  return out;
}

test('encrypted files: tampering, truncation, reordering, appended bytes and a wrong key are refused', async () => {
  const dir = tempDir();
  const enc = path.join(dir, 's.enc');
  await encryptFile(SAMPLE, enc, KEY, { chunkSize: 16384 });
  const good = readFileSync(enc);
  const rec = 16384 + TAG;
  assert.equal((await decryptBytes(good)).length, statSync(SAMPLE).size);

  const flipped = Buffer.from(good);
  flipped[HEADER + rec + 100] ^= 0x01; // one bit in the second chunk
  await assert.rejects(decryptBytes(flipped), /chunk 1 failed authentication/);

  const headerFlipped = Buffer.from(good);
  headerFlipped[HEADER - 1] ^= 0x01; // the salt: a different file key
  await assert.rejects(decryptBytes(headerFlipped), /chunk 0 failed authentication/);

  // Cut at a record boundary: every remaining record is intact, but the final one is missing.
  await assert.rejects(decryptBytes(good.subarray(0, HEADER + 3 * rec)), /chunk 2 failed authentication \(the file was cut short/);
  // Cut inside a record.
  await assert.rejects(decryptBytes(good.subarray(0, good.length - 7)), /failed authentication/);
  // Only the header.
  await assert.rejects(decryptBytes(good.subarray(0, HEADER)), /cut short/);

  const swapped = Buffer.concat([
    good.subarray(0, HEADER),
    good.subarray(HEADER + rec, HEADER + 2 * rec),
    good.subarray(HEADER, HEADER + rec),
    good.subarray(HEADER + 2 * rec),
  ]);
  await assert.rejects(decryptBytes(swapped), /chunk 0 failed authentication/);

  // Duplicating the final record after itself.
  const lastStart = HEADER + Math.floor((good.length - HEADER - 1) / rec) * rec;
  await assert.rejects(decryptBytes(Buffer.concat([good, good.subarray(lastStart)])), /failed authentication|after the final chunk/);

  await assert.rejects(decryptBytes(good, randomBytes(32)), /chunk 0 failed authentication/);
  await assert.rejects(decryptBytes(Buffer.from('not encrypted at all, just text '.repeat(10))), /not an Affect Workstation encrypted file/);

  // A failed decryption to a file leaves no output behind.
  const truncated = path.join(dir, 'cut.enc');
  writeFileSync(truncated, good.subarray(0, HEADER + 2 * rec));
  await assert.rejects(decryptFile(truncated, path.join(dir, 'out.mp4'), KEY), /cut short/);
  assert.throws(() => statSync(path.join(dir, 'out.mp4')), /ENOENT/);
});

test('encrypted files: memory stays bounded while streaming a large file', async () => {
  const dir = tempDir();
  const src = path.join(dir, 'big.bin');
  const block = randomBytes(1024 * 1024);
  writeFileSync(src, Buffer.concat(Array(64).fill(block))); // 64 MiB
  const enc = path.join(dir, 'big.enc');
  global.gc?.();
  const before = process.memoryUsage().rss;
  await encryptFile(src, enc, KEY);
  let total = 0;
  let peak = 0;
  for await (const c of openDecryptedStream(enc, KEY) as AsyncIterable<Buffer>) {
    total += c.length;
    peak = Math.max(peak, process.memoryUsage().rss - before);
  }
  assert.equal(total, 64 * 1024 * 1024);
  assert.ok(peak < 48 * 1024 * 1024, `resident memory grew by ${(peak / 2 ** 20).toFixed(1)} MiB while decrypting 64 MiB`);
});
