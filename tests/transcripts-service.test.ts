import assert from 'node:assert/strict';
import { closeSync, copyFileSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import '../electron/privacy/no-telemetry.js';
import { AnalysisEngine } from '../electron/analysis/engine.js';
import { AffectService } from '../electron/api/service.js';
import { ApiError } from '../electron/contract/api.js';
import { allAudit } from '../electron/store/audit-repo.js';
import { ensureClient } from '../electron/store/clients-repo.js';
import { openDatabase, type Db } from '../electron/store/db.js';
import { listTracks } from '../electron/store/annotations-repo.js';
import { SAMPLE } from './helpers/media-fixtures.js';
import { tempDir } from './helpers/paths.js';
import { pdfTextOf } from './helpers/pdf-text.js';
import { SHIPPED_MODELS_PRESENT, storeScriptedSession } from './helpers/stored-session.js';
import { writeVtt, type TestCue } from './helpers/transcripts.js';

const CALL: TestCue[] = [
  [0.8, 3.2, 'Dr. Amira Haddad', 'Good morning. How has the week been?'],
  [4.0, 7.3, 'Sam Taylor', "Honestly I'm furious, they cancelled my appointment again."],
  [8.0, 11.5, 'Sam Taylor', 'I was so scared that something bad had happened. I could not sleep.'],
  [12.0, 15.4, 'Dr. Amira Haddad', 'That sounds really frightening. Tell me about the sleeping.'],
  [16.0, 19.5, 'Sam Taylor', 'I am glad I came, it feels good to talk about the Quokkaville trip.'],
];

let dir: string;
let db: Db;
let svc: AffectService;
let clientId: number;
let sessionId: number;
let vtt: string;

before(async () => {
  dir = tempDir('transcripts-service-');
  const file = path.join(dir, 'svc.sqlite');
  db = openDatabase(file);
  clientId = ensureClient(db, 'T-1').id;
  sessionId = await storeScriptedSession(db, SAMPLE, { faceAt: () => 'neutral', voiceAt: () => 'calm' }, { clientId });
  vtt = writeVtt(dir, 'zoom call.vtt', CALL);
  svc = new AffectService({ db, databasePath: file, engine: (models) => AnalysisEngine.create({ ...models, threads: 1 }) });
});

after(async () => {
  await svc?.close();
  db?.close();
});

/** The call is refused as bad input, with a message that starts with the file's name (and names the line). */
async function refused(p: Promise<unknown>, message: RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(e.code, 'bad-request', e.message);
    assert.match(e.message, message);
    return true;
  });
}

test('attach through the API: every line estimated, speakers and summaries, the audit names ids and counts only', async () => {
  assert.equal(await svc.call('transcripts.get', { sessionId }), null);
  const t = await svc.call('transcripts.attach', { sessionId, path: vtt });
  assert.equal(t.fileName, 'zoom call.vtt');
  assert.equal(t.cues.length, 5);
  assert.deepEqual(
    t.speakers.map((s) => [s.label, s.text.lines]),
    [
      ['Dr. Amira Haddad', 2],
      ['Sam Taylor', 3],
    ],
  );
  assert.ok(t.cues.every((c) => c.top !== null && c.confidence !== null));
  assert.equal(t.cues[2].label, 'fearful');
  assert.equal(t.text.lines, 5);
  assert.equal(t.speakers[1].evidence.why, 'no diarized speech turns in this session');
  assert.deepEqual(await svc.call('transcripts.get', { sessionId }), t);
  const entry = allAudit(db)
    .filter((e) => e.action === 'attach')
    .at(-1)!;
  assert.deepEqual(
    [entry.objectKind, entry.objectId, entry.details],
    ['transcript', t.id, { sessionId, cues: 5, speakers: 2, format: 'webvtt', replace: false }],
  );
  // A second one is refused unless it replaces the first.
  await refused(svc.call('transcripts.attach', { sessionId, path: vtt }), /already has a transcript \(zoom call\.vtt\); replace it/);
});

