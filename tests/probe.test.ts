import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { MediaInputError } from '../electron/analysis/media/errors.js';
import { probeMedia } from '../electron/analysis/media/probe.js';
import { badInputFixtures, SAMPLE, type BadInputFixtures } from './helpers/media-fixtures.js';

const ff = resolveFfmpeg();
let fx: BadInputFixtures;
before(() => {
  fx = badInputFixtures();
});

async function rejectsNaming(file: string, problem: RegExp) {
  await assert.rejects(probeMedia(file, ff), (err: unknown) => {
    assert.ok(err instanceof MediaInputError, `expected MediaInputError, got ${String(err)}`);
    assert.equal(err.file, file);
    assert.ok(err.message.startsWith(file), 'the message starts with the file name');
    assert.match(err.problem, problem);
    return true;
  });
}

test('the bundled sample: video and audio streams, real duration', async () => {
  const info = await probeMedia(SAMPLE, ff);
  assert.equal(info.video?.codec, 'h264');
  assert.equal(info.video?.width, 640);
  assert.equal(info.video?.height, 360);
  assert.ok(info.audio);
  assert.ok(Math.abs(info.durationS - 19.69) < 0.1, `duration ${info.durationS}`);
});

test('bad inputs are rejected with the file named and the problem said', async () => {
  await rejectsNaming(fx.missing, /no such file/);
  await rejectsNaming(fx.directory, /is a directory/);
  await rejectsNaming(fx.empty, /empty \(0 bytes\)/);
  await rejectsNaming(fx.textAsMp4, /not a readable audio or video file/);
  await rejectsNaming(fx.truncatedNoIndex, /not a readable audio or video file/);
  await rejectsNaming(fx.stillImage, /still image/);
});

test('audio-only files probe as audio without video', async () => {
  for (const file of [fx.wav, fx.mp3, fx.m4a, fx.flac]) {
    const info = await probeMedia(file, ff);
    assert.equal(info.video, null, file);
    assert.ok(info.audio, file);
    assert.ok(info.durationS > 19 && info.durationS < 20.5, `${file}: ${info.durationS}`);
  }
});

test('video without audio, and a path with spaces and non-ASCII characters', async () => {
  const noAudio = await probeMedia(fx.videoNoAudio, ff);
  assert.ok(noAudio.video);
  assert.equal(noAudio.audio, null);
  const odd = await probeMedia(fx.oddPath, ff);
  assert.ok(odd.video && odd.audio);
});
