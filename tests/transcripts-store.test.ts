import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import '../electron/privacy/no-telemetry.js';
import { TextEmotionModel } from '../electron/analysis/text/text-model.js';
import { prepareTranscript } from '../electron/analysis/transcript/prepare.js';
import { ensureClient } from '../electron/store/clients-repo.js';
import { openDatabase, type Db } from '../electron/store/db.js';
import { listMigrations, migrate } from '../electron/store/migrations.js';
import { openWithPassphrase } from '../electron/store/open-database.js';
import {
  ftsQuery,
  getTranscript,
  mapSpeaker,
  remapTranscript,
  renameSpeaker,
  saveTranscript,
  searchTranscripts,
  TranscriptExistsError,
} from '../electron/store/transcripts-repo.js';
import { SAMPLE } from './helpers/media-fixtures.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';
import { rawBytes } from './helpers/raw-bytes.js';
import { storeScriptedSession } from './helpers/stored-session.js';
import { attachTestTranscript, writeVtt, type TestCue } from './helpers/transcripts.js';

const SAMPLE_S = 19.69;
let model: TextEmotionModel;

before(async () => {
  model = await TextEmotionModel.load(path.join(REPO_ROOT, 'native-models/text-glove-cnn'), { threads: 1 });
});
after(async () => {
  await model?.release();
});

const CALL: TestCue[] = [
  [0.8, 3.2, 'Dr. Amira Haddad', 'Good morning. How has the week been?'],
  [4.0, 7.3, 'Sam Taylor', "Honestly I'm furious, they cancelled my appointment again."],
  [8.0, 11.5, 'Sam Taylor', 'I was so scared that something bad had happened. I could not sleep.'],
  [12.0, 15.4, 'Dr. Amira Haddad', 'That sounds really frightening. Tell me about the sleeping.'],
  [16.0, 19.5, 'Sam Taylor', 'I am glad I came, it feels good to talk. Zoë said so too.'],
];

async function sessionWithCall(db: Db, cues = CALL, clientId?: number) {
  const sessionId = await storeScriptedSession(db, SAMPLE, { faceAt: () => 'neutral', voiceAt: () => 'calm' }, { clientId });
  const file = writeVtt(tempDir(), 'call.vtt', cues);
  return { sessionId, file };
}