test('bad input through attach: each case names the file and the line; nothing is stored and the transcript there stays', async () => {
  const before = await svc.call('transcripts.get', { sessionId });
  const w = (name: string, content: string | Uint8Array) => {
    const f = path.join(dir, name);
    writeFileSync(f, content);
    return f;
  };
  const v = (body: string) => `WEBVTT\n\n${body}`;
  const big = path.join(dir, 'huge.txt');
  const fd = openSync(big, 'w');
  const chunk = Buffer.from(`[00:00:01] Speaker: ${'words '.repeat(160)}\n`.repeat(1024));
  for (let n = 0; n < 50 * 1024 * 1024; n += chunk.length) writeSync(fd, chunk);
  closeSync(fd);
  const cases: Array<[string, RegExp]> = [
    [
      w('malformed.vtt', v('00:00:01.000 --> 00:00:02.000\nfine\n\n00:00:03.000 -> 00:00:04.000\nbroken\n')),
      /^malformed\.vtt, line 6: .*not a cue timing line/,
    ],
    [w('reversed.vtt', v('00:00:05.000 --> 00:00:02.000\nA: backwards\n')), /^reversed\.vtt, line 3: the cue ends \(0:02\.000\) before it starts/],
    [
      w('order.srt', '1\n00:00:10,000 --> 00:00:12,000\nA: later\n\n2\n00:00:01,000 --> 00:00:02,000\nB: earlier\n'),
      /^order\.srt, line 6: .*time order/,
    ],
    [
      w('overlap.vtt', v('00:00:01.000 --> 00:00:06.000\n<v Ann>one</v>\n\n00:00:03.000 --> 00:00:08.000\n<v Ann>two</v>\n')),
      /^overlap\.vtt, line 6: .*overlaps Ann's previous cue/,
    ],
    [
      w('past-end.vtt', v('00:00:01.000 --> 00:00:02.000\nA: hi\n\n00:10:00.000 --> 00:10:02.000\nA: late\n')),
      /^past-end\.vtt, line 6: the cue starts at 10:00\.000, after the end of the recording \(0:19\.690\): is this the transcript of another recording\?/,
    ],
    [w('empty.vtt', ''), /^empty\.vtt: the file is empty/],
    [w('binary.srt', Buffer.from([0x31, 0x0a, 0x00, 0x01, 0x02, 0x00, 0xff, 0x10, 0x00, 0x00])), /^binary\.srt, line 2: the file holds NUL bytes/],
    [w('prose.txt', 'Dear diary,\ntoday was fine.\n'), /^prose\.txt, line 1: no timestamps found/],
    [big, /^huge\.txt: the file is 50\.\d MB; transcripts are at most 20 MB/],
    [path.join(dir, 'missing.vtt'), /^missing\.vtt: cannot be opened \(ENOENT\)/],
  ];
  for (const [file, message] of cases) {
    await refused(svc.call('transcripts.attach', { sessionId, path: file, replace: true }), message);
    assert.deepEqual(await svc.call('transcripts.get', { sessionId }), before, `${path.basename(file)}: the stored transcript is untouched`);
  }
  assert.equal((await svc.call('transcripts.attachStatus', { sessionId })).state, 'none');
});

