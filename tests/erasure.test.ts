import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { AffectService } from '../electron/api/service.js';
import { createTrack, addSegment } from '../electron/store/annotations-repo.js';
import { allAudit } from '../electron/store/audit-repo.js';
import { ensureClient } from '../electron/store/clients-repo.js';
import { saveDassAdministration } from '../electron/store/dass-repo.js';
import { openDatabase, type Db } from '../electron/store/db.js';
import { compactAfterErasure, erase, erasurePreview } from '../electron/store/erase-repo.js';
import { addJobs } from '../electron/store/jobs-repo.js';
import { rawBytes } from './helpers/raw-bytes.js';
import { badInputFixtures, SAMPLE } from './helpers/media-fixtures.js';
import { tempDir } from './helpers/paths.js';
import { storeScriptedSession } from './helpers/stored-session.js';
import { attachTestTranscript, writeVtt } from './helpers/transcripts.js';

const GONE = {
  code: 'ERASE-ME-8812',
  name: 'Ophelia Erasable',
  note: 'reports suicidal ideation since March',
  said: 'Quorbleflax nightmares about Zenthwick bridge',
  speaker: 'Ophelia Zoomname',
};
const KEPT = {
  code: 'KEEP-ME-3390',
  name: 'Kept Person',
  note: 'sleeps well, calmer this month',
  said: 'Marmaduke gardening every Vellichor morning',
  speaker: 'Kept Zoomname',
};

/** A client with two sessions (one recording each), a transcript, two DASS-21 entries with a note, an annotation track and a finished import job. */
async function clientWithEverything(db: Db, who: typeof GONE, recording: string) {
  const client = ensureClient(db, who.code, who.name);
  const s1 = await storeScriptedSession(
    db,
    recording,
    { faceAt: () => 'happy', voiceAt: () => 'sad' },
    { clientId: client.id, title: `${who.code} first` },
  );
  const s2 = await storeScriptedSession(db, recording, { faceAt: () => 'sad', voiceAt: () => null }, { clientId: client.id });
  saveDassAdministration(db, { clientId: client.id, administeredOn: '2026-01-05', answers: Array(21).fill(1), notes: who.note, sessionId: s1 });
  saveDassAdministration(db, { clientId: client.id, administeredOn: '2026-02-05', answers: Array(21).fill(2), notes: who.note });
  const track = createTrack(db, { sessionId: s1, annotator: `rater-${who.code}` });
  addSegment(db, track.id, { start: 0, end: 2, label: 'happy' });
  const vtt = writeVtt(tempDir(), `${who.code}.vtt`, [
    [0.5, 2.5, who.speaker, who.said],
    [3, 4.5, 'Therapist', 'I see.'],
  ]);
  await attachTestTranscript(db, s1, vtt, { durationS: 5 });
  const [job] = addJobs(db, [recording], client.id, 2);
  db.prepare("UPDATE import_jobs SET status = 'done', session_id = ? WHERE id = ?").run(s2, job.id);
  return { client, sessions: [s1, s2], track };
}

/** Every column of every table that references clients(id) or sessions(id), from the schema itself. */
function referencesTo(db: Db, parent: 'clients' | 'sessions'): Array<{ table: string; column: string; onDelete: string }> {
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>
  ).map((t) => t.name);
  return tables.flatMap((table) =>
    (db.prepare('SELECT * FROM pragma_foreign_key_list(?)').all(table) as Array<{ table: string; from: string; on_delete: string }>)
      .filter((fk) => fk.table === parent)
      .map((fk) => ({ table, column: fk.from, onDelete: fk.on_delete })),
  );
}

