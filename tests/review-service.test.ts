import assert from 'node:assert/strict';
import { copyFileSync, existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { AffectService } from '../electron/api/service.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { probeMedia } from '../electron/analysis/media/probe.js';
import { ensureClient } from '../electron/store/clients-repo.js';
import { openDatabase } from '../electron/store/db.js';
import { badInputFixtures } from './helpers/media-fixtures.js';
import { offsetFixtures } from './helpers/offset-media.js';
import { sharedPath, skipWithoutShared, tempDir } from './helpers/paths.js';
import { SAMPLE_MP4, storeScriptedSession } from './helpers/stored-session.js';

/** The review's server side: recording dates, moved recordings, coverage, import failures, playback copies. */
function service() {
  const dir = tempDir();
  const file = path.join(dir, 'svc.sqlite');
  const db = openDatabase(file);
  const svc = new AffectService({ db, databasePath: file, engine: () => Promise.reject(new Error('no engine needed')) });
  return { dir, db, svc, close: async () => (await svc.close(), db.close()) };
}

test(
  'item 3: the container date becomes the recording date; the user can correct it, never to a future date',
  { skip: skipWithoutShared('videos') },
  async () => {
    const { db, svc, close } = service();
    try {
      const id = await storeScriptedSession(db, sharedPath('videos', 'face_noface.mov'), { faceAt: () => 'happy', voiceAt: () => null });
      const got = await svc.call('sessions.get', { id });
      assert.equal(got.recordedAt, '2023-02-03T21:48:14.000Z');
      assert.equal(got.recordedAtSource, 'container');
      const s = await svc.call('sessions.setRecordedAt', { id, recordedAt: '2023-02-02' });
      assert.equal(s.recordedAt, '2023-02-02');
      assert.equal(s.recordedAtSource, 'user');
      assert.equal(s.containerDate, '2023-02-03T21:48:14.000Z', 'the file’s own date is kept beside the correction');
      await assert.rejects(svc.call('sessions.setRecordedAt', { id, recordedAt: '2030-01-01' }), /in the future/);
      await assert.rejects(svc.call('sessions.setRecordedAt', { id, recordedAt: '2023-02-30' }), /not a calendar day/);
      assert.equal((await svc.call('sessions.get', { id })).recordedAt, '2023-02-02', 'a refused date changes nothing');
      // The trend uses the recording date, and says where it came from.
      const clientId = ensureClient(db, 'T-1').id;
      await svc.call('sessions.assign', { id, clientId });
      const trends = await svc.call('trends.get', { clientId });
      assert.equal(trends.sessions[0].date, '2023-02-02');
      assert.equal(trends.sessions[0].dateSource, 'user');
    } finally {
      await close();
    }
  },
);

test('item 3: a recording without a date says so (the analysis date stands in, marked as such)', async () => {
  const { db, svc, close } = service();
  try {
    const id = await storeScriptedSession(db, SAMPLE_MP4, { faceAt: () => 'happy', voiceAt: () => null });
    const s = await svc.call('sessions.get', { id });
    assert.equal(s.recordedAt, null);
    const clientId = ensureClient(db, 'T-2').id;
    await svc.call('sessions.assign', { id, clientId });
    assert.equal((await svc.call('trends.get', { clientId })).sessions[0].dateSource, 'analysed');
  } finally {
    await close();
  }
});

test('item 4: a moved recording is reported missing and can be located again, checked by its content', async () => {
  const { dir, db, svc, close } = service();
  try {
    const original = path.join(dir, 'session one.mp4');
    copyFileSync(SAMPLE_MP4, original);
    const id = await storeScriptedSession(db, original, { faceAt: () => 'happy', voiceAt: () => 'calm' });
    assert.equal((await svc.call('sessions.get', { id })).fileAvailable, true);
    const moved = path.join(dir, 'archive', 'renamed.mp4');
    (await import('node:fs')).mkdirSync(path.dirname(moved));
    renameSync(original, moved);
    const missing = await svc.call('sessions.get', { id });
    assert.equal(missing.fileAvailable, false);
    assert.equal((await svc.call('media.source', { sessionId: id, variant: 'original' })).file, null);
    // Another file is refused, by content, whatever its name.
    const other = path.join(dir, 'session one.mp4');
    copyFileSync(badInputFixtures().videoNoAudio, other);
    await assert.rejects(svc.call('sessions.relocate', { id, path: other }), /not this session's recording: its content differs/);
    const located = await svc.call('sessions.relocate', { id, path: moved });
    assert.equal(located.file, moved);
    assert.equal(located.fileAvailable, true);
    assert.equal((await svc.call('media.source', { sessionId: id, variant: 'original' })).file, moved);
  } finally {
    await close();
  }
});

test('item 5: coverage in every session view; below the minimum a track says "too little data"; the minimum is a setting', async () => {
  const { db, svc, close } = service();
  try {
    // 4 of 40 frames with a face (one false detection's worth), no speech.
    const sparse = await storeScriptedSession(db, SAMPLE_MP4, { faceAt: (t) => (t < 2 ? 'sad' : null), voiceAt: () => null });
    const full = await storeScriptedSession(db, SAMPLE_MP4, { faceAt: () => 'happy', voiceAt: () => 'calm' });
    const s = await svc.call('sessions.get', { id: sparse });
    assert.equal(s.summary.face.majority, 'sad', 'the stored vote is kept as it was');
    assert.equal(s.coverage.face.enough, false);
    assert.equal(s.coverage.face.framesWithFace, 4);
    assert.match(s.coverage.face.why!, /^too little data: a face in 4 of 40 frames \(10 %\)/);
    assert.equal(s.coverage.voice.enough, false);
    assert.equal(s.coverage.voice.why, 'no speech');
    assert.equal(s.coverage.fused.label, null);
    const f = await svc.call('sessions.get', { id: full });
    assert.equal(f.coverage.face.enough, true);
    assert.equal(f.coverage.face.share, 1);
    assert.ok(f.coverage.voice.share! > 0.9, `speech share ${f.coverage.voice.share}`);
    assert.deepEqual(f.coverage.fused.tracks, ['face', 'voice']);
    // A looser minimum (a face in 5 % of frames, 2 frames) lets the sparse session's face speak; the voice still has none.
    await svc.call('coverage.setRule', { rule: { minFaceShare: 0.05, minFaceFrames: 2, minSpeechShare: 0.1, minSpeechS: 5 } });
    const loose = await svc.call('sessions.get', { id: sparse });
    assert.equal(loose.coverage.face.enough, true);
    assert.deepEqual(loose.coverage.fused.tracks, ['face']);
    assert.equal(loose.coverage.fused.label, 'sad', 'fused from the face alone');
    assert.deepEqual(await svc.call('coverage.setRule', { rule: null }), {
      minFaceShare: 0.2,
      minFaceFrames: 10,
      minSpeechShare: 0.1,
      minSpeechS: 5,
    });
    // The list and the trends carry the same coverage.
    const listed = (await svc.call('sessions.list', {})).find((x) => x.id === sparse)!;
    assert.equal(listed.coverage.face.enough, false);
  } finally {
    await close();
  }
});

test(
  'item 12: an import that fails on the file itself says so in words, keeps the tool text apart, and offers no retry',
  { timeout: 60_000 },
  async () => {
    const dir = tempDir();
    const file = path.join(dir, 'q.sqlite');
    const db = openDatabase(file);
    const { AnalysisEngine } = await import('../electron/analysis/engine.js');
    const svc = new AffectService({ db, databasePath: file, engine: (m) => AnalysisEngine.create({ ...m, threads: 1 }) });
    try {
      const fx = badInputFixtures();
      const [job] = await svc.call('jobs.enqueue', { paths: [fx.textAsMp4] });
      await svc.queue.idle();
      const failed = (await svc.call('jobs.list', {})).find((j) => j.id === job.id)!;
      assert.equal(failed.status, 'failed');
      assert.match(failed.error!, /^is not a readable audio or video file/);
      assert.ok(!failed.error!.includes(fx.dir), 'the problem does not repeat the path');
      assert.match(failed.errorDetail!, /^ffprobe: /);
      assert.equal(failed.retryable, false);
      await assert.rejects(svc.call('jobs.retry', { id: job.id }), /would fail the same way/);
      // A missing file may come back: that failure can be retried.
      const gone = path.join(dir, 'later.mp4');
      const [job2] = await svc.call('jobs.enqueue', { paths: [gone] });
      await svc.queue.idle();
      const missing = (await svc.call('jobs.list', {})).find((j) => j.id === job2.id)!;
      assert.equal(missing.retryable, true);
      await assert.rejects(svc.call('jobs.retry', { id: job2.id }), /later\.mp4 is not there now: put it back and retry/);
      copyFileSync(SAMPLE_MP4, gone);
      assert.ok(
        ['queued', 'running'].includes((await svc.call('jobs.retry', { id: job2.id })).status),
        'once the file is back, the retry is accepted',
      );
      await svc.queue.idle();
    } finally {
      await svc.close();
      db.close();
    }
  },
);

test(
  'item 2: a playback copy of an HEVC recording: H.264, the same clock (a late audio start stays late), 0600 in a 0700 folder',
  { timeout: 180_000 },
  async () => {
    const { dir, db, svc, close } = service();
    try {
      const hevc = path.join(dir, 'phone.mov');
      // An HEVC phone-style file whose audio starts 3 s after the video.
      const { execFileSync } = await import('node:child_process');
      execFileSync(resolveFfmpeg().ffmpeg, [
        '-v',
        'error',
        '-y',
        '-i',
        offsetFixtures().audioLater,
        '-map',
        '0',
        '-c:v',
        'libx265',
        '-preset',
        'ultrafast',
        '-tag:v',
        'hvc1',
        '-c:a',
        'copy',
        '-x265-params',
        'log-level=error',
        hevc,
      ]);
      const id = await storeScriptedSession(db, hevc, { faceAt: () => null, voiceAt: () => 'calm' });
      assert.equal((await svc.call('sessions.get', { id })).media.videoCodec, 'hevc');
      assert.equal((await svc.call('playback.status', { sessionId: id })).state, 'none');
      const started = await svc.call('playback.prepare', { sessionId: id, target: 'h264' });
      assert.equal(started.state, 'running');
      assert.equal((await svc.call('playback.prepare', { sessionId: id, target: 'h264' })).state, 'running', 'asked twice, made once');
      const sha = (db.prepare('SELECT m.sha256 FROM sessions s JOIN media m ON m.id = s.media_id WHERE s.id = ?').get(id) as { sha256: string })
        .sha256;
      await svc.playback.settled(sha);
      const ready = await svc.call('playback.status', { sessionId: id });
      assert.equal(ready.state, 'ready', JSON.stringify(ready));
      const { file } = await svc.call('media.source', { sessionId: id, variant: 'playback' });
      assert.ok(file && existsSync(file));
      assert.equal(path.dirname(file!), path.join(dir, 'playback'));
      assert.equal(statSync(file!).mode & 0o777, 0o600);
      assert.equal(statSync(path.dirname(file!)).mode & 0o777, 0o700);
      const ff = resolveFfmpeg();
      const [src, copy] = [await probeMedia(hevc, ff), await probeMedia(file!, ff)];
      assert.equal(copy.video?.codec, 'h264');
      assert.equal(copy.audio?.codec, 'aac');
      assert.ok(Math.abs(copy.audio!.startS - src.audio!.startS) < 0.05, `audio start ${copy.audio!.startS} vs ${src.audio!.startS}`);
      assert.ok(Math.abs(copy.video!.startS - src.video!.startS) < 0.05);
      assert.ok(Math.abs(copy.durationS - src.durationS) < 0.2);
    } finally {
      await close();
    }
  },
);

test('item 2: a damaged source fails the copy with a message; the copy can be asked for again', { timeout: 60_000 }, async () => {
  const { dir, db, svc, close } = service();
  try {
    const f = path.join(dir, 'clip.mp4');
    copyFileSync(SAMPLE_MP4, f);
    const id = await storeScriptedSession(db, f, { faceAt: () => 'happy', voiceAt: () => null });
    writeFileSync(f, 'no longer a video'); // same path, damaged after the analysis
    await svc.call('playback.prepare', { sessionId: id, target: 'h264' });
    const sha = (db.prepare('SELECT m.sha256 FROM sessions s JOIN media m ON m.id = s.media_id WHERE s.id = ?').get(id) as { sha256: string }).sha256;
    await svc.playback.settled(sha);
    const failed = await svc.call('playback.status', { sessionId: id });
    assert.equal(failed.state, 'failed');
    assert.match(failed.error!, /could not be converted for playback/);
    assert.equal((await svc.call('media.source', { sessionId: id, variant: 'playback' })).file, null);
    assert.ok(!existsSync(path.join(dir, 'playback', `${sha}.mp4.partial`)), 'no partial file left');
  } finally {
    await close();
  }
});
