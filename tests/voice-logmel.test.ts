import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAudio } from '../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { TRAINING_FRONT_END, framesPerWindow } from '../electron/analysis/voice/front-end.js';
import { LogMelExtractor, melCenterFrequencies } from '../electron/analysis/voice/logmel.js';
import { sharedPath, skipWithoutShared } from './helpers/paths.js';

const fe = TRAINING_FRONT_END;

function tone(hz: number, seconds: number, amplitude = 0.3): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * fe.sampleRate) }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / fe.sampleRate));
}

test('real FFT power spectrum matches a direct DFT', () => {
  const lm = new LogMelExtractor(fe);
  let seed = 3;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
  const x = Float32Array.from({ length: fe.nFft }, rand);
  const power = lm.powerSpectrum(x, 0);
  for (const k of [0, 1, 17, 100, 200, fe.nFft / 2]) {
    let re = 0,
      im = 0;
    for (let n = 0; n < fe.nFft; n++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / fe.nFft);
      re += x[n] * w * Math.cos((2 * Math.PI * k * n) / fe.nFft);
      im -= x[n] * w * Math.sin((2 * Math.PI * k * n) / fe.nFft);
    }
    const direct = re * re + im * im;
    assert.ok(Math.abs(power[k] - direct) <= 1e-9 * Math.max(1, direct), `bin ${k}: ${power[k]} vs ${direct}`);
  }
});

test('pure tones peak in the mel band whose centre is nearest their frequency', () => {
  const lm = new LogMelExtractor(fe);
  const centres = melCenterFrequencies(fe);
  for (const hz of [220, 1000, 3150, 6000]) {
    const { data, frames, nMels } = lm.compute(tone(hz, 0.5));
    const mid = Math.floor(frames / 2);
    let best = 0;
    for (let m = 1; m < nMels; m++) if (data[m * frames + mid] > data[best * frames + mid]) best = m;
    const nearest = centres.reduce((bi, c, i) => (Math.abs(c - hz) < Math.abs(centres[bi] - hz) ? i : bi), 0);
    assert.ok(Math.abs(best - nearest) <= 1, `${hz} Hz peaked in band ${best} (${centres[best].toFixed(0)} Hz), nearest is ${nearest}`);
  }
});

test('frame count and silence floor', () => {
  const lm = new LogMelExtractor(fe);
  const n = Math.round(fe.windowSeconds * fe.sampleRate);
  assert.equal(lm.frameCount(n), framesPerWindow(fe));
  assert.equal(lm.frameCount(fe.nFft - 1), 0);
  const { data } = lm.compute(new Float32Array(n));
  for (const v of data) assert.equal(v, Math.fround(Math.log(fe.logFloor)));
});

test(
  'log-mel of real RAVDESS speech: shape, finite values, speech louder than the leading silence',
  { skip: skipWithoutShared('ravdess-speech') },
  async () => {
    const audio = await readAudio(sharedPath('ravdess-speech/Actor_02/03-01-05-02-01-01-02.flac'), resolveFfmpeg());
    const lm = new LogMelExtractor(fe);
    const { data, frames, nMels } = lm.compute(audio);
    assert.equal(nMels, fe.nMels);
    assert.equal(frames, 1 + Math.floor((audio.length - fe.nFft) / fe.hopLength));
    assert.equal(data.length, nMels * frames);
    assert.ok(data.every(Number.isFinite));
    const frameEnergy = (t: number) => {
      let s = 0;
      for (let m = 0; m < nMels; m++) s += data[m * frames + t];
      return s / nMels;
    };
    const first = frameEnergy(5); // RAVDESS takes start with ~0.5-1 s of room silence
    const loudest = Math.max(...Array.from({ length: frames }, (_, t) => frameEnergy(t)));
    assert.ok(loudest > first + 5, `loudest frame ${loudest.toFixed(2)} vs first ${first.toFixed(2)} (natural-log units)`);
  },
);
