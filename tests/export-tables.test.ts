import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseCsv } from '../electron/analysis/csv.js';
import { addSegment, createTrack } from '../electron/store/annotations-repo.js';
import { ensureClient } from '../electron/store/clients-repo.js';
import { openDatabase } from '../electron/store/db.js';
import { getFrames, getWindows } from '../electron/store/sessions-repo.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';
import { FIXTURE_FACE_LABELS, SAMPLE_MP4, storeScriptedSession } from './helpers/stored-session.js';

test('affect export csv/json per frame, window, segment and summary, for one session, a client, or all', async () => {
  const dir = tempDir();
  const dbPath = path.join(dir, 't.sqlite');
  const db = openDatabase(dbPath);
  const clientId = ensureClient(db, 'P,01 "x"').id;
  const s1 = await storeScriptedSession(db, SAMPLE_MP4, { faceAt: (t) => (t < 3 ? null : 'happy'), voiceAt: () => 'calm' }, { clientId });
  const s2 = await storeScriptedSession(db, SAMPLE_MP4, { faceAt: () => 'sad', voiceAt: (t) => (t < 5 ? null : 'angry') });
  const track = createTrack(db, { sessionId: s1, annotator: 'ann' });
  addSegment(db, track.id, { start: 1, end: 2, label: 'surprised' });
  const frames1 = getFrames(db, s1);
  const windows = getWindows(db, s1).length + getWindows(db, s2).length;
  db.close();
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/affect.mjs'), 'export', ...args, '--db', dbPath], { encoding: 'utf8' });
  const csvOf = (file: string) => {
    const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
    return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
  };

  const f = path.join(dir, 'frames.csv');
  assert.equal(cli(String(s1), '--format', 'csv', '--per', 'frame', '--out', f).status, 0);
  const fr = csvOf(f);
  assert.equal(fr.length, frames1.length);
  assert.equal(fr[0].client_code, 'P,01 "x"', 'quoted CSV cell survives');
  assert.equal(fr[0].face_found, 'false');
  assert.equal(fr[0].p_happy, '');
  const withFace = fr.find((r) => r.face_found === 'true')!;
  assert.equal(withFace.label, 'happy');
  assert.equal(Number(withFace.p_happy), 0.7);
  assert.equal(withFace.p_calm, '', 'the face model has no calm: empty, not 0');
  const k = FIXTURE_FACE_LABELS.indexOf('sad');
  assert.ok(Math.abs(Number(withFace.p_sad) - frames1.find((x) => x.label === 'happy')!.probs![k]) < 1e-6);

  const w = path.join(dir, 'w.json');
  assert.equal(cli('all', '--format', 'json', '--per', 'window', '--out', w).status, 0);
  const wj = JSON.parse(readFileSync(w, 'utf8'));
  assert.equal(wj.rows.length, windows);
  assert.deepEqual([...new Set(wj.rows.map((r: { session_id: number }) => r.session_id))], [s1, s2]);
  assert.match(wj.note, /not a diagnosis/);

  const seg = path.join(dir, 'seg.csv');
  assert.equal(cli(`client:P,01 "x"`, '--format', 'csv', '--per', 'segment', '--out', seg).status, 0);
  const sr = csvOf(seg);
  assert.deepEqual(
    sr.filter((r) => r.annotator === 'ann').map((r) => [r.label, r.source]),
    [['surprised', 'human']],
  );
  assert.ok(sr.some((r) => r.annotator === 'model-face' && r.label === 'happy' && Number(r.start_s) === 3));
  assert.ok(
    sr.every((r) => Number(r.session_id) === s1),
    'only the client’s session',
  );

  const sum = path.join(dir, 'sum.csv');
  assert.equal(cli('all', '--format', 'csv', '--out', sum).status, 0, 'default --per summary');
  const su = csvOf(sum);
  assert.deepEqual(
    su.map((r) => [Number(r.session_id), r.face_majority, r.voice_majority]),
    [
      [s1, 'happy', 'calm'],
      [s2, 'sad', 'angry'],
    ],
  );
  const sj = path.join(dir, 'sum.json');
  assert.equal(cli(String(s2), '--format', 'json', '--per', 'summary', '--out', sj).status, 0);
  assert.equal(JSON.parse(readFileSync(sj, 'utf8')).rows[0].summary.face.majority, 'sad');

  assert.equal(cli('999', '--format', 'csv', '--out', sum).status, 1);
  assert.equal(cli(String(s1), '--format', 'xml', '--out', sum).status, 2);
  assert.equal(cli(String(s1), '--format', 'pdf', '--per', 'frame', '--out', sum).status, 2);
});
