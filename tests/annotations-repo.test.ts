import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { readFrameTimes, snapPoints, snapToPoints } from '../electron/analysis/media/frame-times.js';
import {
  addSegment,
  AnnotationError,
  createTrack,
  deleteSegment,
  ensureFrameTimes,
  ensureLabelScheme,
  getFrameTimes,
  listEdits,
  listSegments,
  materialiseModelTrack,
  mergeSegments,
  modelSpans,
  moveSegmentEdges,
  redo,
  relabelSegment,
  splitSegment,
  undo,
} from '../electron/store/annotations-repo.js';
import { openDatabase } from '../electron/store/db.js';
import { sharedPath, skipWithoutShared, tempDir } from './helpers/paths.js';
import { SAMPLE_MP4, storeScriptedSession } from './helpers/stored-session.js';

const ff = resolveFfmpeg();
const VFR_MOV = sharedPath('videos', 'noface_face.mov');
const simple = (segs: Array<{ start: number; end: number; label: string }>) => segs.map((s) => [s.start, s.end, s.label]);

test('frame times of the bundled sample: one per frame, constant 24000/1001 spacing, end = stream duration', async () => {
  const ft = await readFrameTimes(SAMPLE_MP4, ff);
  assert.equal(ft.times.length, 472);
  assert.equal(ft.times[0], 0);
  for (let i = 1; i < ft.times.length; i++) assert.ok(Math.abs(ft.times[i] - ft.times[i - 1] - 1001 / 24000) < 1e-5, `step ${i}`);
  assert.ok(Math.abs(ft.endS - 19.686333) < 1e-3, String(ft.endS));
  assert.equal(snapToPoints(1.0, snapPoints(ft)), ft.times[24]); // 24 * 1001/24000 = 1.001
  assert.equal(snapToPoints(1e6, snapPoints(ft)), ft.endS);
});

test(
  'frame times of a variable-frame-rate HEVC .mov: packet pts equal decoded frame pts, steps vary',
  { skip: skipWithoutShared('videos/noface_face.mov') },
  async () => {
    const packets = await readFrameTimes(VFR_MOV, ff);
    const frames = await readFrameTimes(VFR_MOV, ff, { method: 'frames' });
    assert.deepEqual(packets.times, frames.times);
    assert.equal(packets.times.length, 169);
    const steps = new Set(packets.times.slice(1).map((t, i) => Math.round((t - packets.times[i]) * 1e4)));
    assert.ok(steps.size >= 3, `variable frame rate: ${[...steps].join(', ')} (×0.1 ms)`);
    assert.ok(packets.endS >= packets.times[packets.times.length - 1]);
  },
);

test('snapToPoints picks the nearest point, ties to the earlier one', () => {
  const pts = [0, 0.1, 0.25, 0.5];
  assert.equal(snapToPoints(-3, pts), 0);
  assert.equal(snapToPoints(0.04, pts), 0);
  assert.equal(snapToPoints(0.05, pts), 0);
  assert.equal(snapToPoints(0.2, pts), 0.25);
  assert.equal(snapToPoints(0.375, pts), 0.25);
  assert.equal(snapToPoints(9, pts), 0.5);
});

async function sessionDb(file = SAMPLE_MP4) {
  const dbPath = path.join(tempDir(), 'annotations.sqlite');
  const db = openDatabase(dbPath);
  const sessionId = await storeScriptedSession(db, file, {
    faceAt: (t) => (t < 8 ? 'happy' : 'sad'),
    voiceAt: (t) => (t < 10 ? 'neutral' : 'angry'),
  });
  await ensureFrameTimes(db, sessionId, ff);
  return { db, dbPath, sessionId };
}

