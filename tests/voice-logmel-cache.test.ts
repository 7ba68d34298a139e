import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readAudio } from '../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { LogMelExtractor } from '../electron/analysis/voice/logmel.js';
import { LogMelFrameCache } from '../electron/analysis/voice/logmel-cache.js';
import { classifyAudioChunks, VoiceEmotionModel } from '../electron/analysis/voice/voice-model.js';
import { windowSignal } from '../electron/analysis/voice/windows.js';
import { REPO_ROOT } from './helpers/paths.js';

const SHIPPED = path.join(REPO_ROOT, 'native-models/voice-spectrogram-cnn');
const SAMPLE = path.join(REPO_ROOT, 'data/samples/sample.mp4');

test('overlapping voice windows share log-mel frames: every score identical bit for bit, each frame computed once', async () => {
  const ff = resolveFfmpeg();
  const speech = await readAudio(SAMPLE, ff);
  const model = await VoiceEmotionModel.load(SHIPPED, { threads: 1 });
  try {
    const windows = windowSignal(speech, model.frontEnd);
    assert.ok(windows.length >= 10, `the sample gives ${windows.length} windows`);
    const alone = await model.score(windows);
    const frames = model.frameCache();
    const shared = await model.score(windows, frames);
    assert.deepEqual(
      shared.map((s) => [...s.probabilities]),
      alone.map((s) => [...s.probabilities]),
    );
    assert.deepEqual(
      shared.map((s) => s.inputDistance),
      alone.map((s) => s.inputDistance),
    );
    // 3 s windows every 1 s: the grid-aligned windows cover the signal once; only the right-aligned last one (off the
    // 10 ms grid) is computed on its own.
    const perWindow = model.framesPerWindow;
    const aligned = windows.filter((w) => w.startSample % model.frontEnd.hopLength === 0);
    const lastAligned = aligned[aligned.length - 1];
    const covered = lastAligned.startSample / model.frontEnd.hopLength + perWindow;
    assert.equal(frames.computed, covered + (windows.length - aligned.length) * perWindow);
    assert.ok(frames.computed < (windows.length * perWindow) / 2, `${frames.computed} frames for ${windows.length} windows`);

    // The streaming path (what the engine runs) gives the same estimates as scoring each window alone.
    const chunks = async function* () {
      for (let o = 0; o < speech.length; o += 7000) yield speech.subarray(o, o + 7000);
    };
    const streamed = await classifyAudioChunks(chunks(), model);
    const voiced = windows.filter((w) => w.voiced);
    const aloneVoiced = await model.score(voiced);
    assert.deepEqual(
      streamed.windows.filter((w) => w.voiced).map((w) => [...w.probabilities!]),
      aloneVoiced.map((s) => [...s.probabilities]),
    );
  } finally {
    await model.release();
  }
});

test('the frame cache computes windows directly when they leave the hop grid, go back or skip ahead', () => {
  const cfg = { sampleRate: 16000, nFft: 512, hopLength: 160, nMels: 64, fMin: 50, fMax: 8000 };
  const extractor = new LogMelExtractor(cfg);
  let seed = 7;
  const signal = Float32Array.from({ length: 16000 * 6 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.2);
  const windowSamples = 16000;
  const framesPer = extractor.frameCount(windowSamples);
  const cache = new LogMelFrameCache(extractor, framesPer);
  const check = (start: number) => {
    const samples = signal.slice(start, start + windowSamples);
    const got = new Float32Array(framesPer * cfg.nMels);
    cache.compute(samples, start, got);
    assert.deepEqual(got, extractor.compute(samples).data, `window at sample ${start}`);
  };
  for (const start of [0, 8000, 16000, 16080, 4000, 64000, 72000]) check(start);
  // 0 (all), 8000 (half new), 16000 (half new), 16080 (off the grid: all), 4000 (goes back: all), 64000 (a gap: all),
  // 72000 (half new).
  const fresh = windowSamples / 2 / cfg.hopLength; // frames a window half a window later adds
  assert.equal(cache.computed, 4 * framesPer + 3 * fresh);
});
