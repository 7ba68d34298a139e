import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import '../electron/privacy/no-telemetry.js';
import { diarizationError } from '../electron/analysis/diarization/der.js';
import { Diarizer } from '../electron/analysis/diarization/diarize.js';
import { buildConversation, trimSilence, writeWav } from '../electron/analysis/diarization/mixture.js';
import { readAudio } from '../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { parseTranscript } from '../electron/analysis/transcript/read-transcript.js';
import {
  mapSpeakersToParticipants,
  overlapSeconds,
  unionOf,
  type MappingCue,
  type MappingTurn,
} from '../electron/analysis/transcript/speaker-mapping.js';
import { SAMPLE } from './helpers/media-fixtures.js';
import { tempDir } from './helpers/paths.js';
import { writeVtt, type TestCue } from './helpers/transcripts.js';

const cue = (startS: number, endS: number, speaker: string | null): MappingCue => ({ startS, endS, speaker });
const turn = (startS: number, endS: number, participant: number): MappingTurn => ({ startS, endS, participant });

test('spans: union and overlap', () => {
  assert.deepEqual(
    unionOf([
      [3, 5],
      [1, 2],
      [1.5, 2.5],
      [5, 6],
      [7, 7],
    ]),
    [
      [1, 2.5],
      [3, 6],
    ],
  );
  assert.equal(
    overlapSeconds(
      unionOf([[0, 10]]),
      unionOf([
        [2, 3],
        [9, 12],
      ]),
    ),
    2,
  );
  assert.equal(overlapSeconds([], [[0, 1]]), 0);
});

test('two speakers, two participants: each maps to the one whose turns cover their cues, with the share as score', () => {
  const cues = [cue(0, 4, 'Ann'), cue(4.5, 9, 'Ben'), cue(9.2, 12, 'Ann'), cue(12.5, 18, 'Ben')];
  // Diarization is never exact: turns start a little late, end a little early, and 1 s of Ben's is given to participant 1.
  const turns = [turn(0.2, 3.9, 1), turn(4.7, 8, 2), turn(8, 9, 1), turn(9.3, 11.8, 1), turn(12.6, 17.7, 2)];
  const m = mapSpeakersToParticipants(cues, turns);
  const ann = m.speakers.find((s) => s.speaker === 'Ann')!;
  const ben = m.speakers.find((s) => s.speaker === 'Ben')!;
  assert.equal(ann.participant, 1);
  assert.equal(ben.participant, 2);
  assert.equal(ann.speechS, 6.8);
  assert.ok(ann.score > 0.9 && ann.score <= 1, String(ann.score));
  assert.ok(ben.score > 0.8 && ben.score < 0.95, String(ben.score));
  assert.deepEqual(
    ben.overlaps.map((o) => o.participant),
    [2, 1],
    'both participants listed, best first',
  );
  assert.equal(ann.why, null);
});

