import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { saveDassAdministration, listDassAdministrations } from '../electron/store/dass-repo.js';
import { ensureClient } from '../electron/store/clients-repo.js';
import { openDatabase } from '../electron/store/db.js';
import { mergeDatabase } from '../electron/store/merge.js';
import { addSegment, createTrack, listSegments, listTracks } from '../electron/store/annotations-repo.js';
import { getFrames, listSessions } from '../electron/store/sessions-repo.js';
import { finishRun, listRuns, startRun } from '../electron/store/selfcare-repo.js';
import { listParticipants, setClientParticipant, setParticipantName } from '../electron/store/participants-repo.js';
import { tempDir } from './helpers/paths.js';
import { SAMPLE_MP4, storeScriptedSession } from './helpers/stored-session.js';

test('merge carries sessions, participants (names, client, faces kept for the client), frames, clients, DASS-21, annotation tracks and self-care runs, once', async () => {
  const dir = tempDir();
  const src = openDatabase(path.join(dir, 'src.sqlite'));
  const client = ensureClient(src, 'M-1', 'Merge');
  const sessionId = await storeScriptedSession(
    src,
    SAMPLE_MP4,
    { faceAt: (t) => (t < 10 ? 'sad' : 'happy'), voiceAt: () => 'neutral' },
    { clientId: client.id },
  );
  const track = createTrack(src, { sessionId, annotator: 'rater1' });
  addSegment(src, track.id, { start: 0, end: 4.5, label: 'sad' });
  addSegment(src, track.id, { start: 10, end: 15, label: 'happy' });
  saveDassAdministration(src, { clientId: client.id, administeredOn: '2026-11-01', answers: Array(21).fill(1), sessionId });
  const run = startRun(src, { clientId: client.id, exercise: 'breathing', level: 1, mode: 'client', tensionBefore: 6 });
  finishRun(src, run.id, { outcome: 'completed', lengthS: 120, tensionAfter: 3 });
  // The participant is named and marked the client; its face (a descriptor) is kept with the client.
  src
    .prepare("UPDATE participants SET face_embedding = ?, embedding_model = 'face-identity-dlib@1.0.0', embedding_count = 3 WHERE session_id = ?")
    .run(Buffer.alloc(128 * 4, 1), sessionId);
  setParticipantName(src, sessionId, 1, 'Alex');
  setClientParticipant(src, sessionId, 1);
  const srcFrames = getFrames(src, sessionId);
  src.close();

  const target = openDatabase(path.join(dir, 'target.sqlite'));
  const first = mergeDatabase(target, path.join(dir, 'src.sqlite'));
  assert.deepEqual(
    { ...first, source: '' },
    { source: '', sessionsAdded: 1, sessionsSkipped: 0, clientsAdded: 1, dassAdded: 1, tracksAdded: 1, selfCareRunsAdded: 1, participantsAdded: 1 },
  );
  const [merged] = listSessions(target);
  assert.equal(merged.summary.session.id, merged.id);
  assert.deepEqual(
    getFrames(target, merged.id),
    srcFrames.map((f) => ({ ...f })),
  );
  const [t] = listTracks(target, merged.id);
  assert.equal(t.annotator, 'rater1');
  assert.deepEqual(
    listSegments(target, t.id).map((s) => [s.start, s.end, s.label]),
    [
      [0, 4.5, 'sad'],
      [10, 15, 'happy'],
    ],
  );
  assert.deepEqual(
    listParticipants(target, merged.id).map((p) => [p.number, p.name, p.isClient, p.embedding?.count]),
    [[1, 'Alex', true, 3]],
  );
  assert.deepEqual(target.prepare('SELECT client_id AS clientId, name, is_client AS isClient FROM client_faces').all(), [
    { clientId: merged.clientId, name: 'Alex', isClient: 1 },
  ]);
  const [dass] = listDassAdministrations(target, merged.clientId!);
  assert.equal(dass.sessionId, merged.id, 'the administration still points at its session');
  assert.deepEqual(
    listRuns(target, merged.clientId!).map((r) => [r.exercise, r.level, r.outcome, r.tensionBefore, r.tensionAfter, r.startedAt]),
    [['breathing', 1, 'completed', 6, 3, run.startedAt]],
  );

  const second = mergeDatabase(target, path.join(dir, 'src.sqlite'));
  assert.deepEqual(
    { ...second, source: '' },
    { source: '', sessionsAdded: 0, sessionsSkipped: 1, clientsAdded: 0, dassAdded: 0, tracksAdded: 0, selfCareRunsAdded: 0, participantsAdded: 0 },
  );
  target.close();
});
