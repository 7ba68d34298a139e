import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairTranscripts, unpairedMessage } from '../renderer/src/components/transcript/pair-files.js';
import { cueAt } from '../renderer/src/components/transcript/cue-at.js';

const cue = (id: number, start: number, end: number) => ({
  id,
  start,
  end,
  speakerId: null,
  speaker: null,
  participant: null,
  text: `c${id}`,
  label: null,
  top: null,
  confidence: null,
  line: null,
});

test('the line being said: start ≤ t < end; none between lines; the latest-starting one when people talk over each other', () => {
  const cues = [cue(1, 0, 2), cue(2, 3, 8), cue(3, 5, 6), cue(4, 9, 10)];
  const at = (t: number) => cueAt(cues, t)?.id ?? null;
  assert.deepEqual([0, 1.99, 2, 2.5, 3, 4.9, 5.5, 6.5, 8, 9.5, 10, 11].map(at), [1, 1, null, null, 2, 2, 3, 2, null, 4, null, null]);
  assert.equal(cueAt([], 1), null);
});

test('files added together: each recording with the transcript of the same name; the rest said to need one', () => {
  const files = ['/a/Talk.MP4', '/b/talk.vtt', '/a/other.wav', '/a/notes.srt', '/a/session 2.mov', '/c/session 2.txt'];
  const r = pairTranscripts(files, (f) => f);
  assert.deepEqual(r.recordings, [
    { recording: '/a/Talk.MP4', transcript: '/b/talk.vtt' },
    { recording: '/a/other.wav', transcript: null },
    { recording: '/a/session 2.mov', transcript: '/c/session 2.txt' },
  ]);
  assert.deepEqual(r.unpaired, ['/a/notes.srt']);
  assert.match(
    unpairedMessage(r.unpaired)!,
    /^notes\.srt: no recording with the same name was added with it; a transcript goes with the recording of the same name/,
  );
  assert.equal(unpairedMessage([]), null);
});