test('erasing a client on a plain database leaves no trace of its code, file name or DASS note in the file, its WAL or SHM; the other client stays', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'erase.sqlite');
  const db = openDatabase(file);
  const { wav } = badInputFixtures();
  const goneRecording = path.join(dir, 'ophelia-session-0412.wav');
  (await import('node:fs')).copyFileSync(wav, goneRecording);
  const gone = await clientWithEverything(db, GONE, goneRecording);
  const kept = await clientWithEverything(db, KEPT, SAMPLE);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const before = rawBytes(file);
  // The transcript's words are in the cues and, lower-cased, as terms of the search index.
  const goneWords = [GONE.said, GONE.speaker, 'quorbleflax', 'zenthwick', `${GONE.code}.vtt`];
  for (const s of [GONE.code, GONE.name, GONE.note, 'ophelia-session-0412', KEPT.code, KEPT.note, ...goneWords, 'marmaduke'])
    assert.ok(before.includes(s), `before: "${s}" is in the raw bytes (the test can see it)`);

  assert.deepEqual(erasurePreview(db, { kind: 'client', id: gone.client.id }), {
    clients: 1,
    sessions: 2,
    dass: 2,
    annotationTracks: 1,
    annotationSegments: 1,
    importJobs: 1,
    transcripts: 1,
    recordings: 2,
  });
  const counts = erase(db, { kind: 'client', id: gone.client.id }, 'cli');
  assert.equal(counts.sessions, 2);
  // While the connection is still open (WAL and SHM files present) and after compaction.
  assert.deepEqual(compactAfterErasure(db), { ok: true });
  const after = rawBytes(file);
  for (const s of [GONE.code, GONE.name, GONE.note, 'ophelia-session-0412', `rater-${GONE.code}`, ...goneWords])
    assert.equal(after.includes(s), false, `after: "${s}" is gone from the raw bytes`);
  for (const s of [KEPT.code, KEPT.note, KEPT.name, `rater-${KEPT.code}`, 'sample.mp4', KEPT.said, 'marmaduke'])
    assert.ok(after.includes(s), `after: the other client's "${s}" stays`);
  // The kept client's words are still found by the search; the erased client's are not anywhere.
  assert.equal((db.prepare('SELECT count(*) AS n FROM transcript_search WHERE transcript_search MATCH ?').get('marmaduke') as { n: number }).n, 1);
  assert.equal((db.prepare('SELECT count(*) AS n FROM transcript_search WHERE transcript_search MATCH ?').get('quorbleflax') as { n: number }).n, 0);
  // The other client's data is intact.
  assert.equal((db.prepare('SELECT count(*) AS n FROM sessions WHERE client_id = ?').get(kept.client.id) as { n: number }).n, 2);
  assert.equal((db.prepare('SELECT count(*) AS n FROM frame_results WHERE session_id IN (?, ?)').get(...kept.sessions) as { n: number }).n > 0, true);
  // The audit entry names ids and counts only.
  const entry = allAudit(db).at(-1)!;
  assert.equal(entry.action, 'erase');
  assert.equal(entry.objectId, gone.client.id);
  assert.equal(JSON.stringify(entry).includes(GONE.code), false);
  db.close();
  const closed = rawBytes(file);
  for (const s of [GONE.code, GONE.note, 'ophelia-session-0412']) assert.equal(closed.includes(s), false, `closed: "${s}"`);
});

test('no table keeps a row pointing at an erased client or session; every reference cascades (or is a listed exception)', async () => {
  const db = openDatabase(path.join(tempDir(), 'fk.sqlite'));
  // SET NULL is allowed only where the row belongs to someone else: a session moved off a deleted client is
  // erased explicitly first, and a DASS-21 entry outlives a session it was linked to (it is the client's).
  const SET_NULL_OK = new Set(['sessions.client_id', 'dass_administrations.session_id']);
  for (const parent of ['clients', 'sessions'] as const)
    for (const ref of referencesTo(db, parent))
      assert.ok(
        ref.onDelete === 'CASCADE' || SET_NULL_OK.has(`${ref.table}.${ref.column}`),
        `${ref.table}.${ref.column} → ${parent}: ON DELETE ${ref.onDelete}; a table holding a client's or session's data must say ON DELETE CASCADE`,
      );

  const gone = await clientWithEverything(db, GONE, SAMPLE);
  const kept = await clientWithEverything(db, KEPT, SAMPLE);
  erase(db, { kind: 'client', id: gone.client.id }, 'app');
  for (const ref of referencesTo(db, 'clients')) {
    const n = (db.prepare(`SELECT count(*) AS n FROM "${ref.table}" WHERE "${ref.column}" = ?`).get(gone.client.id) as { n: number }).n;
    assert.equal(n, 0, `${ref.table}.${ref.column} still points at the erased client`);
  }
  for (const ref of referencesTo(db, 'sessions'))
    for (const sid of gone.sessions) {
      const n = (db.prepare(`SELECT count(*) AS n FROM "${ref.table}" WHERE "${ref.column}" = ?`).get(sid) as { n: number }).n;
      assert.equal(n, 0, `${ref.table}.${ref.column} still points at erased session ${sid}`);
    }
  assert.equal(
    (db.prepare('SELECT count(*) AS n FROM media WHERE id NOT IN (SELECT media_id FROM sessions)').get() as { n: number }).n,
    0,
    'no orphaned recording rows',
  );
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  assert.equal((db.prepare('SELECT count(*) AS n FROM sessions WHERE client_id = ?').get(kept.client.id) as { n: number }).n, 2);
  db.close();
});