test('encodings through attach: UTF-16 with and without BOM, UTF-8 BOM, Latin-1 are read and stored as text', async () => {
  const other = await storeScriptedSession(db, SAMPLE, { faceAt: () => 'happy', voiceAt: () => null }, { clientId });
  const text = 'WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Zoë Müller>Ça va? Très bien — 😊</v>\n';
  const files: Array<[string, Uint8Array, string]> = [
    ['u16.vtt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'utf-16le'],
    ['u16-nobom.vtt', Buffer.from(text, 'utf16le'), 'utf-16le'],
    ['bom.vtt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'utf-8'],
  ];
  for (const [name, bytes, encoding] of files) {
    writeFileSync(path.join(dir, name), bytes);
    const t = await svc.call('transcripts.attach', { sessionId: other, path: path.join(dir, name), replace: true });
    assert.deepEqual([t.encoding, t.cues[0].speaker, t.cues[0].text], [encoding, 'Zoë Müller', 'Ça va? Très bien — 😊'], name);
  }
  writeFileSync(path.join(dir, 'latin1.txt'), Buffer.from([...Buffer.from('[00:00:01] Zo'), 0xeb, ...Buffer.from(': caf'), 0xe9, 0x0a]));
  const t = await svc.call('transcripts.attach', { sessionId: other, path: path.join(dir, 'latin1.txt'), replace: true });
  assert.deepEqual([t.encoding, t.cues[0].speaker, t.cues[0].text], ['windows-1252', 'Zoë', 'café']);
  assert.match(t.warnings.join(' '), /Windows-1252/);
});

test('a long transcript shows progress while it is read, and Cancel stores nothing', async () => {
  const long = await storeScriptedSession(db, SAMPLE, { faceAt: () => 'sad', voiceAt: () => null }, { clientId });
  // 40,000 lines inside the recording's 19.7 s (a caption every 0.49 ms would be odd, but it is valid input).
  const lines = Array.from(
    { length: 40_000 },
    (_, i) =>
      `[${String(Math.floor((i * 0.00049) / 60)).padStart(2, '0')}:${((i * 0.00049) % 60).toFixed(3).padStart(6, '0')}] Speaker ${i % 2}: line number ${i} about the garden and the weather`,
  ).join('\n');
  writeFileSync(path.join(dir, 'long.txt'), lines);
  const running = svc.call('transcripts.attach', { sessionId: long, path: path.join(dir, 'long.txt') });
  let status = await svc.call('transcripts.attachStatus', { sessionId: long });
  for (let i = 0; i < 400 && !(status.state === 'running' && status.fraction > 0); i++) {
    await new Promise((r) => setTimeout(r, 25));
    status = await svc.call('transcripts.attachStatus', { sessionId: long });
  }
  assert.equal(status.state, 'running');
  assert.equal(status.stage, 'text emotion');
  assert.ok(status.fraction > 0 && status.fraction < 1, String(status.fraction));
  await refused(svc.call('transcripts.attach', { sessionId: long, path: path.join(dir, 'long.txt') }), /is being attached to session \d+ already/);
  await svc.call('transcripts.cancelAttach', { sessionId: long });
  await refused(running, /^long\.txt: cancelled; nothing was stored/);
  assert.equal(await svc.call('transcripts.get', { sessionId: long }), null);
  assert.equal((db.prepare('SELECT count(*) AS n FROM transcripts WHERE session_id = ?').get(long) as { n: number }).n, 0);
});

test("speakers: renamed and mapped by hand; search across the client's sessions; neither leaves a word in the audit log", async () => {
  const t = await svc.call('transcripts.get', { sessionId });
  const sam = t!.speakers.find((s) => s.label === 'Sam Taylor')!;
  const renamed = await svc.call('transcripts.renameSpeaker', { speakerId: sam.id, name: '  Sam T.  ' });
  assert.deepEqual(
    renamed.cues.map((c) => c.speaker),
    ['Dr. Amira Haddad', 'Sam T.', 'Sam T.', 'Dr. Amira Haddad', 'Sam T.'],
  );
  const mapped = await svc.call('transcripts.mapSpeaker', { speakerId: sam.id, participant: 1 });
  assert.deepEqual([mapped.speakers[1].participant, mapped.speakers[1].mapping], [1, 'user']);
  assert.deepEqual(
    mapped.byParticipant.map((p) => [p.participant, p.text.lines]),
    [[1, 3]],
  );
  await assert.rejects(svc.call('transcripts.renameSpeaker', { speakerId: 99999, name: 'x' }), /no transcript speaker with id 99999/);
  await assert.rejects(svc.call('transcripts.renameSpeaker', { speakerId: sam.id, name: 'Sam\u202Eevil' }), /control or formatting/);

  const found = await svc.call('transcripts.search', { clientId, query: 'quokkav' });
  assert.deepEqual(
    [found.total, found.sessions, found.hits[0].sessionId, found.hits[0].start, found.hits[0].speaker],
    [1, 1, sessionId, 16, 'Sam T.'],
  );
  assert.deepEqual(
    found.hits[0].parts.filter((p) => p.match).map((p) => p.text),
    ['Quokkaville'],
  );
  await assert.rejects(svc.call('transcripts.search', { clientId: 9999, query: 'x' }), /no client with id 9999/);
  const audit = allAudit(db);
  assert.deepEqual(audit.filter((e) => e.action === 'search').at(-1)!.details, { hits: 1, sessions: 1 });
  assert.deepEqual(
    audit.filter((e) => e.action === 'edit' && e.objectKind === 'transcript').map((e) => e.details.fields),
    ['speaker-name', 'speaker-participant'],
  );
  const log = JSON.stringify(audit);
  for (const word of ['Quokka', 'quokkav', 'Sam', 'zoom call', 'furious'])
    assert.equal(log.includes(word), false, `"${word}" is not in the audit log`);
});

test('exports: transcript CSV and JSON per line, ELAN tiers per speaker (not re-imported as labels), PDF with and without the words', async () => {
  const csv = await svc.call('export.session', { sessionId, format: 'csv', per: 'transcript' });
  const text = Buffer.from(csv.base64, 'base64').toString('utf8');
  const rows = text.trim().split('\n');
  assert.equal(rows.length, 6);
  assert.match(
    rows[0],
    /^session_id,client_code,cue,start_s,end_s,speaker,speaker_in_file,participant,text,text_label,text_confidence,text_top,text_p_neutral,/,
  );
  assert.match(rows[5], /,5,16,19\.5,Sam T\.,Sam Taylor,1,"I am glad I came, .*Quokkaville trip\.",happy,0\.\d+,happy,/);
  assert.match(csv.fileName, /^T-1_session-\d+_.*_transcript\.csv$/);
  const json = JSON.parse(
    Buffer.from((await svc.call('export.session', { sessionId, format: 'json', per: 'transcript' })).base64, 'base64').toString('utf8'),
  );
  const cue = json.sessions[0].cues[2];
  assert.deepEqual([cue.startS, cue.speaker, cue.participant, cue.estimate.label], [8, 'Sam T.', 1, 'fearful']);
  assert.equal(Object.keys(cue.estimate.probabilities).length, 7);
  assert.equal(json.sessions[0].speakers[1].name, 'Sam T.');

  const eaf = Buffer.from((await svc.call('export.session', { sessionId, format: 'eaf' })).base64, 'base64').toString('utf8');
  assert.match(eaf, /<TIER ANNOTATOR="transcript" LINGUISTIC_TYPE_REF="default-lt" PARTICIPANT="Sam T\." TIER_ID="Sam T\.">/);
  assert.match(eaf, /<ANNOTATION_VALUE>That sounds really frightening\. Tell me about the sleeping\.<\/ANNOTATION_VALUE>/);
  // The exported file, attached back as a transcript, gives the same lines; imported as annotations, it brings none of them.
  const eafFile = path.join(dir, 'export.eaf');
  writeFileSync(eafFile, eaf);
  const round = await storeScriptedSession(db, SAMPLE, { faceAt: () => 'neutral', voiceAt: () => null }, { clientId });
  const back = await svc.call('transcripts.attach', { sessionId: round, path: eafFile });
  assert.deepEqual(
    back.cues.map((c) => [c.start, c.speaker, c.text]),
    CALL.map(([a, , who, words]) => [a, who === 'Sam Taylor' ? 'Sam T.' : who, words]),
  );
  const { importEaf } = await import('../electron/export/eaf-session.js');
  const imported = importEaf(db, round, eaf);
  assert.ok(imported.warnings.some((x) => /tier "Sam T\." holds transcript text/.test(x)));
  assert.equal(
    listTracks(db, round).some((tr) => tr.annotator === 'Sam T.'),
    false,
  );

  const withWords = pdfTextOf(Buffer.from((await svc.call('export.session', { sessionId, format: 'pdf' })).base64, 'base64'));
  for (const s of ['What was said', 'Quokkaville', 'Sam T.', 'zoom call.vtt', 'Transcript'])
    assert.ok(withWords.includes(s), `with the words: "${s}"`);
  const pdf = await svc.call('export.session', { sessionId, format: 'pdf', noText: true });
  assert.match(pdf.fileName, /_report_no-text\.pdf$/);
  const without = pdfTextOf(Buffer.from(pdf.base64, 'base64'));
  assert.ok(without.includes('What was said') && without.includes('Participant 1'), without.slice(0, 2000));
  for (const s of ['Quokkaville', 'Sam', 'Amira', 'furious', 'zoom call']) assert.equal(without.includes(s), false, `without the words: "${s}"`);
  assert.equal(
    allAudit(db)
      .filter((e) => e.action === 'export')
      .at(-1)!.details.noText,
    true,
  );

  const client = pdfTextOf(Buffer.from((await svc.call('export.client', { clientId, format: 'pdf', noText: true })).base64, 'base64'));
  assert.ok(client.includes('What was said (text estimates per session)'));
  for (const s of ['Sam', 'Amira', 'Quokkaville']) assert.equal(client.includes(s), false, `client report without the words: "${s}"`);
  const clientCsv = Buffer.from((await svc.call('export.client', { clientId, format: 'csv', per: 'transcript' })).base64, 'base64').toString('utf8');
  assert.ok(clientCsv.split('\n').length > 6);
  await assert.rejects(svc.call('export.session', { sessionId: round + 100, format: 'csv', per: 'transcript' }), /no session/);
});

test('a transcript is erased on its own (erase.* with kind transcript): its words leave the search', async () => {
  const t = (await svc.call('transcripts.get', { sessionId }))!;
  const preview = await svc.call('erase.preview', { kind: 'transcript', id: t.id });
  assert.equal(preview.description, '1 transcript');
  const done = await svc.call('erase.run', { kind: 'transcript', id: t.id });
  assert.equal(done.compacted, true);
  assert.equal(await svc.call('transcripts.get', { sessionId }), null);
  assert.deepEqual(
    (await svc.call('transcripts.search', { clientId, query: 'quokkaville' })).hits.filter((h) => h.sessionId === sessionId),
    [],
  );
  assert.ok((await svc.call('sessions.get', { id: sessionId })).id === sessionId, 'the session stays');
});

test(
  'the import queue picks up a transcript beside the recording; one that cannot be read fails the job before the analysis, naming it',
  { skip: SHIPPED_MODELS_PRESENT ? false : 'needs the shipped models', timeout: 240_000 },
  async () => {
    const recording = path.join(dir, 'visit 4.mp4');
    copyFileSync(SAMPLE, recording);
    // A transcript that cannot be read: the job fails at once, nothing is stored.
    writeFileSync(path.join(dir, 'visit 4.vtt'), 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA: fine\n\n00:00:05.000 --> 00:00:03.000\nA: backwards\n');
    const sessionsBefore = (db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
    const [job] = await svc.call('jobs.enqueue', { paths: [recording], clientId, fps: 1 });
    await svc.queue.idle();
    let done = (await svc.call('jobs.list', {})).find((j) => j.id === job.id)!;
    assert.equal(done.status, 'failed');
    assert.match(
      done.error!,
      /^The transcript visit 4\.vtt, line 6: the cue ends \(0:03\.000\) before it starts \(0:05\.000\); correct or remove the transcript file, then retry\.$/,
    );
    assert.equal(done.retryable, true);
    assert.equal((db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n, sessionsBefore);
    // Corrected, the retry analyses the recording and stores the transcript with it.
    writeVtt(dir, 'visit 4.vtt', CALL);
    await svc.call('jobs.retry', { id: job.id });
    await svc.queue.idle();
    done = (await svc.call('jobs.list', {})).find((j) => j.id === job.id)!;
    assert.equal(done.status, 'done', done.error ?? '');
    const stored = await svc.call('transcripts.get', { sessionId: done.sessionId! });
    assert.equal(stored?.fileName, 'visit 4.vtt');
    assert.equal(stored?.cues.length, 5);
    // A transcript given with the recording (as browser uploads are), for a recording already stored without one.
    await svc.call('erase.run', { kind: 'transcript', id: stored!.id });
    const given = writeVtt(tempDir(), 'uploaded.srt.vtt', CALL.slice(0, 2));
    const [again] = await svc.call('jobs.enqueue', { paths: [recording], clientId, fps: 1, transcripts: [given] });
    assert.equal(again.transcript, 'uploaded.srt.vtt');
    await svc.queue.idle();
    const second = (await svc.call('jobs.list', {})).find((j) => j.id === again.id)!;
    assert.deepEqual([second.status, second.alreadyAnalysed, second.sessionId], ['done', true, done.sessionId]);
    assert.equal((await svc.call('transcripts.get', { sessionId: done.sessionId! }))?.fileName, 'uploaded.srt.vtt');
    // Given again with another transcript: the stored session keeps the one it has, and the job says so.
    const [third] = await svc.call('jobs.enqueue', {
      paths: [recording],
      clientId,
      fps: 1,
      transcripts: [writeVtt(tempDir(), 'other.vtt', CALL.slice(0, 1))],
    });
    await svc.queue.idle();
    const kept = (await svc.call('jobs.list', {})).find((j) => j.id === third.id)!;
    assert.equal(
      kept.note,
      `Session ${done.sessionId} keeps its transcript uploaded.srt.vtt; to use other.vtt instead, replace it from the session's review.`,
    );
    assert.equal((await svc.call('transcripts.get', { sessionId: done.sessionId! }))?.fileName, 'uploaded.srt.vtt');
    await assert.rejects(svc.call('jobs.enqueue', { paths: [recording, recording], transcripts: [given] }), /1 transcripts for 2 recordings/);
  },
);
