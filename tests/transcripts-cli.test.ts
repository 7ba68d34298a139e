import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import { SAMPLE } from './helpers/media-fixtures.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';
import { pdfTextOf } from './helpers/pdf-text.js';
import { SHIPPED_MODELS_PRESENT } from './helpers/stored-session.js';
import { writeVtt, type TestCue } from './helpers/transcripts.js';

const AFFECT = path.join(REPO_ROOT, 'bin', 'affect.mjs');
const skip = SHIPPED_MODELS_PRESENT ? false : 'needs the shipped models';

function affect(...args: string[]) {
  const env = { ...process.env };
  delete env.AFFECT_PASSPHRASE;
  const r = spawnSync(process.execPath, [AFFECT, ...args], { encoding: 'utf8', timeout: 240_000, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const q = (db: string, sql: string) => {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all();
  } finally {
    d.close();
  }
};

const CALL: TestCue[] = [
  [0.8, 3.2, 'Dr. Amira Haddad', 'Good morning. How has the week been?'],
  [4.0, 7.3, 'Sam Taylor', "Honestly I'm furious, they cancelled my appointment again."],
  [8.0, 11.5, 'Sam Taylor', 'I was so scared that something bad had happened. I could not sleep.'],
  [12.0, 15.4, 'Dr. Amira Haddad', 'That sounds really frightening. Tell me about the sleeping.'],
  [16.0, 19.5, 'Sam Taylor', 'I am glad I came, it feels good to talk about the Wombatfield trip.'],
];

let dir: string;
let db: string;
before(() => {
  dir = tempDir('transcripts-cli-');
  db = path.join(dir, 'cli.sqlite');
});

test('affect analyze picks up talk.vtt beside talk.mp4, prints the text line, stores it with the session', { skip, timeout: 240_000 }, () => {
  const talk = path.join(dir, 'talk.mp4');
  copyFileSync(SAMPLE, talk);
  writeVtt(dir, 'talk.vtt', CALL);
  const r = affect('analyze', talk, '--db', db, '--fps', '1', '--client', 'CLI-1', '--plain');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\n {2}Text: {2}\S+ in \d+% of \d+ lines with an estimate {2}\(transcript talk\.vtt: 5 lines, 2 speakers; not fused\)/);
  assert.match(r.stderr, /text emotion\s+\d+%/, 'progress while estimating');
  assert.deepEqual(
    q(db, 'SELECT t.file_name, count(c.id) AS cues FROM transcripts t JOIN transcript_cues c ON c.transcript_id = t.id GROUP BY t.id'),
    [{ file_name: 'talk.vtt', cues: 5 }],
  );
  assert.deepEqual(q(db, "SELECT action, object_kind, details FROM audit_log WHERE action = 'attach'"), [
    {
      action: 'attach',
      object_kind: 'transcript',
      details: JSON.stringify({ sessionId: 1, cues: 5, speakers: 2, format: 'webvtt', replace: false }),
    },
  ]);
  // --json carries it too; analysing the stored recording again does not attach it twice.
  const again = affect('analyze', talk, '--db', db, '--fps', '1', '--json', '--plain');
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /session 1 has this transcript already/);
});

test(
  'a transcript that cannot be read: that recording is neither analysed nor stored; --no-transcript analyses it without',
  { skip, timeout: 240_000 },
  () => {
    const other = path.join(dir, 'other.mp4');
    copyFileSync(SAMPLE, other);
    writeFileSync(path.join(dir, 'other.srt'), '1\n00:00:01,000 --> 00:00:02,000\nA: hi\n\n2\n00:00:03,000 --> 00:00:99,000\nB: broken\n');
    const scratch = path.join(dir, 'scratch.sqlite');
    const r = affect('analyze', other, '--db', scratch, '--fps', '1', '--plain');
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /affect: .*other\.mp4: the transcript .*other\.srt, line 6: the end time "00:00:99,000" is not a time .*nothing was analysed or stored for this recording \(correct the transcript, or --no-transcript to analyse without it\)/,
    );
    assert.equal(r.stdout, '');
    assert.deepEqual(q(scratch, 'SELECT count(*) AS n FROM sessions'), [{ n: 0 }]);
    const without = affect('analyze', other, '--db', scratch, '--fps', '1', '--no-transcript', '--plain');
    assert.equal(without.code, 0, without.stderr);
    assert.deepEqual(q(scratch, 'SELECT (SELECT count(*) FROM sessions) AS s, (SELECT count(*) FROM transcripts) AS t'), [{ s: 1, t: 0 }]);
    // --transcript goes with one recording.
    const two = affect('analyze', other, SAMPLE, '--transcript', path.join(dir, 'talk.vtt'), '--db', scratch);
    assert.equal(two.code, 2);
    assert.match(two.stderr, /--transcript goes with one recording \(2 given\)/);
  },
);

