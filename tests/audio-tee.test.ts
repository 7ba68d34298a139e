import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { AUDIO_SAMPLE_RATE, monoMix, readAudio, streamAudioChannels } from '../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { tee } from '../electron/analysis/media/tee.js';
import { ffmpeg, SAMPLE } from './helpers/media-fixtures.js';
import { tempDir } from './helpers/paths.js';

/** A source of 0 … n-1 that records how far it has been pulled, whether it was closed, and can fail at an index. */
function counting(n: number, opts: { failAt?: number } = {}) {
  const state = { produced: 0, closed: false };
  async function* gen() {
    try {
      for (let i = 0; i < n; i++) {
        await new Promise((r) => setImmediate(r));
        if (i === opts.failAt) throw new Error(`failed at ${i}`);
        state.produced++;
        yield i;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, source: gen() };
}

async function all<T>(it: AsyncIterable<T>, onItem?: (x: T) => Promise<void> | void): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) {
    out.push(x);
    await onItem?.(x);
  }
  return out;
}

test('tee: every branch sees every item in order; the source is read once', async () => {
  const { state, source } = counting(50);
  const [a, b, c] = tee(source, 3, 4);
  const slow = async () => void (await new Promise((r) => setTimeout(r, 1)));
  const [ra, rb, rc] = await Promise.all([all(a), all(b, slow), all(c)]);
  const want = Array.from({ length: 50 }, (_, i) => i);
  assert.deepEqual(ra, want);
  assert.deepEqual(rb, want);
  assert.deepEqual(rc, want);
  assert.equal(state.produced, 50);
});

test('tee: a fast branch runs at most maxAhead items ahead of the slowest', async () => {
  const { state, source } = counting(100);
  const [fast, slow] = tee(source, 2, 5);
  let slowAt = 0;
  let widest = 0;
  await Promise.all([
    all(fast, (x) => void (widest = Math.max(widest, x + 1 - slowAt))),
    all(slow, async () => {
      slowAt++;
      await new Promise((r) => setTimeout(r, 2));
    }),
  ]);
  assert.ok(widest <= 5 + 1, `the fast branch got ${widest} items ahead`);
  assert.ok(widest >= 4, `the fast branch never got ahead (${widest}): nothing was buffered`);
  assert.equal(state.produced, 100);
});

test('tee: a branch that stops early holds nobody back; when all have stopped the source is closed', async () => {
  const { state, source } = counting(1000);
  const [quitter, reader] = tee(source, 2, 3);
  const [q, r] = await Promise.all([
    (async () => {
      const got: number[] = [];
      for await (const x of quitter) if (got.push(x) === 2) break;
      return got;
    })(),
    (async () => {
      const got: number[] = [];
      for await (const x of reader) if (got.push(x) === 40) break;
      return got;
    })(),
  ]);
  assert.deepEqual(q, [0, 1]);
  assert.equal(r.length, 40);
  assert.ok(state.closed, 'the source was not closed');
  assert.ok(state.produced <= 40 + 3 + 1, `the source was read ${state.produced} items far`);
});

test('tee: an error reaches every branch after the items before it', async () => {
  const { source } = counting(10, { failAt: 6 });
  const branches = tee(source, 2, 2);
  for (const r of await Promise.allSettled(branches.map(async (b) => all(b)))) {
    assert.equal(r.status, 'rejected');
    assert.match(String((r as PromiseRejectedResult).reason), /failed at 6/);
  }
  const { source: again } = counting(10, { failAt: 6 });
  const seen: number[] = [];
  await assert.rejects(
    all(tee(again, 1, 2)[0], (x) => void seen.push(x)),
    /failed at 6/,
  );
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5]);
});

const dir = tempDir('audio-tee-');
test("monoMix of a stereo decode equals ffmpeg's own mono decode (AAC 48 kHz, a different voice on each side)", async () => {
  const ff = resolveFfmpeg();
  const stereo = path.join(dir, 'stereo.m4a');
  // Left: the sample's speech; right: the same lowered and delayed by 1.3 s, so the channels differ everywhere.
  ffmpeg(
    '-i',
    SAMPLE,
    '-filter_complex',
    '[0:a]aformat=sample_fmts=fltp:channel_layouts=mono,aresample=48000,asplit[l][r0];[r0]asetrate=38400,aresample=48000,adelay=1300[r];[l][r]join=inputs=2:channel_layout=stereo[s]',
    '-map',
    '[s]',
    '-c:a',
    'aac',
    '-b:a',
    '96k',
    stereo,
  );
  const mono = await readAudio(stereo, ff); // ffmpeg -ac 1
  const parts: Float32Array[] = [];
  for await (const m of monoMix(streamAudioChannels(stereo, ff, { channels: 2, chunkSamples: AUDIO_SAMPLE_RATE }))) parts.push(m);
  const mixed = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (mixed.set(p, at), at + p.length), 0);
  assert.equal(mixed.length, mono.length);
  let worst = 0;
  let power = 0;
  for (let i = 0; i < mono.length; i++) {
    worst = Math.max(worst, Math.abs(mixed[i] - mono[i]));
    power += mono[i] * mono[i];
  }
  assert.ok(power / mono.length > 1e-4, 'the test file is silent');
  assert.ok(worst < 1e-6, `the mix differs from ffmpeg's mono by up to ${worst}`);
  // A mono stream passes unchanged.
  const same: Float32Array[] = [];
  for await (const m of monoMix(streamAudioChannels(SAMPLE, ff, { channels: 1, chunkSamples: AUDIO_SAMPLE_RATE }))) same.push(m);
  const sample = await readAudio(SAMPLE, ff);
  assert.deepEqual(Float32Array.from(same.flatMap((p) => [...p])), sample);
});
