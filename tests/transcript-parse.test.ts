import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { writeEaf } from '../electron/export/eaf.js';
import { TranscriptError, type Transcript } from '../electron/analysis/transcript/cue.js';
import { findSidecarTranscript, readTranscriptFile } from '../electron/analysis/transcript/read-transcript.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';

const SAMPLES = path.join(REPO_ROOT, 'tests/fixtures/transcripts');
const sample = (name: string, opts = {}) => readTranscriptFile(path.join(SAMPLES, name), opts);
const brief = (t: Transcript) => t.cues.map((c) => [c.startS, c.endS, c.speaker, c.text]);

/** Asserts that reading `file` fails with a TranscriptError naming the file, the line (when given) and the problem. */
function assertRefused(file: string, line: number | null, problem: RegExp, opts = {}) {
  assert.throws(
    () => readTranscriptFile(file, opts),
    (err: unknown) => {
      assert.ok(err instanceof TranscriptError, `expected a TranscriptError, got ${String(err)}`);
      assert.equal(err.file, file);
      assert.equal(err.line, line, err.message);
      assert.match(err.message, problem);
      assert.ok(err.message.startsWith(file), err.message);
      if (line !== null) assert.ok(err.message.includes(`line ${line}`), err.message);
      return true;
    },
  );
}

