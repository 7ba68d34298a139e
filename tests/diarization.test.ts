import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { readAudio, readAudioFiles } from '../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { CancelledError, MediaInputError } from '../electron/analysis/media/errors.js';
import { diarizationError } from '../electron/analysis/diarization/der.js';
import { Diarizer, type DiarizationResult } from '../electron/analysis/diarization/diarize.js';
import { buildConversation, trimSilence, writeWav, type Conversation } from '../electron/analysis/diarization/mixture.js';
import { VoiceActivityModel } from '../electron/analysis/diarization/voice-activity.js';
import { speechSegments } from '../electron/analysis/diarization/speech-segments.js';
import { SAMPLE } from './helpers/media-fixtures.js';
import { REPO_ROOT, sharedPath, skipWithoutShared, tempDir } from './helpers/paths.js';

const ff = resolveFfmpeg();
const TINY_SPEAKER_MODEL = path.join(REPO_ROOT, 'tests/fixtures/models/speaker-embed-tiny');
const dir = tempDir('diarization-');
const file = (name: string) => path.join(dir, name);
const ffmpeg = (...args: string[]) => execFileSync(ff.ffmpeg, ['-nostdin', '-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });

let diarizer: Diarizer;
let vad: VoiceActivityModel;
/** The bundled sample's five utterances (RAVDESS actor 12) and the same five pitched and formant-shifted down by
 *  a factor 0.78 with ffmpeg (a lower, different-sounding voice). */
let sampleUtterances: Float32Array[];
let lowerUtterances: Float32Array[];
let sampleCall: Conversation;

function utterancesOf(x: Float32Array): Float32Array[] {
  // The sample is five RAVDESS files laid end to end, one every ~3.9 s.
  const block = Math.round(3.9 * 16000);
  return Array.from({ length: 5 }, (_, k) => trimSilence(x.subarray(k * block, Math.min(x.length, (k + 1) * block)))).filter((u) => u.length > 8000);
}

function confusionOf(conv: Conversation, r: DiarizationResult) {
  return diarizationError(conv.reference, r.speech);
}

before(async () => {
  [diarizer, vad] = await Promise.all([Diarizer.load(), VoiceActivityModel.load()]);
  ffmpeg('-i', SAMPLE, '-vn', '-ac', '1', '-ar', '16000', file('sample.wav'));
  ffmpeg('-i', file('sample.wav'), '-af', 'asetrate=16000*0.78,aresample=16000,atempo=1.282', file('lower.wav'));
  sampleUtterances = utterancesOf(await readAudio(file('sample.wav'), ff));
  lowerUtterances = utterancesOf(await readAudio(file('lower.wav'), ff));
  sampleCall = buildConversation(
    new Map([
      ['client', sampleUtterances],
      ['clinician', lowerUtterances],
    ]),
    { seed: 4, turns: 8 },
  );
  writeWav(file('sample-call.wav'), [sampleCall.samples], 16000);
});

after(async () => {
  await Promise.all([diarizer?.release(), vad?.release()]);
});

test('Silero VAD: speech in real speech, none in silence, noise or music; the same whatever the chunking', async () => {
  const probsOf = async (x: Float32Array, chunk: number) => {
    const s = vad.stream(1);
    const out: number[] = [];
    for (let i = 0; i < x.length; i += chunk) out.push(...(await s.push([x.subarray(i, i + chunk)]))[0]);
    out.push(...(await s.flush())[0]);
    return out;
  };
  const speech = await readAudio(file('sample.wav'), ff);
  const whole = await probsOf(speech, speech.length);
  const chunked = await probsOf(speech, 1000);
  assert.equal(chunked.length, whole.length);
  for (let i = 0; i < whole.length; i++) assert.ok(Math.abs(whole[i] - chunked[i]) < 1e-4);
  const segs = speechSegments(whole, vad.frameSeconds);
  // Five utterances, each about 1.8 s (see data/samples/SOURCE.md).
  assert.equal(segs.length, 5);
  const speechS = segs.reduce((a, s) => a + s.endS - s.startS, 0);
  assert.ok(speechS > 7 && speechS < 12, `speech ${speechS} s`);

  ffmpeg('-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '5', file('silence.wav'));
  ffmpeg('-f', 'lavfi', '-i', 'anoisesrc=color=pink:amplitude=0.1:duration=6', '-ar', '16000', '-ac', '1', file('noise.wav'));
  ffmpeg(
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=6',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=660:duration=6',
    '-filter_complex',
    '[0][1]amix=inputs=2,tremolo=f=4:d=0.8',
    '-ar',
    '16000',
    '-ac',
    '1',
    file('music.wav'),
  );
  for (const name of ['silence.wav', 'noise.wav', 'music.wav']) {
    const p = await probsOf(await readAudio(file(name), ff), 16000);
    assert.ok(Math.max(...p) < 0.35, `${name}: max speech probability ${Math.max(...p)}`);
  }
});

test('Silero VAD: channels run as one batch give each channel its own result', async () => {
  const speech = await readAudio(file('sample.wav'), ff);
  const quiet = speech.map((v) => v * 0.2);
  const batch = vad.stream(2);
  const both = [...(await batch.push([speech, quiet])), ...(await batch.flush())];
  const single = vad.stream(1);
  const alone = [...(await single.push([quiet]))[0], ...(await single.flush())[0]];
  const second = [...both[1], ...both[3]];
  assert.equal(second.length, alone.length);
  for (let i = 0; i < alone.length; i++) assert.ok(Math.abs(second[i] - alone[i]) < 1e-4);
});

test('one speaker (the bundled sample) comes out as one speaker', async () => {
  const r = await diarizer.diarizeFile(SAMPLE, ff);
  assert.equal(r.speakers.length, 1, JSON.stringify(r.speakers.map((s) => s.speechS)));
  assert.equal(r.channelsUsed, false);
  assert.equal(r.speech.length, 5);
  assert.ok(r.speakers[0].speechS > 7);
  assert.ok(r.speakers[0].embedding.length >= 16);
  const norm = Math.hypot(...r.speakers[0].embedding);
  assert.ok(Math.abs(norm - 1) < 1e-3);
});

test('two voices taking turns in one mixed track (the sample and a lowered copy): two speakers, ≤ 20 % confusion', async () => {
  const r = await diarizer.diarizeFile(file('sample-call.wav'), ff);
  const der = confusionOf(sampleCall, r);
  assert.equal(r.speakers.length, 2, `found ${r.speakers.length} speakers`);
  assert.ok(der.confusion <= 0.2, `confusion ${der.confusion}`);
  assert.ok(der.missed < 0.15 && der.falseAlarm < 0.15, JSON.stringify(der));
  // Asked for two speakers, the same call gives two as well.
  const given = await diarizer.diarizeFile(file('sample-call.wav'), ff, { speakers: 2 });
  assert.equal(given.speakers.length, 2);
  assert.ok(confusionOf(sampleCall, given).confusion <= 0.2);
});

test('stereo call with one party per channel: speakers come from the channels, the echo is not speech', async () => {
  const a = sampleCall.tracks.get('client')!;
  const b = sampleCall.tracks.get('clinician')!;
  // Each party on its own channel, with the other party's voice leaking in 30 dB down (a typical call recorder).
  writeWav(file('stereo-call.wav'), [a.map((v, i) => v + 0.03 * b[i]), b.map((v, i) => v + 0.03 * a[i])], 16000);
  const r = await diarizer.diarizeFile(file('stereo-call.wav'), ff);
  assert.equal(r.channels, 2);
  assert.equal(r.layout, 'one-party-per-channel');
  assert.equal(r.channelsUsed, true);
  assert.equal(r.speakers.length, 2);
  assert.deepEqual(new Set(r.speakers.map((s) => s.channel)), new Set([0, 1]));
  const der = diarizationError(sampleCall.reference, r.speech, { collarS: 0.25 });
  assert.ok(der.confusion < 0.05 && der.der < 0.15, JSON.stringify(der));
  // The speaker on the left channel is the client.
  const left = r.speakers.find((s) => s.channel === 0)!.id;
  const mapped = diarizationError(sampleCall.reference, r.speech).mapping;
  assert.equal(mapped[String(left)], 'client');
  // Ignoring the channels, the same file is diarized by voice.
  const byVoice = await diarizer.diarizeFile(file('stereo-call.wav'), ff, { ignoreChannels: true });
  assert.equal(byVoice.channelsUsed, false);
});

test('stereo file with one channel silent: a warning, and the other channel diarized by voice', async () => {
  writeWav(file('one-silent.wav'), [sampleCall.samples, new Float32Array(sampleCall.samples.length)], 16000);
  const r = await diarizer.diarizeFile(file('one-silent.wav'), ff);
  assert.equal(r.layout, 'one-channel-silent');
  assert.equal(r.channelsUsed, false);
  assert.ok(
    r.warnings.some((w) => /right audio channel is silent/.test(w)),
    r.warnings.join('; '),
  );
  assert.equal(r.speakers.length, 2);
  assert.ok(confusionOf(sampleCall, r).confusion <= 0.2);
  // The same sound on both channels is not mistaken for one party per channel.
  writeWav(file('dual-mono.wav'), [sampleCall.samples, sampleCall.samples], 16000);
  const dual = await diarizer.diarizeFile(file('dual-mono.wav'), ff);
  assert.equal(dual.layout, 'same-sound');
  assert.equal(dual.channelsUsed, false);
});

test('silence, noise and music: no speech, no speaker, a warning, no crash', async () => {
  for (const name of ['silence.wav', 'noise.wav', 'music.wav']) {
    const r = await diarizer.diarizeFile(file(name), ff);
    assert.deepEqual(r.speech, [], name);
    assert.deepEqual(r.speakers, [], name);
    assert.ok(r.warnings.includes('no speech was found'), name);
  }
});

test('bad input: a file without audio, a bad speaker count, cancellation', async () => {
  ffmpeg('-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=5', '-t', '1', '-pix_fmt', 'yuv420p', file('video-only.mp4'));
  await assert.rejects(
    diarizer.diarizeFile(file('video-only.mp4'), ff),
    (e: Error) => e instanceof MediaInputError && /video-only\.mp4: has no audio/.test(e.message),
  );
  await assert.rejects(diarizer.diarizeFile(file('sample-call.wav'), ff, { speakers: 0 }), /speakers must be a whole number/);
  const controller = new AbortController();
  await assert.rejects(
    diarizer.diarizeFile(file('sample-call.wav'), ff, { signal: controller.signal, onProgress: () => controller.abort() }),
    (e: Error) => e instanceof CancelledError,
  );
});

test('the tiny random-weight speaker model runs the whole pipeline (structure only)', async () => {
  const tiny = await Diarizer.load({ speakerModel: TINY_SPEAKER_MODEL });
  try {
    assert.equal(tiny.embedder.manifest.tinyRandomWeights, true);
    const r = await tiny.diarizeFile(file('sample-call.wav'), ff, { speakers: 2 });
    assert.equal(r.speakers.length, 2);
    for (let i = 1; i < r.speech.length; i++) assert.ok(r.speech[i].startS >= r.speech[i - 1].startS);
    for (const s of r.speakers) assert.equal(s.embedding.length, 16);
  } finally {
    await tiny.release();
  }
});

/** Held-out RAVDESS actors (splits.json "test"), utterances of one emotion each. */
function ravdess(actor: string, emotion: string): Float32Array[] {
  const code = { neutral: '01', happy: '03', sad: '04', angry: '05', fearful: '06' }[emotion]!;
  const names: string[] = [];
  for (const intensity of ['01', '02'])
    for (const statement of ['01', '02'])
      for (const rep of ['01', '02'])
        names.push(sharedPath('ravdess-speech', `Actor_${actor}`, `03-01-${code}-${intensity}-${statement}-${rep}-${actor}.flac`));
  return readAudioFiles(names, ff).map((x) => trimSilence(x));
}

test(
  'two held-out RAVDESS actors taking turns, one angry and one sad, `speakers: 2`: ≤ 20 % confusion',
  { skip: skipWithoutShared('ravdess-speech') },
  async () => {
    // A man and a woman (17, 18), and two men (15, 17). The speaker count is given, as `--speakers 2` does: estimated,
    // acted anger and sadness split one actor into two clusters in about half of such mixtures (see the model card).
    for (const [a, b] of [
      ['17', '18'],
      ['15', '17'],
    ]) {
      const conv = buildConversation(
        new Map([
          [`actor ${a} angry`, ravdess(a, 'angry')],
          [`actor ${b} sad`, ravdess(b, 'sad')],
        ]),
        { seed: Number(a + b), turns: 10 },
      );
      writeWav(file(`ravdess-${a}-${b}.wav`), [conv.samples], 16000);
      const r = await diarizer.diarizeFile(file(`ravdess-${a}-${b}.wav`), ff, { speakers: 2 });
      const der = confusionOf(conv, r);
      assert.equal(r.speakers.length, 2, `actors ${a}/${b}: found ${r.speakers.length}`);
      assert.ok(der.confusion <= 0.2, `actors ${a}/${b}: confusion ${der.confusion}`);
    }
  },
);