test('erase a session, a DASS-21 entry, an annotation track: only that goes', async () => {
  const db = openDatabase(path.join(tempDir(), 'parts.sqlite'));
  const a = await clientWithEverything(db, GONE, SAMPLE);
  const [s1, s2] = a.sessions;
  assert.deepEqual(erasurePreview(db, { kind: 'session', id: s1 }), {
    clients: 0,
    sessions: 1,
    dass: 0,
    annotationTracks: 1,
    annotationSegments: 1,
    importJobs: 0,
    transcripts: 1,
    recordings: 1,
  });
  erase(db, { kind: 'session', id: s1 }, 'cli');
  const n = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
  assert.equal(n('SELECT count(*) AS n FROM sessions WHERE id = ?', s1), 0);
  assert.equal(n('SELECT count(*) AS n FROM sessions WHERE id = ?', s2), 1);
  assert.equal(n('SELECT count(*) AS n FROM annotation_tracks'), 0, 'its track went with it');
  assert.equal(n('SELECT count(*) AS n FROM transcripts'), 0, 'its transcript went with it');
  assert.equal(n('SELECT count(*) AS n FROM transcript_cues'), 0, 'and its cues');
  assert.equal(
    n('SELECT count(*) AS n FROM dass_administrations WHERE client_id = ?', a.client.id),
    2,
    "the client's DASS-21 entries stay (the link is cleared)",
  );
  assert.equal(n('SELECT count(*) AS n FROM media'), 1, "the erased session's recording row went, the other session's stays");
  const dassId = (db.prepare('SELECT id FROM dass_administrations LIMIT 1').get() as { id: number }).id;
  erase(db, { kind: 'dass', id: dassId }, 'cli');
  assert.equal(n('SELECT count(*) AS n FROM dass_administrations'), 1);
  const t = createTrack(db, { sessionId: s2, annotator: 'second rater' });
  addSegment(db, t.id, { start: 1, end: 3, label: 'sad' });
  erase(db, { kind: 'annotation-track', id: t.id }, 'cli');
  assert.equal(n('SELECT count(*) AS n FROM annotation_segments'), 0);
  assert.throws(() => erase(db, { kind: 'session', id: 999 }, 'cli'), /no session with id 999/);
  db.close();
});

test('through the API: preview names what goes, erase.run removes it and compacts, and the audit log records ids and counts', async () => {
  const file = path.join(tempDir(), 'api.sqlite');
  const db = openDatabase(file);
  const svc = new AffectService({ db, databasePath: file, engine: () => Promise.reject(new Error('no engine needed')) });
  const a = await clientWithEverything(db, GONE, SAMPLE);
  const preview = await svc.call('erase.preview', { kind: 'client', id: a.client.id });
  assert.equal(preview.description, '2 sessions, 2 DASS-21 entries, 1 annotation track, 1 import job, 1 transcript');
  const done = await svc.call('erase.run', { kind: 'client', id: a.client.id });
  assert.equal(done.compacted, true);
  assert.equal(done.warning, null);
  assert.deepEqual(await svc.call('clients.list', { includeArchived: true }), []);
  await assert.rejects(svc.call('erase.preview', { kind: 'client', id: a.client.id }), /no client with id/);
  await svc.close();
  db.close();
  assert.equal(rawBytes(file).includes(GONE.code), false);
});
