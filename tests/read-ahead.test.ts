import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readAhead } from '../electron/analysis/media/read-ahead.js';
import { streamVideoFrames } from '../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { probeMedia } from '../electron/analysis/media/probe.js';
import { CancelledError } from '../electron/analysis/media/errors.js';
import { SAMPLE } from './helpers/media-fixtures.js';

/** A source that counts how far it has been pulled and whether it was closed. */
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

test('read-ahead yields every item in order and pulls at most `depth` ahead', async () => {
  const { state, source } = counting(20);
  const seen: number[] = [];
  for await (const x of readAhead(source, 3)) {
    await new Promise((r) => setTimeout(r, 2)); // a slow consumer: the producer runs ahead, but not beyond depth
    assert.ok(state.produced - seen.length <= 3 + 1, `${state.produced} produced with ${seen.length} consumed`);
    seen.push(x);
  }
  assert.deepEqual(
    seen,
    Array.from({ length: 20 }, (_, i) => i),
  );
  assert.ok(state.closed);
});

test('read-ahead passes the items before an error, then the error', async () => {
  const { source } = counting(10, { failAt: 4 });
  const seen: number[] = [];
  await assert.rejects(async () => {
    for await (const x of readAhead(source, 8)) seen.push(x);
  }, /failed at 4/);
  assert.deepEqual(seen, [0, 1, 2, 3]);
});

test('read-ahead closes the source when the consumer stops early', async () => {
  const { state, source } = counting(1000);
  for await (const x of readAhead(source, 4)) if (x === 2) break;
  assert.ok(state.closed);
  assert.ok(state.produced <= 2 + 1 + 4 + 1);
});

test('read-ahead on decoded frames: the same frames as reading one at a time; aborting still cancels', async () => {
  const ff = resolveFfmpeg();
  const info = await probeMedia(SAMPLE, ff);
  // streamVideoFrames reads ahead itself; a consumer that keeps every frame sees them intact and in order.
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
  // Frames held past the next one keep their pixels.
  frames.forEach((rgb, i) =>
    assert.equal(
      rgb.reduce((s, v) => s + v, 0),
      kept[i].sum,
    ),
  );
  const ac = new AbortController();
  await assert.rejects(async () => {
    for await (const f of streamVideoFrames(SAMPLE, ff, info.video!, { fps: 2, maxSide: 160, signal: ac.signal })) if (f.index === 3) ac.abort();
  }, CancelledError);
});