test('edits snap to real frame times, never overlap, and undo/redo survive a restart', async () => {
  let { db, dbPath, sessionId } = await sessionDb();
  const ft = getFrameTimes(db, sessionId)!;
  assert.equal(ft.times.length, 472);
  const frame = (i: number) => ft.times[i];
  const track = createTrack(db, { sessionId, annotator: 'rater A' });

  const a = addSegment(db, track.id, { start: 1.0, end: 2.0, label: 'happy' });
  assert.deepEqual([a.start, a.end], [frame(24), frame(48)], 'edges snapped to the container frame times');
  const b = addSegment(db, track.id, { start: 2.0, end: 3.0, label: 'sad' });
  assert.equal(b.start, a.end, 'adjacent segments share an edge exactly');

  assert.throws(() => addSegment(db, track.id, { start: 1.5, end: 2.5, label: 'angry' }), AnnotationError);
  assert.throws(() => moveSegmentEdges(db, a.id, { end: 2.5 }), /overlaps/);
  assert.throws(() => addSegment(db, track.id, { start: 5, end: 6, label: 'bored' }), /not in scheme/);
  assert.throws(() => addSegment(db, track.id, { start: 5, end: 5.01, label: 'happy' }), /end after it starts/, 'shorter than a frame');
  assert.throws(() => addSegment(db, track.id, { start: 19, end: 25, label: 'happy' }), /outside the recording/);
  // The database itself refuses an overlap from any other writer.
  assert.throws(
    () => db.prepare('INSERT INTO annotation_segments (track_id, start_s, end_s, label) VALUES (?, ?, ?, ?)').run(track.id, 1.2, 1.3, 'sad'),
    /must not overlap/,
  );

  const [left, right] = splitSegment(db, a.id, 1.5);
  assert.deepEqual(simple([left, right]), [
    [frame(24), frame(36), 'happy'],
    [frame(36), frame(48), 'happy'],
  ]);
  relabelSegment(db, right.id, 'surprised');
  const merged = mergeSegments(db, left.id, right.id);
  assert.deepEqual(simple([merged]), [[frame(24), frame(48), 'happy']]);
  const moved = moveSegmentEdges(db, b.id, { end: 4.0 });
  assert.equal(moved.id, b.id, 'a moved segment keeps its id');
  assert.equal(moved.end, frame(96));
  deleteSegment(db, merged.id);
  assert.deepEqual(simple(listSegments(db, track.id)), [[frame(48), frame(96), 'sad']]);
  assert.deepEqual(
    listEdits(db, track.id).map((e) => e.op),
    ['create', 'create', 'split', 'relabel', 'merge', 'move', 'delete'],
  );

  // Restart: close and reopen the database file; the history is still there.
  db.close();
  db = openDatabase(dbPath);
  assert.equal(undo(db, track.id)?.op, 'delete');
  assert.equal(undo(db, track.id)?.op, 'move');
  assert.deepEqual(simple(listSegments(db, track.id)), [
    [frame(24), frame(48), 'happy'],
    [frame(48), frame(72), 'sad'],
  ]);
  assert.equal(undo(db, track.id)?.op, 'merge');
  assert.deepEqual(simple(listSegments(db, track.id)), [
    [frame(24), frame(36), 'happy'],
    [frame(36), frame(48), 'surprised'],
    [frame(48), frame(72), 'sad'],
  ]);
  db.close();
  db = openDatabase(dbPath);
  assert.equal(redo(db, track.id)?.op, 'merge');
  assert.deepEqual(simple(listSegments(db, track.id)), [
    [frame(24), frame(48), 'happy'],
    [frame(48), frame(72), 'sad'],
  ]);
  // A new edit drops what was left to redo (move, delete).
  addSegment(db, track.id, { start: 10, end: 11, label: 'calm' });
  assert.equal(redo(db, track.id), null);
  assert.deepEqual(
    listEdits(db, track.id).map((e) => e.op),
    ['create', 'create', 'split', 'relabel', 'merge', 'create'],
  );
  for (let i = 0; i < 6; i++) undo(db, track.id);
  assert.deepEqual(listSegments(db, track.id), [], 'undoing every edit empties the track');
  assert.equal(undo(db, track.id), null);
  db.close();
});

test('custom label schemes; model tracks are read-only', async () => {
  const { db, sessionId } = await sessionDb();
  const scheme = ensureLabelScheme(db, 'valence', ['positive', 'neutral', 'negative']);
  assert.throws(() => ensureLabelScheme(db, 'valence', ['pos', 'neg']), /other labels/);
  const t = createTrack(db, { sessionId, annotator: 'rater B', scheme: 'valence' });
  assert.equal(t.scheme.id, scheme.id);
  addSegment(db, t.id, { start: 0, end: 1, label: 'positive' });
  assert.throws(() => addSegment(db, t.id, { start: 2, end: 3, label: 'happy' }), /not in scheme "valence"/);
  assert.throws(() => createTrack(db, { sessionId, annotator: 'rater B' }), /already has a track/);
  assert.throws(() => createTrack(db, { sessionId, annotator: 'model-face' }), /reserved/);

  const face = materialiseModelTrack(db, sessionId, 'model-face');
  assert.ok(face.readOnly);
  const segs = listSegments(db, face.id);
  // Scripted: happy before 8 s, sad after; frames every 0.5 s.
  assert.deepEqual(simple(segs), [
    [0, 8, 'happy'],
    [8, segs[1].end, 'sad'],
  ]);
  assert.ok(Math.abs(segs[1].end - 19.69) < 0.01);
  assert.throws(() => addSegment(db, face.id, { start: 0, end: 1, label: 'happy' }), /read-only/);
  assert.throws(() => deleteSegment(db, segs[0].id), /read-only/);
  const voice = modelSpans(db, sessionId, 'model-voice');
  assert.equal(voice[0].label, 'neutral');
  assert.equal(voice[voice.length - 1].label, 'angry');
  // Windows start each second; window i (centre i + 1.5) owns [i + 1, i + 2): window 9 (centre 10.5, angry) starts the change at 10 s.
  assert.equal(voice[0].end, 10);
  db.close();
});

test('edges snap to the variable frame times of a VFR recording', { skip: skipWithoutShared('videos/noface_face.mov') }, async () => {
  const { db, sessionId } = await sessionDb(VFR_MOV);
  const ft = getFrameTimes(db, sessionId)!;
  const track = createTrack(db, { sessionId, annotator: 'rater A' });
  const seg = addSegment(db, track.id, { start: 0.02, end: 3.3, label: 'neutral' });
  assert.ok(ft.times.includes(seg.start) && ft.times.includes(seg.end));
  assert.equal(seg.start, 0.013672, 'the second frame comes 13.7 ms after the first');
  const nearest = ft.times.reduce((best, t) => (Math.abs(t - 3.3) < Math.abs(best - 3.3) ? t : best));
  assert.equal(seg.end, nearest);
  db.close();
});
