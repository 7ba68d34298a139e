import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { streamVideoFrames } from '../electron/analysis/media/decode.js';
import { CancelledError } from '../electron/analysis/media/errors.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { probeMedia } from '../electron/analysis/media/probe.js';
import { streamProcess } from '../electron/analysis/media/spawn-stream.js';
import { SAMPLE } from './helpers/media-fixtures.js';

/** A Node child process running `script` (CommonJS), its stdout streamed in chunks of `chunkBytes`. */
function node(script: string, opts: { chunkBytes: number; exact?: boolean; ahead?: number; ring?: boolean; signal?: AbortSignal }) {
  return streamProcess(process.execPath, ['-e', script], {
    ...opts,
    describeFailure: (stderr, code) => new Error(`child failed with ${code}: ${stderr.trim()}`),
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !alive(pid);
}

// Bytes 0, 1, 2, … (mod 251) in writes of odd sizes, so chunks never line up with writes.
const counting = (total: number) => `
  let n = 0;
  while (n < ${total}) {
    const k = Math.min(777, ${total} - n);
    process.stdout.write(Buffer.from(Array.from({ length: k }, (_, i) => (n + i) % 251)));
    n += k;
  }`;

// Every way of reading: on the caller's thread (no `ahead`), ahead on a reading thread, and ahead into a shared ring.
for (const [mode, ahead, ring] of [
  ["on the caller's thread", undefined, false],
  ['on a reading thread', 2, false],
  ['into a shared ring', 2, true],
] as const) {
  test(`streamProcess, ${mode}: every byte in order, in fixed chunks; the trailing part kept, or dropped when exact`, async () => {
    const seen: number[] = [];
    const sizes: number[] = [];
    for await (const c of node(counting(10_500), { chunkBytes: 1000, ahead, ring })) {
      sizes.push(c.length);
      seen.push(...c);
    }
    assert.deepEqual(sizes, [...Array(10).fill(1000), 500]);
    assert.deepEqual(
      seen,
      seen.map((_, i) => i % 251),
    );
    const exact: number[] = [];
    for await (const c of node(counting(10_500), { chunkBytes: 1000, exact: true, ahead, ring })) exact.push(c.length);
    assert.deepEqual(exact, Array(10).fill(1000));
  });

  test(`streamProcess, ${mode}: the chunks before a failure, then the failure with its stderr and exit code`, async () => {
    const got: number[] = [];
    await assert.rejects(
      async () => {
        for await (const c of node(`${counting(3000)}; process.stderr.write('broken input'); process.exitCode = 3;`, {
          chunkBytes: 1000,
          ahead,
          ring,
        }))
          got.push(c.length);
      },
      { message: 'child failed with 3: broken input' },
    );
    assert.deepEqual(got, [1000, 1000, 1000]);
  });

  test(`streamProcess, ${mode}: a program that cannot start is an error naming why`, async () => {
    await assert.rejects(async () => {
      for await (const _ of streamProcess('/nonexistent/ffmpeg', [], { chunkBytes: 10, ahead, ring, describeFailure: () => new Error('unexpected') }))
        void _;
    }, /ENOENT/);
  });

  test(`streamProcess, ${mode}: aborting cancels and kills the process`, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'affect-stream-'));
    try {
      const ac = new AbortController();
      let pid = 0;
      await assert.rejects(async () => {
        for await (const c of node(endless(path.join(dir, 'written')), { chunkBytes: 65536, ahead, ring, signal: ac.signal })) {
          pid ||= Number(c.subarray(0, 16).toString().replace(/\0.*$/, ''));
          ac.abort();
        }
      }, CancelledError);
      assert.ok(pid > 0);
      assert.ok(await gone(pid));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('streamProcess: chunks held past the next keep their bytes', async () => {
  const held: Buffer[] = [];
  for await (const c of node(counting(50_000), { chunkBytes: 4096, ahead: 3 })) held.push(c);
  const all = Buffer.concat(held);
  assert.equal(all.length, 50_000);
  all.forEach((v, i) => assert.equal(v, i % 251));
});

test('streamProcess into a shared ring: a slow consumer sees every byte in order, in at most ahead + 1 slots of one buffer', async () => {
  const offsets = new Set<number>();
  let buffer: ArrayBufferLike | null = null;
  let at = 0;
  let n = 0;
  // Chunks of 1000 bytes arrive many to a pipe read, so the reading thread often has bytes and no free slot.
  for await (const c of node(counting(300_000), { chunkBytes: 1000, ahead: 3, ring: true })) {
    assert.ok(c.buffer instanceof SharedArrayBuffer);
    buffer ??= c.buffer;
    assert.equal(c.buffer, buffer, 'every chunk is a view of the one ring');
    offsets.add(c.byteOffset);
    for (let i = 0; i < c.length; i++) assert.equal(c[i], (at + i) % 251, `byte ${at + i}`);
    at += c.length;
    if (n++ % 7 === 0) await new Promise((r) => setTimeout(r, 1)); // busy now and then: the ring fills up
  }
  assert.equal(at, 300_000);
  assert.equal(offsets.size, 4);
});

// A child that writes forever, 64 KB at a time, first its pid; it records how much it has written in `log`.
const endless = (log: string) => `
  const fs = require('node:fs');
  const head = Buffer.alloc(65536); head.write(String(process.pid));
  let written = 0;
  const more = () => {
    let ok = true;
    while (ok) { ok = process.stdout.write(written === 0 ? head : Buffer.alloc(65536)); written += 65536; fs.writeFileSync(${JSON.stringify(log)}, String(written)); }
    process.stdout.once('drain', more);
  };
  more();`;

test('streamProcess: reads at most `ahead` chunks ahead of a busy consumer, and stopping early kills the process', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'affect-stream-'));
  try {
    const log = path.join(dir, 'written');
    let pid = 0;
    let taken = 0;
    const chunkBytes = 1 << 20;
    for await (const c of node(endless(log), { chunkBytes, ahead: 2 })) {
      if (taken++ === 0) {
        pid = Number(c.subarray(0, 16).toString().replace(/\0.*$/, ''));
        await new Promise((r) => setTimeout(r, 600)); // a consumer busy with the first chunk
        const written = Number(readFileSync(log, 'utf8'));
        // The chunk taken, `ahead` waiting, one being filled, and what pipes and stream buffers hold (well under 1 MB).
        assert.ok(written <= 4 * chunkBytes + (1 << 20), `the child wrote ${written} bytes ahead`);
        assert.ok(written >= 3 * chunkBytes, `the child wrote only ${written} bytes ahead: nothing was read ahead`);
      }
      if (taken === 3) break;
    }
    assert.ok(pid > 0);
    assert.ok(await gone(pid), 'the process still runs after the consumer stopped');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('decoded frames read ahead: the same frames in order, each intact after the next; aborting still cancels', async () => {
  const ff = resolveFfmpeg();
  const info = await probeMedia(SAMPLE, ff);
  const kept: Array<{ index: number; sum: number }> = [];
  const frames: Uint8Array[] = [];
  for await (const f of streamVideoFrames(SAMPLE, ff, info.video!, { fps: 2, maxSide: 160 })) {
    frames.push(f.rgb);
    kept.push({ index: f.index, sum: f.rgb.reduce((s, v) => s + v, 0) });
  }
  assert.ok(kept.length >= 38);
  assert.deepEqual(
    kept.map((k) => k.index),
    kept.map((_, i) => i),
  );
  frames.forEach((rgb, i) =>
    assert.equal(
      rgb.reduce((s, v) => s + v, 0),
      kept[i].sum,
    ),
  );
  // Frames in a reused ring of memory (as the analysis reads them): the same pixels, while each is current.
  const reused: number[] = [];
  for await (const f of streamVideoFrames(SAMPLE, ff, info.video!, { fps: 2, maxSide: 160, reuseMemory: true }))
    reused.push(f.rgb.reduce((s, v) => s + v, 0));
  assert.deepEqual(
    reused,
    kept.map((k) => k.sum),
  );
  // One decoder thread or ffmpeg's own choice: the same pixels.
  const auto: number[] = [];
  for await (const f of streamVideoFrames(SAMPLE, ff, info.video!, { fps: 2, maxSide: 160, decoderThreads: 'auto' }))
    auto.push(f.rgb.reduce((s, v) => s + v, 0));
  assert.deepEqual(
    auto,
    kept.map((k) => k.sum),
  );
  const ac = new AbortController();
  await assert.rejects(async () => {
    for await (const f of streamVideoFrames(SAMPLE, ff, info.video!, { fps: 2, maxSide: 160, signal: ac.signal })) if (f.index === 3) ac.abort();
  }, CancelledError);
});
