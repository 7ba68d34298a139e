import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAudio } from '../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { TRAINING_FRONT_END } from '../electron/analysis/voice/front-end.js';
import { StreamingWindower, windowSignal, type AudioWindow } from '../electron/analysis/voice/windows.js';
import { sharedPath, skipWithoutShared } from './helpers/paths.js';

const fe = TRAINING_FRONT_END;
const SR = fe.sampleRate;

function noise(seconds: number, dbfs: number, seed = 1): Float32Array {
  let s = seed;
  const amp = Math.sqrt(3) * 10 ** (dbfs / 20); // uniform noise with this RMS
  return Float32Array.from({ length: Math.round(seconds * SR) }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 2 * amp);
}

function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

function streamInChunks(signal: Float32Array, sizes: () => number): AudioWindow[] {
  const w = new StreamingWindower(fe);
  const out: AudioWindow[] = [];
  for (let o = 0; o < signal.length;) {
    const n = Math.min(signal.length - o, sizes());
    out.push(...w.push(signal.subarray(o, o + n)));
    o += n;
  }
  return [...out, ...w.flush()];
}

test('windows are identical whatever the chunking (real speech + silence)', { skip: skipWithoutShared('ravdess-speech') }, async () => {
  const ff = resolveFfmpeg();
  const a = await readAudio(sharedPath('ravdess-speech/Actor_01/03-01-03-02-01-01-01.flac'), ff);
  const b = await readAudio(sharedPath('ravdess-speech/Actor_04/03-01-06-01-02-02-04.flac'), ff);
  const signal = concat(a, new Float32Array(4 * SR), b, noise(0.7, -80));
  const reference = windowSignal(signal, fe);
  assert.ok(reference.length >= 8, `${reference.length} windows`);
  let r = 12345;
  const randomSize = () => 1 + ((r = (r * 1103515245 + 12345) % 2 ** 31) % 20000);
  for (const sizes of [() => 1 + 0 * r, () => 7, () => 333, () => SR, () => 100000, randomSize]) {
    const size = sizes === randomSize ? 'random' : String(sizes());
    if (size === '1') {
      // one sample at a time over the whole signal is slow-ish but the strictest case; use a shorter prefix
      const prefix = signal.subarray(0, 5 * SR + 123);
      assert.deepEqual(streamInChunks(prefix, sizes), windowSignal(prefix, fe), 'chunk size 1');
      continue;
    }
    const got = streamInChunks(signal, sizes);
    assert.deepEqual(got, reference, `chunk size ${size}`);
  }
  // the gaps are detected: some voiced, some not
  assert.ok(reference.some((w) => w.voiced) && reference.some((w) => !w.voiced));
});

test('energy gate: digital silence, low hiss and a steady hum are unvoiced; speech-like bursts are voiced', () => {
  const silence = windowSignal(new Float32Array(5 * SR), fe);
  assert.ok(silence.length > 0 && silence.every((w) => !w.voiced && w.activeSeconds === 0));
  const hiss = windowSignal(noise(5, -60), fe);
  assert.ok(
    hiss.every((w) => !w.voiced),
    `hiss: ${hiss.map((w) => w.activeSeconds)}`,
  );
  const hum = windowSignal(
    Float32Array.from({ length: 5 * SR }, (_, i) => 0.05 * Math.sin((2 * Math.PI * 50 * i) / SR)),
    fe,
  );
  assert.ok(
    hum.every((w) => !w.voiced),
    `hum: ${hum.map((w) => w.activeSeconds)}`,
  );
  // 1 s bursts of loud noise every 2 s over the hiss: every window holds a burst
  const bursty = noise(6, -60);
  const loud = noise(6, -25, 9);
  for (let i = 0; i < bursty.length; i++) if (Math.floor(i / SR) % 2 === 0) bursty[i] += loud[i];
  const bw = windowSignal(bursty, fe);
  assert.ok(
    bw.every((w) => w.voiced),
    `bursts: ${bw.map((w) => w.activeSeconds)}`,
  );
});