test('the transcripts migration on a real file from before it: tables, the FTS5 index, import jobs keep their rows', () => {
  const ms = listMigrations();
  const target = ms.find((m) => m.name.endsWith('_transcripts'));
  assert.ok(target, 'the transcripts migration exists');
  const file = path.join(tempDir(), 'before-transcripts.sqlite');
  const raw = new Database(file);
  migrate(raw, ms, target!.version - 1);
  raw.prepare("INSERT INTO media (path, sha256, size_bytes, format, duration_s) VALUES ('/r/clip.mp4', 'abc', 10, 'mp4', 5)").run();
  raw.prepare("INSERT INTO sessions (media_id, settings, summary, elapsed_s) VALUES (1, '{}', '{}', 1)").run();
  raw.prepare("INSERT INTO import_jobs (file, status) VALUES ('/r/clip.mp4', 'done')").run();
  raw.close();
  const db = openDatabase(file);
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')").all() as Array<{ name: string }>).map((r) => r.name);
  for (const t of [
    'transcripts',
    'transcript_speakers',
    'transcript_cues',
    'transcript_search',
    'transcript_cues_search_insert',
    'transcript_cues_search_delete',
  ])
    assert.ok(names.includes(t), t);
  assert.match((db.prepare("SELECT sql FROM sqlite_master WHERE name = 'transcript_search'").get() as { sql: string }).sql, /USING fts5/i);
  assert.deepEqual(db.prepare('SELECT file, transcript FROM import_jobs').get(), { file: '/r/clip.mp4', transcript: null });
  // One transcript per session; times and text checked by the schema.
  db.prepare("INSERT INTO transcripts (session_id, format, file_name, encoding, sha256) VALUES (1, 'webvtt', 'a.vtt', 'utf-8', ?)").run(
    '0'.repeat(64),
  );
  assert.throws(
    () =>
      db
        .prepare("INSERT INTO transcripts (session_id, format, file_name, encoding, sha256) VALUES (1, 'srt', 'b.srt', 'utf-8', ?)")
        .run('1'.repeat(64)),
    /UNIQUE/,
  );
  assert.throws(() => db.prepare("INSERT INTO transcript_cues (transcript_id, seq, start_s, end_s, text) VALUES (1, 0, 5, 4, 'x')").run(), /CHECK/);
  assert.throws(() => db.prepare("INSERT INTO transcript_cues (transcript_id, seq, start_s, end_s, text) VALUES (1, 0, 1, 2, '')").run(), /CHECK/);
  // Deleting the session takes the transcript and its index entries along.
  db.prepare("INSERT INTO transcript_cues (transcript_id, seq, start_s, end_s, text) VALUES (1, 0, 1, 2, 'cascading words')").run();
  assert.equal((db.prepare("SELECT count(*) AS n FROM transcript_search WHERE transcript_search MATCH 'cascading'").get() as { n: number }).n, 1);
  db.prepare('DELETE FROM sessions').run();
  for (const t of ['transcripts', 'transcript_cues']) assert.equal((db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n, 0, t);
  assert.equal((db.prepare("SELECT count(*) AS n FROM transcript_search WHERE transcript_search MATCH 'cascading'").get() as { n: number }).n, 0);
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  db.close();
});

test("a transcript is stored whole with the text model's estimate per line; the same one twice is refused unless replaced", async () => {
  const db = openDatabase(path.join(tempDir(), 'store.sqlite'));
  const { sessionId, file } = await sessionWithCall(db);
  await attachTestTranscript(db, sessionId, file, { durationS: SAMPLE_S, model });
  const t = getTranscript(db, sessionId)!;
  assert.equal(t.fileName, 'call.vtt');
  assert.equal(t.format, 'webvtt');
  assert.equal(t.sha256.length, 64);
  assert.deepEqual(t.model && [t.model.id, t.model.labels.length], ['text-glove-cnn', 7]);
  assert.deepEqual(
    t.speakers.map((s) => s.label),
    ['Dr. Amira Haddad', 'Sam Taylor'],
  );
  assert.equal(t.cues.length, 5);
  for (const c of t.cues) {
    assert.equal(c.probs?.length, 7);
    assert.ok(Math.abs([...c.probs!].reduce((a, b) => a + b, 0) - 1) < 1e-4);
    assert.equal(c.top, t.model!.labels[[...c.probs!].indexOf(Math.max(...c.probs!))]);
    assert.equal(c.label === null ? c.confidence! < 0.5 : c.label === c.top, true);
  }
  // The estimates are the model's own, line by line.
  const direct = await model.classify(CALL.map((c) => c[3]));
  assert.deepEqual(
    t.cues.map((c) => c.top),
    direct.map((d) => d.top),
  );
  assert.equal(t.cues[2].top, 'fearful');
  const again = await prepareTranscript(file, { durationS: SAMPLE_S, model: null });
  assert.throws(
    () => saveTranscript(db, sessionId, again),
    (e: Error) => e instanceof TranscriptExistsError && /already has a transcript \(call\.vtt\)/.test(e.message),
  );
  db.close();
});

test("replacing keeps the user's speaker names and hand-made mappings; a failure half-way keeps the old transcript whole", async () => {
  const db = openDatabase(path.join(tempDir(), 'replace.sqlite'));
  const { sessionId, file } = await sessionWithCall(db);
  await attachTestTranscript(db, sessionId, file, { durationS: SAMPLE_S, model });
  const before = getTranscript(db, sessionId)!;
  const sam = before.speakers.find((s) => s.label === 'Sam Taylor')!;
  renameSpeaker(db, sam.id, 'Sam T.');
  mapSpeaker(db, sam.id, 2);
  assert.deepEqual(
    getTranscript(db, sessionId)!
      .cues.filter((c) => c.speakerId === sam.id)
      .map((c) => c.participant),
    [2, 2, 2],
  );
  // A corrected file (a line fixed, a line added).
  const fixed = writeVtt(tempDir(), 'call-corrected.vtt', [
    ...CALL.slice(0, 4),
    [16.0, 17.5, 'Sam Taylor', 'I am glad I came.'],
    [17.6, 19.0, 'Sam Taylor', 'Thank you.'],
  ]);
  await attachTestTranscript(db, sessionId, fixed, { durationS: SAMPLE_S, model, replace: true });
  const after = getTranscript(db, sessionId)!;
  assert.equal(after.fileName, 'call-corrected.vtt');
  assert.equal(after.cues.length, 6);
  const sam2 = after.speakers.find((s) => s.label === 'Sam Taylor')!;
  assert.deepEqual([sam2.name, sam2.participant, sam2.mapping], ['Sam T.', 2, 'user']);
  assert.equal((db.prepare("SELECT count(*) AS n FROM transcript_search WHERE transcript_search MATCH 'thank'").get() as { n: number }).n, 1);
  // A prepared transcript that fails while being written (estimates missing for a line) leaves the stored one as it was.
  const broken = await prepareTranscript(file, { durationS: SAMPLE_S, model });
  broken.estimates!.pop();
  assert.throws(() => saveTranscript(db, sessionId, broken, { replace: true }), /5 cues but 4 estimates/);
  assert.deepEqual(getTranscript(db, sessionId), after);
  assert.equal((db.prepare("SELECT count(*) AS n FROM transcript_search WHERE transcript_search MATCH 'thank'").get() as { n: number }).n, 1);
  db.close();
});

test('speakers are mapped by overlap with speech turns when given; hand-made mappings survive a remap', async () => {
  const db = openDatabase(path.join(tempDir(), 'map.sqlite'));
  const { sessionId, file } = await sessionWithCall(db);
  // Diarization as the per-person analysis stores it: participant 1 speaks when Dr. Haddad's cues run, 2 with Sam's.
  const turns = CALL.map(([a, b, who]) => ({ startS: a + 0.2, endS: b - 0.1, participant: who === 'Sam Taylor' ? 2 : 1 }));
  await attachTestTranscript(db, sessionId, file, { durationS: SAMPLE_S, model: null, turns });
  let t = getTranscript(db, sessionId)!;
  assert.deepEqual(
    t.speakers.map((s) => [s.label, s.participant, s.mapping, s.mappingScore! > 0.85]),
    [
      ['Dr. Amira Haddad', 1, 'auto', true],
      ['Sam Taylor', 2, 'auto', true],
    ],
  );
  assert.deepEqual(
    t.cues.map((c) => c.participant),
    [1, 2, 2, 1, 2],
  );
  mapSpeaker(db, t.speakers[0].id, 3);
  // The participants changed (a new analysis numbered them the other way round): automatic mappings follow, the hand-made one stays.
  remapTranscript(
    db,
    sessionId,
    turns.map((x) => ({ ...x, participant: 3 - x.participant })),
  );
  t = getTranscript(db, sessionId)!;
  assert.deepEqual(
    t.speakers.map((s) => [s.participant, s.mapping]),
    [
      [3, 'user'],
      [1, 'auto'],
    ],
  );
  db.close();
});

test("search: prefixes, accents folded, phrases, several words; only the client's sessions; matches marked; nothing else searchable as syntax", async () => {
  const db = openDatabase(path.join(tempDir(), 'search.sqlite'));
  const a = ensureClient(db, 'S-1');
  const b = ensureClient(db, 'S-2');
  const one = await sessionWithCall(db, CALL, a.id);
  await attachTestTranscript(db, one.sessionId, one.file, { durationS: SAMPLE_S, model: null });
  const two = await sessionWithCall(db, [[1, 3, 'Sam Taylor', 'Sleep was better this week, no nightmares.']], a.id);
  await attachTestTranscript(db, two.sessionId, two.file, { durationS: SAMPLE_S, model: null });
  const other = await sessionWithCall(db, [[1, 3, 'Someone', 'I could not sleep either.']], b.id);
  await attachTestTranscript(db, other.sessionId, other.file, { durationS: SAMPLE_S, model: null });

  const sleep = searchTranscripts(db, a.id, 'sleep');
  assert.equal(sleep.total, 3, 'sleep, sleeping, Sleep (a prefix, any case)');
  assert.equal(sleep.sessions, 2);
  assert.deepEqual(
    sleep.hits.map((h) => [h.sessionId, h.startS]),
    [
      [one.sessionId, 8],
      [one.sessionId, 12],
      [two.sessionId, 1],
    ],
  );
  assert.deepEqual(
    sleep.hits[1].parts.filter((p) => p.match).map((p) => p.text),
    ['sleeping'],
  );
  assert.equal(sleep.hits[1].parts.map((p) => p.text).join(''), 'That sounds really frightening. Tell me about the sleeping.');
  assert.equal(sleep.hits[0].speaker, 'Sam Taylor');
  assert.equal(searchTranscripts(db, a.id, 'zoe').total, 1, '"zoe" finds "Zoë" (accents folded)');
  assert.equal(searchTranscripts(db, a.id, 'ZOË').total, 1);
  assert.equal(searchTranscripts(db, a.id, '"bad had happened"').total, 1);
  assert.equal(searchTranscripts(db, a.id, '"happened bad"').total, 0, 'a phrase keeps its order');
  assert.equal(searchTranscripts(db, a.id, 'scared sleep').total, 1, 'all the words');
  assert.equal(searchTranscripts(db, b.id, 'sleep').total, 1, "the other client's sessions are searched apart");
  // Words a person types are never FTS5 syntax.
  for (const q of ['NEAR(sleep', 'sleep*) OR (', 'text:sleep', '"unclosed', '^sleep', 'sleep AND', '-sleep'])
    assert.doesNotThrow(() => searchTranscripts(db, a.id, q), q);
  assert.equal(searchTranscripts(db, a.id, 'text:sleep').total, 0, '"text" is looked for as a word');
  assert.equal(ftsQuery('  ?! '), null);
  assert.equal(ftsQuery('I couldn\'t "bad had"'), '"bad had" "I"* "couldn"* "t"*');
  assert.deepEqual(searchTranscripts(db, a.id, '...'), { hits: [], total: 0, sessions: 0 });
  db.close();
});

test('in an encrypted database: the search works, and no word of a transcript is in the file', async () => {
  const file = path.join(tempDir(), 'enc.sqlite');
  const { db } = await openWithPassphrase(file, 'a passphrase for tests', { kdfCost: { N: 2 ** 12, r: 8, p: 1 } });
  const client = ensureClient(db, 'E-1');
  const { sessionId, file: vtt } = await sessionWithCall(
    db,
    [[1, 4, 'Quentin Zyborski', 'Unmistakablewordly confession about the Xanthorrhoea garden']],
    client.id,
  );
  await attachTestTranscript(db, sessionId, vtt, { durationS: SAMPLE_S, model });
  assert.equal(searchTranscripts(db, client.id, 'xanthorr').total, 1);
  for (const phase of ['open', 'closed']) {
    const raw = rawBytes(file);
    for (const secret of ['Unmistakablewordly', 'unmistakablewordly', 'xanthorrhoea', 'Quentin Zyborski', 'call.vtt'])
      assert.equal(raw.includes(secret), false, `${phase}: "${secret}"`);
    if (phase === 'open') db.close();
  }
});
