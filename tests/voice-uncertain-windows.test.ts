import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { AnalysisEngine } from '../electron/analysis/engine.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { AUDIO_SAMPLE_RATE, readAudio, streamAudio } from '../electron/analysis/media/decode.js';
import { runVoiceTrack } from '../electron/analysis/voice-track.js';
import { sessionDetail } from '../electron/api/session-detail.js';
import { modelSpans } from '../electron/store/annotations-repo.js';
import { openDatabase } from '../electron/store/db.js';
import { getWindows, saveAnalysis } from '../electron/store/sessions-repo.js';
import { sharedPath, skipWithoutShared, tempDir } from './helpers/paths.js';
import { PROBES, typing } from '../native-models/voice-spectrogram-cnn/train/probe-signals.js';

const SR = 16000;

/** A WAV of three RAVDESS takes of one actor followed by `after` (16 kHz mono), and when the speech ends (s). */
async function speechThen(after: Float32Array[], prefix: string): Promise<{ file: string; speechEndS: number }> {
  const ff = resolveFfmpeg();
  const speech = await Promise.all(
    ['Actor_14/03-01-05-02-01-01-14.flac', 'Actor_14/03-01-05-02-02-01-14.flac', 'Actor_14/03-01-05-02-01-02-14.flac'].map((f) =>
      readAudio(sharedPath('ravdess-speech', f), ff),
    ),
  );
  const parts = [...speech, ...after];
  const audio = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) (audio.set(p, at), (at += p.length));
  const speechEndS = speech.reduce((s, p) => s + p.length, 0) / SR;
  const dir = tempDir(prefix);
  const raw = path.join(dir, 'call.f32');
  writeFileSync(raw, Buffer.from(audio.buffer));
  const file = path.join(dir, 'call.wav');
  const enc = spawnSync(ff.ffmpeg, ['-v', 'error', '-f', 'f32le', '-ar', String(SR), '-ac', '1', '-i', raw, '-c:a', 'pcm_s16le', file]);
  assert.equal(enc.status, 0, String(enc.stderr));
  return { file, speechEndS };
}