test('affect transcript show, search, speaker; export --per transcript and a PDF --no-text; erase transcript', { skip, timeout: 240_000 }, () => {
  const show = affect('transcript', 'show', '1', '--db', db);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^session 1: talk\.vtt \(webvtt, utf-8\), 5 lines, 2 speakers; text: /);
  // The sample has one voice: the analysis diarized it as participant 1's speech, and the file's speakers overlap it.
  assert.match(show.stdout, /\n {2}Sam Taylor → participant 1 \(by overlap, \d+%\); 3 lines; text: /);
  assert.match(
    show.stdout,
    /\n\s+0:08\.000 {2}Sam Taylor: I was so scared that something bad had happened\. I could not sleep\. {2}\[fearful \d+%\]/,
  );
  const json = JSON.parse(affect('transcript', 'show', '1', '--json', '--db', db).stdout);
  assert.equal(json.cues.length, 5);

  const found = affect('transcript', 'search', 'client:CLI-1', 'sleep', '--db', db);
  assert.equal(found.code, 0, found.stderr);
  assert.equal(found.stdout.trim().split('\n').length, 2);
  assert.match(
    found.stdout,
    /session 1 \(\d{4}-\d\d-\d\d\) 0:12\.000 {2}Dr\. Amira Haddad: That sounds really frightening\. Tell me about the \[sleeping\]\./,
  );
  assert.match(found.stderr, /2 lines in 1 session/);
  assert.equal(affect('transcript', 'search', 'client:CLI-1', 'zebras', '--db', db).code, 1, 'nothing found: exit 1');
  assert.match(affect('transcript', 'search', 'client:NOPE', 'sleep', '--db', db).stderr, /no client with code "NOPE"/);

  const sp = affect('transcript', 'speaker', '1', 'Sam Taylor', '--name', 'Sam T.', '--participant', '1', '--db', db);
  assert.equal(sp.code, 0, sp.stderr);
  assert.match(sp.stdout, /Sam T\. \(in the file: Sam Taylor\) → participant 1 \(by hand\)/);
  assert.match(
    affect('transcript', 'speaker', '1', 'Nobody', '--name', 'x', '--db', db).stderr,
    /no transcript speaker "Nobody" \(speakers: Dr\. Amira Haddad, Sam Taylor\)/,
  );

  const csv = path.join(dir, 'out', 'transcript.csv');
  assert.equal(affect('export', '1', '--format', 'csv', '--per', 'transcript', '--out', csv, '--db', db).code, 0);
  const rows = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(rows.length, 6);
  assert.match(rows[3], /^1,CLI-1,3,8,11\.5,Sam T\.,Sam Taylor,1,I was so scared/);
  const pdf = path.join(dir, 'out', 'report.pdf');
  assert.equal(affect('export', '1', '--format', 'pdf', '--no-text', '--out', pdf, '--db', db).code, 0);
  const text = pdfTextOf(readFileSync(pdf));
  assert.ok(text.includes('What was said'));
  for (const s of ['Wombatfield', 'Sam', 'Amira', 'talk.vtt']) assert.equal(text.includes(s), false, s);
  assert.match(affect('export', '1', '--format', 'csv', '--no-text', '--out', csv, '--db', db).stderr, /--no-text applies to the pdf report only/);

  const erased = affect('erase', 'transcript', '1', '--yes', '--db', db);
  assert.equal(erased.code, 0, erased.stderr);
  assert.match(erased.stdout, /erased the transcript of session 1: 1 transcript/);
  assert.deepEqual(q(db, 'SELECT (SELECT count(*) FROM transcripts) AS t, (SELECT count(*) FROM sessions) AS s'), [{ t: 0, s: 1 }]);
  assert.match(
    affect('transcript', 'show', '1', '--db', db).stderr,
    /session 1 has no transcript \(attach one with `affect transcript attach 1 <file>`\)/,
  );

  // Attached later, by hand; refused twice without --replace.
  const later = affect('transcript', 'attach', '1', path.join(dir, 'talk.vtt'), '--db', db);
  assert.equal(later.code, 0, later.stderr);
  assert.match(later.stdout, /^transcript \d+ attached to session 1: talk\.vtt \(webvtt, utf-8\), 5 lines, 2 speakers/);
  const twice = affect('transcript', 'attach', '1', path.join(dir, 'talk.vtt'), '--db', db);
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /session 1 already has a transcript \(talk\.vtt\); replace it to attach another \(--replace\); nothing was stored/);
  const bad = affect('transcript', 'attach', '1', path.join(dir, 'other.srt'), '--replace', '--db', db);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /other\.srt, line 6: the end time "00:00:99,000" is not a time.*; nothing was stored/);
  assert.deepEqual(q(db, 'SELECT file_name FROM transcripts'), [{ file_name: 'talk.vtt' }]);
});
