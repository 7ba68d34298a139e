import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { readAudio } from '../electron/analysis/media/decode.js';
import { inputDistance, type InputCheckStats } from '../electron/analysis/voice/input-check.js';
import { classifyAudioChunks, VoiceEmotionModel } from '../electron/analysis/voice/voice-model.js';
import { windowSignal } from '../electron/analysis/voice/windows.js';
import { REPO_ROOT, sharedPath, skipWithoutShared } from './helpers/paths.js';
import { chunksOf, noiseBursts, pianoMusic } from './helpers/synthetic-audio.js';

const SHIPPED = path.join(REPO_ROOT, 'native-models/voice-spectrogram-cnn');

test('inputDistance: 0 at the mean, 1/sqrt(d) one standard deviation along a component, residual scaled by its variance', () => {
  const d = 4;
  const stats: InputCheckStats = {
    feature: 'embedding-v1',
    output: 'embedding',
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
      const windows = windowSignal(audio, model.frontEnd).filter((w) => w.voiced);
      for (const s of await model.score(windows)) speech.push(s.inputDistance!);
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