test(
  'a call with keyboard typing: windows unlike the training audio are uncertain, stored with their distance, and left out of vote and fusion',
  { skip: skipWithoutShared('ravdess-speech'), timeout: 300_000 },
  async () => {
    const ff = resolveFfmpeg();
    const { file, speechEndS } = await speechThen([typing().subarray(0, 14 * SR)], 'voice-uncertain-');

    const engine = await AnalysisEngine.create({ threads: 1 });
    try {
      const threshold = 1; // inputDistance is in units of the model's input-check thresholds
      // The whole mix, window by window: typing is far from the training audio and gets no label; speech is near.
      const mix = await runVoiceTrack(streamAudio(file, ff, { chunkSamples: AUDIO_SAMPLE_RATE }), engine.voiceModel, {});
      const typingWindows = mix.filter((w) => w.voiced && w.startS >= speechEndS);
      const speechWindows = mix.filter((w) => w.voiced && w.endS <= speechEndS);
      assert.ok(typingWindows.length >= 8 && speechWindows.length >= 3, `${typingWindows.length} typing / ${speechWindows.length} speech windows`);
      for (const w of typingWindows) {
        assert.ok(w.inputDistance! > threshold, `typing window at ${w.startS} s: distance ${w.inputDistance}`);
        assert.equal(w.label, null, 'unlike the training audio: no label');
        assert.ok(w.probs && w.confidence !== null, 'probabilities kept for review');
      }
      // Speech mostly passes (windows across the hard joins between these takes score near the threshold); every window
      // that is unlike the training audio has no label.
      const familiar = speechWindows.filter((w) => w.inputDistance! <= threshold);
      assert.ok(familiar.length >= speechWindows.length / 2, JSON.stringify(speechWindows.map((w) => w.inputDistance)));
      assert.ok(mix.every((w) => w.inputDistance == null || w.inputDistance <= threshold || w.label === null));

      // Per person: the speaker's windows; whatever of the typing is taken for speech stays uncertain.
      const r = await engine.analyze(file);
      const windows = r.participants.flatMap((p) => p.windows);
      assert.ok(
        windows.some((w) => w.label !== null),
        'the speech is estimated',
      );
      assert.deepEqual(
        windows.filter((w) => w.startS >= speechEndS && w.label !== null),
        [],
        'no window of the typing gets a label',
      );
      const v = r.summary.voice;
      assert.equal(v.inputCheckThreshold, threshold);
      const main = r.participants[0].windows;
      assert.equal(v.windowsUnlikeTraining, main.filter((w) => w.inputDistance != null && w.inputDistance > threshold).length);
      assert.ok(v.windowsUncertain! >= v.windowsUnlikeTraining!);
      // the vote is over the labelled (speech) windows only
      const labelled = main.filter((w) => w.label !== null);
      const shares = Object.values(v.distribution).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(shares - 1) < 1e-9);
      for (const [label, share] of Object.entries(v.distribution))
        assert.ok(Math.abs(share - labelled.filter((w) => w.label === label).length / labelled.length) < 1e-9);
      assert.ok(r.summary.fused.weights.voice < 0.5, `voice fusion weight ${r.summary.fused.weights.voice} is the cross-corpus figure`);

      // stored with the distance; the fused timeline ignores the uncertain windows (audio only: voice alone decides)
      const db = openDatabase(path.join(path.dirname(file), 'affect.sqlite'));
      try {
        const id = saveAnalysis(db, r);
        const stored = getWindows(db, id, r.participants[0].id);
        assert.deepEqual(
          stored.map((w) => w.inputDistance),
          main.map((w) => w.inputDistance ?? null),
        );
        assert.deepEqual(
          stored.map((w) => w.label),
          main.map((w) => w.label),
        );
        const detail = sessionDetail(db, id);
        assert.deepEqual(
          detail.windows.map((w) => w.inputDistance),
          main.map((w) => (w.inputDistance == null ? null : Math.round(w.inputDistance * 1000) / 1000)),
        );
        assert.equal(detail.summary.voice.windowsUnlikeTraining, v.windowsUnlikeTraining);
        const fused = modelSpans(db, id, 'model-fused');
        const typingTime = fused.filter((s) => s.label !== null && s.end > speechEndS + 3); // no speech window covers past speechEndS + 3 s
        assert.equal(typingTime.length, 0, `fused labels over the typing: ${JSON.stringify(typingTime)}`);
      } finally {
        db.close();
      }
    } finally {
      await engine.close();
    }
  },
);

test(
  'a call with piano music and phone tones after the speech: no person gets a voice window over them (the diarizer finds no speech there)',
  { skip: skipWithoutShared('ravdess-speech'), timeout: 300_000 },
  async () => {
    const ff = resolveFfmpeg();
    const { file, speechEndS } = await speechThen(
      [PROBES['music-piano']().subarray(0, 12 * SR), PROBES['phone-tones']().subarray(0, 12 * SR)],
      'voice-music-',
    );
    const engine = await AnalysisEngine.create({ threads: 1 });
    try {
      // The music and the tones pass the energy gate: the whole mix has windows there.
      const mix = await runVoiceTrack(streamAudio(file, ff, { chunkSamples: AUDIO_SAMPLE_RATE }), engine.voiceModel, {});
      assert.ok(mix.filter((w) => w.voiced && w.startS >= speechEndS).length >= 15, 'music and tones are loud enough to be windows');
      const r = await engine.analyze(file);
      const windows = r.participants.flatMap((p) => p.windows);
      assert.ok(
        windows.some((w) => w.label !== null && w.endS <= speechEndS + 1),
        'the speech is estimated',
      );
      assert.deepEqual(
        windows.filter((w) => w.startS >= speechEndS + 1).map((w) => [w.startS, w.label]),
        [],
        'no voice window over the music or the tones',
      );
      assert.ok(
        r.speech.every((t) => t.startS < speechEndS + 1),
        `speech turns: ${JSON.stringify(r.speech)}`,
      );
    } finally {
      await engine.close();
    }
  },
);