test('weak evidence leaves a speaker unmapped, saying why', () => {
  const turns = [turn(0, 10, 1), turn(10, 20, 2)];
  const cases: Array<[MappingCue[], RegExp]> = [
    [[cue(3, 5, 'Short')], /only 2\.0 s of speech \(at least 3 s needed\)/],
    [[cue(8, 12, 'Straddles')], /participants 1 and 2 overlap it about equally \(50% and 50%\)/],
    [[cue(25, 30, 'Nobody')], /no participant speaks while this speaker talks/],
    [[cue(9, 16, 'Mostly2'), cue(30, 40, 'Mostly2')], /participant 2's turns cover only 35% of it \(at least 50% needed\)/],
  ];
  for (const [cues, why] of cases) {
    const m = mapSpeakersToParticipants(cues, turns).speakers[0];
    assert.equal(m.participant, null, cues[0].speaker!);
    assert.match(m.why!, why);
  }
  const none = mapSpeakersToParticipants([cue(0, 9, 'Ann')], []).speakers[0];
  assert.deepEqual([none.participant, none.why], [null, 'no diarized speech turns in this session']);
  // The rules are the caller's to set.
  assert.equal(mapSpeakersToParticipants([cue(3, 5, 'Short')], turns, { minSpeechS: 1 }).speakers[0].participant, 1);
});

test('one person under two names (joined from two devices) maps twice to one participant; unnamed cues map one by one', () => {
  const turns = [turn(0, 6, 1), turn(6, 12, 2), turn(12, 20, 1)];
  const cues = [
    cue(0, 5.5, 'Ann (laptop)'),
    cue(6.2, 11.5, 'Ben'),
    cue(12.2, 19, 'Ann (phone)'),
    cue(19.2, 19.8, null),
    cue(7, 8, null),
    cue(20.5, 22, null),
  ];
  const m = mapSpeakersToParticipants(cues, turns);
  assert.deepEqual(
    m.speakers.map((s) => [s.speaker, s.participant]),
    [
      ['Ann (laptop)', 1],
      ['Ben', 2],
      ['Ann (phone)', 1],
    ],
  );
  assert.deepEqual(m.unnamedCues, [
    { cue: 3, participant: 1, score: 1 },
    { cue: 4, participant: 2, score: 1 },
    { cue: 5, participant: null, score: 0 },
  ]);
});

// ---- On a real recording: two voices taking turns, diarized by the shipped models, the transcript a call tool's VTT. ----

const ff = resolveFfmpeg();
let diarizer: Diarizer;
before(async () => {
  diarizer = await Diarizer.load();
});
after(async () => {
  await diarizer?.release();
});

test("a call tool's VTT on a real two-voice recording: both names map to the participants diarization found for them", async () => {
  const dir = tempDir('mapping-');
  const run = (...args: string[]) => execFileSync(ff.ffmpeg, ['-nostdin', '-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  run('-i', SAMPLE, '-vn', '-ac', '1', '-ar', '16000', path.join(dir, 'a.wav'));
  run('-i', path.join(dir, 'a.wav'), '-af', 'asetrate=16000*0.78,aresample=16000,atempo=1.282', path.join(dir, 'b.wav'));
  // The sample is five utterances one every ~3.9 s; the lowered copy is a second, different-sounding voice.
  const split = async (f: string) => {
    const x = await readAudio(path.join(dir, f), ff);
    const block = Math.round(3.9 * 16000);
    return Array.from({ length: 5 }, (_, k) => trimSilence(x.subarray(k * block, Math.min(x.length, (k + 1) * block)))).filter(
      (u) => u.length > 8000,
    );
  };
  const call = buildConversation(
    new Map([
      ['Sam Taylor', await split('a.wav')],
      ['Dr. Amira Haddad', await split('b.wav')],
    ]),
    { seed: 11, turns: 8 },
  );
  writeWav(path.join(dir, 'call.wav'), [call.samples], 16000);
  // The call tool's transcript: a cue per utterance, times rounded to 10 ms and padded a little as captioners do.
  const cues: TestCue[] = call.reference.map((r) => [
    Math.max(0, Math.round((r.startS - 0.15) * 100) / 100),
    Math.round((r.endS + 0.2) * 100) / 100,
    String(r.speaker),
    'words',
  ]);
  const vtt = writeVtt(dir, 'call.vtt', cues);
  const transcript = parseTranscript((await import('node:fs')).readFileSync(vtt), vtt, { durationS: call.samples.length / 16000 });

  const d = await diarizer.diarizeFile(path.join(dir, 'call.wav'), ff, { speakers: 2 });
  // Participants are numbered from 1 (speaker 0 = participant 1), as the per-person analysis stores them.
  const turns = d.speech.map((s) => ({ startS: s.startS, endS: s.endS, participant: s.speaker + 1 }));
  const truth = diarizationError(call.reference, d.speech).mapping; // diarized speaker → reference name
  assert.ok(diarizationError(call.reference, d.speech).confusion < 0.2, 'diarization as measured in its own tests');
  const m = mapSpeakersToParticipants(transcript.cues, turns);
  for (const s of m.speakers) {
    const expected = Number(Object.entries(truth).find(([, name]) => name === s.speaker)![0]) + 1;
    assert.equal(s.participant, expected, `${s.speaker}: ${JSON.stringify(s)}`);
    assert.ok(s.score > 0.6, `${s.speaker} score ${s.score}`);
  }
});
