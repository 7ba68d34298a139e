import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { readAudio } from '../electron/analysis/media/decode.js';
import { inputDistance, windowSummary, type InputCheckStats } from '../electron/analysis/voice/input-check.js';
import { LogMelExtractor } from '../electron/analysis/voice/logmel.js';
import { classifyAudioChunks, VoiceEmotionModel } from '../electron/analysis/voice/voice-model.js';
import { windowSignal } from '../electron/analysis/voice/windows.js';
import { TRAINING_FRONT_END as fe, framesPerWindow } from '../electron/analysis/voice/front-end.js';
import { REPO_ROOT, sharedPath, skipWithoutShared } from './helpers/paths.js';
import { chunksOf, noiseBursts, pianoMusic } from './helpers/synthetic-audio.js';

const SHIPPED = path.join(REPO_ROOT, 'native-models/voice-spectrogram-cnn');
const fpw = framesPerWindow(fe);
const lm = new LogMelExtractor(fe);
const summaryOf = (samples: Float32Array) => windowSummary(lm.compute(samples).data, fe.nMels, fpw, fe.logFloor);

test('windowSummary: level-free (a gain moves neither shape nor dynamics) and blind to zero padding', { skip: skipWithoutShared('ravdess-speech') }, async () => {
  const audio = await readAudio(sharedPath('ravdess-speech/Actor_02/03-01-05-02-01-01-02.flac'), resolveFfmpeg());
  const win = windowSignal(audio, fe)[0];
  const a = summaryOf(win.samples);
  const louder = summaryOf(win.samples.map((v) => v * 4));
  assert.equal(a.length, 2 * fe.nMels);
  // exact but for the log floor (1e-6), which a gain of 4 moves relative to the quietest bands
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - louder[i]) < 0.05, `value ${i}: ${a[i]} vs ${louder[i]}`);
  // the shape half is centred (mean over bands 0); dynamics are standard deviations (≥ 0)
  assert.ok(Math.abs(a.subarray(0, fe.nMels).reduce((s, v) => s + v, 0)) < 1e-3);
  assert.ok(a.subarray(fe.nMels).every((v) => v >= 0));
  // a 1.2 s utterance zero-padded to a window: the summary is that of the frames touching real samples only
  const n = 1.2 * fe.sampleRate;
  const padded = new Float32Array(win.samples.length);
  padded.set(win.samples.subarray(0, n));
  const full = lm.compute(padded);
  const k = Math.ceil(n / fe.hopLength);
  const touching = new Float32Array(fe.nMels * k);
  for (let m = 0; m < fe.nMels; m++) touching.set(full.data.subarray(m * full.frames, m * full.frames + k), m * k);
  assert.deepEqual(windowSummary(full.data, fe.nMels, full.frames, fe.logFloor), windowSummary(touching, fe.nMels, k, fe.logFloor));
});

test('inputDistance: 0 at the mean, 1/sqrt(d) one standard deviation along a component, residual scaled by its variance', () => {
  const d = 4;
  const stats: InputCheckStats = {
    feature: 'logmel-shape-dynamics-v1',
    mean: [1, 2, 3, 4],
    components: [[1, 0, 0, 0]],
    variances: [4],
    residualVariance: 0.25,
    threshold: 2,
  };
  assert.equal(inputDistance(Float32Array.from(stats.mean), stats), 0);
  assert.ok(Math.abs(inputDistance(Float32Array.from([3, 2, 3, 4]), stats) - Math.sqrt(1 / d)) < 1e-9); // 2 = one sd along component 0
  assert.ok(Math.abs(inputDistance(Float32Array.from([1, 2.5, 3, 4]), stats) - Math.sqrt(1 / d)) < 1e-9); // 0.5 = one sd of the residual
  assert.throws(() => inputDistance(new Float32Array(3), stats), /3 values/);
});

test('shipped model: speech of the training corpora passes the input check, synthetic music and noise bursts do not', { skip: skipWithoutShared('emovo') }, async () => {
  const model = await VoiceEmotionModel.load(SHIPPED, { threads: 1 });
  try {
    const check = model.inputCheck;
    assert.ok(check, 'the shipped manifest has input-check statistics');
    const ff = resolveFfmpeg();
    const speech: number[] = [];
    for (const f of ['emovo/f2/rab-f2-b1.flac', 'emovo/m3/tri-m3-l2.flac', 'ravdess-speech/Actor_11/03-01-03-02-02-01-11.flac', 'turev-db/6783/6783_mt_sinif.flac']) {
      const audio = await readAudio(sharedPath(f), ff);
      for (const w of windowSignal(audio, fe)) if (w.voiced) speech.push(inputDistance(summaryOf(w.samples), check));
    }
    assert.ok(speech.length >= 4);
    assert.ok(speech.filter((v) => v > check.threshold).length <= 1, `speech windows flagged: ${speech.map((v) => v.toFixed(2))}`);

    const m = await classifyAudioChunks(chunksOf(pianoMusic(12)), model);
    const voiced = m.windows.filter((w) => w.voiced);
    assert.ok(voiced.length >= 5, 'music passes the energy gate');
    assert.ok(voiced.every((w) => w.inputDistance !== null && w.inputDistance > check.threshold), `music distances ${voiced.map((w) => w.inputDistance?.toFixed(2))}`);
    const b = await classifyAudioChunks(chunksOf(noiseBursts(12)), model);
    const bv = b.windows.filter((w) => w.voiced);
    assert.ok(bv.length >= 5 && bv.every((w) => w.inputDistance! > check.threshold), `noise-burst distances ${bv.map((w) => w.inputDistance?.toFixed(2))}`);
  } finally {
    await model.release();
  }
});