test('window timing and the tail policy', () => {
  const starts = (ws: AudioWindow[]) => ws.map((w) => [w.startS, w.endS, w.padded]);
  // 5.5 s: windows at 0,1,2 then the tail (0.5 s uncovered) right-aligned at 2.5
  assert.deepEqual(starts(windowSignal(noise(5.5, -30), fe)), [
    [0, 3, false],
    [1, 4, false],
    [2, 5, false],
    [2.5, 5.5, false],
  ]);
  // 5.1 s: only 0.1 s uncovered (< a quarter hop) → no tail window
  assert.deepEqual(starts(windowSignal(noise(5.1, -30), fe)), [
    [0, 3, false],
    [1, 4, false],
    [2, 5, false],
  ]);
  // exactly one window long
  assert.deepEqual(starts(windowSignal(noise(3, -30), fe)), [[0, 3, false]]);
  // shorter than one window: one zero-padded window, voiced by its real samples
  const short = windowSignal(concat(noise(0.3, -90), noise(1.2, -25)), fe);
  assert.equal(short.length, 1);
  assert.equal(short[0].padded, true);
  assert.equal(short[0].endS, 1.5);
  assert.equal(short[0].samples.length, 3 * SR);
  assert.equal(short[0].samples[2 * SR], 0);
  assert.equal(short[0].voiced, true);
  const shortSilence = windowSignal(new Float32Array(SR), fe);
  assert.equal(shortSilence.length, 1);
  assert.equal(shortSilence[0].voiced, false);
  assert.deepEqual(windowSignal(new Float32Array(0), fe), []);
});

test('memory stays bounded over a long stream', () => {
  const w = new StreamingWindower(fe);
  const chunk = noise(0.37, -30);
  let windows = 0;
  for (let i = 0; i < 2000; i++) windows += w.push(chunk).length; // 12+ minutes
  windows += w.flush().length;
  const held = (w as unknown as { buf: Float32Array }).buf.length;
  assert.equal(held, 2 * 3 * SR);
  assert.equal(w.totalSamples, 2000 * chunk.length);
  assert.ok(Math.abs(windows - (w.totalSamples / SR - 3 + 1)) <= 2, `${windows} windows`);
  assert.throws(() => w.push(chunk), /after flush/);
});

test('recycled window buffers give the same windows, and a long stream reuses a few buffers', () => {
  const signal = concat(noise(9.3, -30, 3), new Float32Array(2 * SR), noise(6.55, -45, 4));
  const reference = windowSignal(signal, fe);
  const w = new StreamingWindower(fe);
  const seen: AudioWindow[] = [];
  const buffers = new Set<Float32Array>();
  const keep = (ws: AudioWindow[]) => {
    for (const x of ws) {
      buffers.add(x.samples);
      seen.push({ ...x, samples: Float32Array.from(x.samples) });
    }
    w.recycle(ws); // as the voice track does once a batch's features are computed
  };
  for (let o = 0; o < signal.length; o += 5000) keep(w.push(signal.subarray(o, Math.min(signal.length, o + 5000))));
  keep(w.flush());
  assert.equal(seen.length, reference.length);
  for (let i = 0; i < seen.length; i++) {
    assert.deepEqual(seen[i].samples, reference[i].samples, `window ${i} samples`);
    assert.deepEqual({ ...seen[i], samples: null }, { ...reference[i], samples: null }, `window ${i} fields`);
  }
  assert.ok(reference.length >= 15, `${reference.length} windows`);
  assert.ok(buffers.size <= 2, `${buffers.size} buffers for ${reference.length} windows`);
});

test('a recycled buffer is cleared past the real samples of a zero-padded window', () => {
  const short = noise(1.2, -30, 6);
  const w = new StreamingWindower(fe);
  w.recycle([{ ...windowSignal(noise(3, -30, 5), fe)[0], samples: new Float32Array(3 * SR).fill(1) }]); // a buffer that held loud samples
  w.push(short);
  const [padded] = w.flush();
  assert.equal(padded.padded, true);
  assert.deepEqual(padded.samples, windowSignal(short, fe)[0].samples);
  assert.equal(padded.samples[3 * SR - 1], 0);
});