function write(dir: string, name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

test('Zoom WebVTT: numbered cues with "Name: text" speakers', () => {
  const t = sample('zoom.vtt');
  assert.equal(t.format, 'webvtt');
  assert.equal(t.encoding, 'utf-8');
  assert.deepEqual(t.speakers, ['Dr. Amira Haddad', 'Sam Taylor']);
  assert.equal(t.cues.length, 6);
  assert.deepEqual(brief(t)[0], [1.35, 4.62, 'Dr. Amira Haddad', 'Good morning, Sam. Can you hear me all right?']);
  assert.deepEqual(brief(t)[3], [13.9, 19.45, 'Sam Taylor', "Honestly, pretty rough. I didn't sleep much and work was… a lot."]);
  assert.equal(t.cues[0].line, 4);
  assert.deepEqual(t.warnings, []);
});

test('Teams WebVTT: <v Name> voice spans, entities, multi-line cues, NOTE blocks, cross-talk between speakers', () => {
  const t = sample('teams.vtt');
  assert.deepEqual(t.speakers, ['Amira Haddad', 'Sam Taylor']);
  assert.deepEqual(brief(t), [
    [1.52, 4.21, 'Amira Haddad', 'Good morning. Can you hear me all right?'],
    [4.21, 6.87, 'Amira Haddad', "I'll share the worksheet in a moment."],
    [6.1, 9.34, 'Sam Taylor', 'Yes, loud and clear. I filled it in & brought it.'],
    [9.9, 14.02, 'Sam Taylor', 'I was nervous about the second page though.'],
    [14.6, 17, 'Amira Haddad', "That's okay, we'll go through it together."],
  ]);
});

test('Google Meet transcript text: header skipped, a bare time heading several speaker lines', () => {
  const t = sample('google-meet-transcript.txt');
  assert.equal(t.format, 'timestamped-text');
  assert.deepEqual(t.speakers, ['Amira Haddad', 'Sam Taylor']);
  assert.equal(t.cues.length, 6);
  assert.deepEqual(
    t.cues.map((c) => c.speaker),
    ['Amira Haddad', 'Sam Taylor', 'Amira Haddad', 'Sam Taylor', 'Amira Haddad', 'Sam Taylor'],
  );
  // Three lines share 00:00:00–00:00:20 in proportion to their length, in order.
  assert.equal(t.cues[0].startS, 0);
  assert.ok(t.cues[1].startS > 5 && t.cues[1].startS < t.cues[2].startS && t.cues[2].startS < 20, JSON.stringify(brief(t)));
  assert.equal(t.cues[2].endS, 20);
  assert.equal(t.cues[3].startS, 20);
  assert.ok(
    t.warnings.some((w) => /4 lines before the first timestamp/.test(w)),
    t.warnings.join('; '),
  );
  assert.ok(
    t.warnings.some((w) => /estimated from their length/.test(w)),
    t.warnings.join('; '),
  );
});

test('Otter SRT: CRLF, a cue without a name keeps the previous speaker, markup removed', () => {
  const t = sample('otter.srt');
  assert.equal(t.format, 'srt');
  assert.deepEqual(brief(t), [
    [1.35, 4.62, 'Amira Haddad', 'Good morning, Sam. Can you hear me all right?'],
    [5.11, 7.98, 'Sam Taylor', 'Yes, I can hear you fine.'],
    [8.4, 13.02, 'Sam Taylor', 'Thanks for fitting me in this week, it has been a lot.'],
    [13.5, 16, 'Amira Haddad', 'Of course. Tell me about it.'],
  ]);
  assert.ok(t.warnings.some((w) => /1 cue without a speaker name kept the previous cue's speaker/.test(w)));
});

test('Otter text export: "Name  0:01" headers, text on the following lines, hour-long times', () => {
  const t = sample('otter.txt');
  assert.deepEqual(t.speakers, ['Amira Haddad', 'Sam Taylor', 'Unknown Speaker']);
  assert.deepEqual(
    t.cues.map((c) => [c.startS, c.speaker, c.text]),
    [
      [1, 'Amira Haddad', 'Good morning, Sam. Can you hear me all right?'],
      [5, 'Sam Taylor', 'Yes, I can hear you fine. Thanks for fitting me in. It has been quite a week.'],
      [14, 'Amira Haddad', 'Of course. How has the week been since we last spoke?'],
      [3727, 'Unknown Speaker', 'Sorry, I think I dropped out for a second.'],
    ],
  );
  assert.equal(t.cues[1].endS, 14);
  assert.ok(t.cues[3].endS >= 3727 + 2);
});

test('typed transcripts: [hh:mm:ss] Name: text, (m:ss) and "Name (m:ss):" forms, continuation lines', () => {
  const t = sample('timestamped.txt');
  assert.deepEqual(
    t.cues.map((c) => [c.startS, c.endS, c.speaker, c.text]),
    [
      [1, 6, 'Therapist', 'Good morning. How are you feeling today?'],
      [6, 11, 'Client', 'Okay, I guess. A bit tired.'],
      [11, 19, 'Therapist', 'Tired in what way? The kind of tired that sleep fixes, or another kind?'],
      [19, 21, 'Client', 'The other kind.'],
    ],
  );
  const dir = tempDir();
  const other = write(dir, 'forms.txt', '00:00:02 Anna: one\n(0:05) Ben: two\n0:09 - Anna: three\nBen (0:12): four\nAnna [00:00:15]: five\n');
  assert.deepEqual(
    readTranscriptFile(other).cues.map((c) => [c.startS, c.speaker, c.text]),
    [
      [2, 'Anna', 'one'],
      [5, 'Ben', 'two'],
      [9, 'Anna', 'three'],
      [12, 'Ben', 'four'],
      [15, 'Anna', 'five'],
    ],
  );
});

test('ELAN: one speaker per tier (PARTICIPANT or tier id), label tiers with a vocabulary left out', () => {
  const dir = tempDir();
  const file = write(
    dir,
    'session.eaf',
    writeEaf({
      mediaFile: null,
      tiers: [
        {
          id: 'T1',
          participant: 'Therapist',
          spans: [
            { start: 0.5, end: 2, label: 'How are you?' },
            { start: 5, end: 6.25, label: 'I see.' },
          ],
        },
        { id: 'Client', spans: [{ start: 2.1, end: 4.9, label: 'Not great, to be honest.' }] },
        { id: 'coder-a', vocabulary: { id: 'emotions', labels: ['happy', 'sad'] }, spans: [{ start: 2.1, end: 4.9, label: 'sad' }] },
      ],
    }),
  );
  const t = readTranscriptFile(file);
  assert.equal(t.format, 'eaf');
  assert.deepEqual(brief(t), [
    [0.5, 2, 'Therapist', 'How are you?'],
    [2.1, 4.9, 'Client', 'Not great, to be honest.'],
    [5, 6.25, 'Therapist', 'I see.'],
  ]);
  assert.ok(t.warnings.some((w) => /"coder-a".*left out/.test(w)));
  assert.deepEqual(readTranscriptFile(file, { tiers: ['Client'] }).speakers, ['Client']);
  assert.throws(() => readTranscriptFile(file, { tiers: ['Nobody'] }), /no tier "Nobody" \(tiers: T1, Client, coder-a\)/);
  // Two tiers for one participant that talk over each other: named by tier and time (ELAN has no useful line).
  const twice = write(
    dir,
    'twice.eaf',
    writeEaf({
      mediaFile: null,
      tiers: [
        { id: 'A1', participant: 'Ann', spans: [{ start: 1, end: 5, label: 'one' }] },
        { id: 'A2', participant: 'Ann', spans: [{ start: 2, end: 6, label: 'two' }] },
      ],
    }),
  );
  assertRefused(twice, null, /tier "A2", 0:02\.000: the cue \(0:02\.000–0:06\.000\) overlaps Ann's previous cue \(tier "A1" at 0:01\.000/);
  const broken = readFileSync(file, 'utf8').replace('</TIER>', '</TEIR>');
  assertRefused(
    write(dir, 'broken.eaf', broken),
    broken.split('\n').findIndex((l) => l.includes('</TEIR>')) + 1,
    /not well-formed XML: <\/TEIR> closes <TIER>/,
  );
});

test('encodings: UTF-8 with BOM, UTF-16 LE/BE with and without BOM, Latin-1 are decoded correctly', () => {
  const dir = tempDir();
  const text = 'WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Zoë Müller>Ça va? Très bien — 😊</v>\n';
  const utf16be = (s: string) => {
    const le = Buffer.from(s, 'utf16le');
    for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
    return le;
  };
  const cases: Array<[string, Uint8Array, string]> = [
    ['bom8.vtt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), 'utf-8'],
    ['le-bom.vtt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'utf-16le'],
    ['be-bom.vtt', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)]), 'utf-16be'],
    ['le.vtt', Buffer.from(text, 'utf16le'), 'utf-16le'],
    ['be.vtt', utf16be(text), 'utf-16be'],
  ];
  for (const [name, bytes, encoding] of cases) {
    const t = readTranscriptFile(write(dir, name, bytes));
    assert.equal(t.encoding, encoding, name);
    assert.deepEqual(brief(t), [[1, 3, 'Zoë Müller', 'Ça va? Très bien — 😊']], name);
  }
  // Latin-1 / Windows-1252 (no emoji there): é, ü, the euro sign and curly quotes.
  const latin = Buffer.from([
    ...Buffer.from('[00:00:01] Zo'),
    0xeb,
    ...Buffer.from(': caf'),
    0xe9,
    ...Buffer.from(' costs 5'),
    0x80,
    0x20,
    0x93,
    ...Buffer.from('ok'),
    0x94,
    0x0a,
  ]);
  const t = readTranscriptFile(write(dir, 'latin1.txt', latin));
  assert.equal(t.encoding, 'windows-1252');
  assert.deepEqual(
    t.cues.map((c) => [c.speaker, c.text]),
    [['Zoë', 'café costs 5€ “ok”']],
  );
  assert.match(t.warnings[0], /Windows-1252 \(Latin-1\)/);
});

test('bad input: each case is refused with the file and the line, never a partial result', () => {
  const dir = tempDir();
  const vtt = (body: string) => `WEBVTT\n\n${body}`;
  // Malformed cue timing (line 7 is the second cue's timing line).
  assertRefused(
    write(dir, 'malformed.vtt', vtt('00:00:01.000 --> 00:00:02.000\nfine\n\n00:00:03.000 -> 00:00:04.000\nbroken\n')),
    6,
    /not a cue timing line/,
  );
  assertRefused(
    write(dir, 'badtime.srt', '1\n00:00:01,000 --> 00:00:02,000\nA: hi\n\n2\n00:00:03,000 --> 00:00:61,000\nB: hey\n'),
    6,
    /end time "00:00:61,000" is not a time/,
  );
  assertRefused(write(dir, 'no-header.vtt', '00:00:01.000 --> 00:00:02.000\nhello\n'), 1, /must start with "WEBVTT"/);
  assertRefused(write(dir, 'junk-block.vtt', vtt('00:00:01.000 --> 00:00:02.000\nA: one\n\nthis is not a cue\n')), 6, /neither a cue/);
  // Reversed times.
  assertRefused(
    write(dir, 'reversed.vtt', vtt('00:00:05.000 --> 00:00:02.000\nA: backwards\n')),
    3,
    /ends \(0:02\.000\) before it starts \(0:05\.000\)/,
  );
  // Cues out of order.
  assertRefused(
    write(dir, 'order.srt', '1\n00:00:10,000 --> 00:00:12,000\nA: later\n\n2\n00:00:01,000 --> 00:00:02,000\nB: earlier\n'),
    6,
    /before the cue on line 2.*time order/,
  );
  assertRefused(write(dir, 'order.txt', '[00:01:00] A: one\n[00:00:10] B: two\n'), 2, /goes back before the time on line 1/);
  // The same speaker talking over themself by more than a second.
  assertRefused(
    write(dir, 'overlap.vtt', vtt('00:00:01.000 --> 00:00:06.000\n<v Ann>one</v>\n\n00:00:03.000 --> 00:00:08.000\n<v Ann>two</v>\n')),
    6,
    /overlaps Ann's previous cue \(line 3, 0:01\.000–0:06\.000\) by 3\.0 s/,
  );
  // Past the end of the recording.
  assertRefused(
    write(dir, 'long.vtt', vtt('00:00:01.000 --> 00:00:02.000\nA: hi\n\n00:10:00.000 --> 00:10:02.000\nA: late\n')),
    6,
    /after the end of the recording \(1:00\.000\)/,
    { durationS: 60 },
  );
  // Empty, white space only, binary, no timestamps.
  assertRefused(write(dir, 'empty.vtt', ''), null, /the file is empty/);
  assertRefused(write(dir, 'blank.txt', '  \n\n\t\n'), null, /only white space/);
  assertRefused(write(dir, 'binary.srt', Buffer.from([0x31, 0x0a, 0x00, 0x01, 0x02, 0x00, 0xff, 0x10, 0x00, 0x00])), 2, /NUL bytes/);
  assertRefused(write(dir, 'prose.txt', 'Dear diary,\ntoday was fine.\n'), 1, /no timestamps found/);
  assertRefused(write(dir, 'only-header.vtt', 'WEBVTT\n\nNOTE nothing here\n'), null, /no cues with text/);
});

test('tolerated slips are evened out and reported: small same-speaker overlaps, cues running past the end', () => {
  const dir = tempDir();
  const t = readTranscriptFile(
    write(
      dir,
      'slips.vtt',
      'WEBVTT\n\n00:00:01.000 --> 00:00:03.400\nA: one\n\n00:00:03.000 --> 00:00:05.000\nA: two\n\n00:00:04.000 --> 00:00:09.000\nB: three\n',
    ),
    { durationS: 8 },
  );
  assert.deepEqual(brief(t), [
    [1, 3, 'A', 'one'],
    [3, 5, 'A', 'two'],
    [4, 8, 'B', 'three'],
  ]);
  assert.ok(t.warnings.some((w) => /1 cue overlapping the same speaker's next cue/.test(w)));
  assert.ok(t.warnings.some((w) => /1 cue running past the end of the recording/.test(w)));
});

test('a 50 MB file is refused before it is read', () => {
  const dir = tempDir();
  const file = path.join(dir, 'huge.txt');
  const fd = openSync(file, 'w');
  const line = Buffer.from('[00:00:01] Speaker: ' + 'words '.repeat(160) + '\n');
  const chunk = Buffer.concat(Array.from({ length: 1024 }, () => line));
  for (let written = 0; written < 50 * 1024 * 1024; written += chunk.length) writeSync(fd, chunk);
  closeSync(fd);
  const before = process.memoryUsage().rss;
  assertRefused(file, null, /the file is 50\.\d MB; transcripts are at most 20 MB/);
  assert.ok(process.memoryUsage().rss - before < 40 * 1024 * 1024, 'the file was not loaded');
});

test('a transcript next to the recording with the same base name is found', () => {
  const dir = tempDir();
  write(dir, 'talk.mp4', 'x');
  assert.equal(findSidecarTranscript(path.join(dir, 'talk.mp4')), null);
  write(dir, 'talk.txt', '[00:00:01] A: hi\n');
  assert.equal(findSidecarTranscript(path.join(dir, 'talk.mp4')), path.join(dir, 'talk.txt'));
  write(dir, 'talk.vtt', 'WEBVTT\n');
  assert.equal(findSidecarTranscript(path.join(dir, 'talk.mp4')), path.join(dir, 'talk.vtt'));
});
