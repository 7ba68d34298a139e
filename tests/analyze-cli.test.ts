import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { before, test } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import { EMOTION_LABELS } from '../electron/contract/shared/labels.js';
import { badInputFixtures, SAMPLE, type BadInputFixtures } from './helpers/media-fixtures.js';
import { REPO_ROOT, sharedPath, skipWithoutShared, tempDir } from './helpers/paths.js';

const AFFECT = path.join(REPO_ROOT, 'bin', 'affect.mjs');

function affect(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [AFFECT, ...args], { encoding: 'utf8', timeout: 240_000, cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const count = (db: string, table: string) => {
  const d = new Database(db, { readonly: true });
  const n = (d.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  d.close();
  return n;
};

let fx: BadInputFixtures;
let db: string;
before(() => {
  fx = badInputFixtures();
  db = path.join(tempDir(), 'cli.sqlite');
});

function checkSummary(s: any) {
  assert.deepEqual(
    Object.keys(s)
      .filter((k) => ['session', 'face', 'voice', 'fused', 'models'].includes(k))
      .sort(),
    ['face', 'fused', 'models', 'session', 'voice'],
  );
  for (const track of [s.face.distribution, s.voice.distribution]) {
    for (const k of Object.keys(track)) assert.ok((EMOTION_LABELS as readonly string[]).includes(k), `label ${k} is in the vocabulary`);
    const total = Object.values(track as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.ok(total === 0 || Math.abs(total - 1) < 1e-6, `shares sum to 1 (got ${total})`);
  }
  for (const m of s.models) assert.match(m.sha256, /^[0-9a-f]{64}$/);
}

test('analyze --json on the bundled sample: one JSON object, both tracks, stored', { timeout: 240_000 }, () => {
  const r = affect(['analyze', SAMPLE, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'stdout is exactly one JSON object');
  const s = JSON.parse(lines[0]);
  checkSummary(s);
  assert.ok(Number.isInteger(s.session.id) && s.session.id > 0);
  assert.equal(s.session.file, SAMPLE);
  assert.ok(Math.abs(s.session.durationS - 19.69) < 0.1);
  assert.ok(Math.abs(s.face.framesAnalysed - 39) <= 1);
  assert.ok(s.face.framesWithFace >= s.face.framesAnalysed - 2, 'the face is found in (nearly) every frame');
  assert.ok(s.face.majority, 'a face majority');
  assert.ok(s.voice.windows >= 15 && s.voice.voicedWindows >= 10, JSON.stringify(s.voice));
  assert.ok(s.voice.majority);
  assert.ok(s.fused.label && s.fused.confidence > 0 && s.fused.confidence <= 1);
  assert.deepEqual(s.models.map((m: { id: string }) => m.id).sort(), [
    'blazeface-back-256',
    'blazeface-front-128',
    'face-cnn',
    'face-identity-dlib',
    'silero-vad',
    'speaker-embed',
    'voice-spectrogram-cnn',
  ]);
  // One person: one participant, face and voice; the top-level fields describe it; who speaks when.
  assert.equal(s.participants.length, 1);
  const [p] = s.participants;
  assert.deepEqual(Object.keys(p).sort(), ['face', 'fused', 'id', 'name', 'voice']);
  assert.deepEqual(Object.keys(p.face).sort(), ['box', 'distribution', 'framesWithFace', 'majority']);
  assert.deepEqual(Object.keys(p.voice).sort(), ['distribution', 'majority', 'speechS']);
  assert.equal(p.face.majority, s.face.majority);
  assert.equal(p.voice.majority, s.voice.majority);
  assert.ok(p.face.box.width > 50 && p.face.box.x + p.face.box.width <= 640, JSON.stringify(p.face.box));
  assert.ok(
    s.speech.length >= 1 && s.speech.every((t: { participant: number; startS: number; endS: number }) => t.participant === 1 && t.endS > t.startS),
  );
  assert.match(r.stderr, /analysing\s+\d+% ETA/, 'progress with an ETA on stderr');
  assert.equal(count(db, 'sessions'), 1);
  assert.equal(count(db, 'frame_results'), s.face.framesAnalysed);
  assert.equal(count(db, 'window_results'), s.voice.windows);
});

test('a relative path is stored absolute; --json on a recording already stored prints its stored summary', { timeout: 240_000 }, () => {
  // Run from the sample's folder with a bare file name (the review must still find the recording from anywhere).
  const again = affect(['analyze', path.basename(SAMPLE), '--db', db, '--json'], path.dirname(SAMPLE));
  assert.equal(again.code, 0, again.stderr);
  const lines = again.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `one JSON summary on stdout, got: ${JSON.stringify(again.stdout)}`);
  const s = JSON.parse(lines[0]);
  checkSummary(s);
  assert.match(again.stderr, /already analysed as session \d+/);
  const stored = new Database(db, { readonly: true });
  const row = stored.prepare('SELECT s.id, m.path FROM sessions s JOIN media m ON m.id = s.media_id WHERE s.id = ?').get(s.session.id) as {
    id: number;
    path: string;
  };
  stored.close();
  assert.equal(row.path, SAMPLE, 'the stored path is absolute');
  assert.equal(s.session.file, SAMPLE);

  const fresh = path.join(tempDir(), 'relative.sqlite');
  const r = affect(['analyze', path.basename(SAMPLE), '--db', fresh, '--json', '--fps', '1'], path.dirname(SAMPLE));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).session.file, SAMPLE);
  const d = new Database(fresh, { readonly: true });
  assert.equal((d.prepare('SELECT path FROM media').get() as { path: string }).path, SAMPLE);
  d.close();
});

test('analyze --face-model/--voice-model pick other installed models; a model of the wrong kind is refused by name', { timeout: 240_000 }, () => {
  const tiny = path.join(REPO_ROOT, 'tests/fixtures/models');
  const r = affect([
    'analyze',
    SAMPLE,
    '--no-store',
    '--json',
    '--fps',
    '1',
    '--face-model',
    path.join(tiny, 'face-cnn-tiny'),
    '--voice-model',
    path.join(tiny, 'voice-spectrogram-cnn-tiny'),
  ]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  checkSummary(s);
  assert.deepEqual(s.models.map((m: { id: string }) => m.id).sort(), [
    'blazeface-back-256',
    'blazeface-front-128',
    'face-cnn-tiny',
    'face-identity-dlib',
    'silero-vad',
    'speaker-embed',
    'voice-spectrogram-cnn-tiny',
  ]);
  const wrong = affect(['analyze', SAMPLE, '--no-store', '--face-model', 'voice-spectrogram-cnn']);
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.stderr, /voice-spectrogram-cnn is a voice-emotion model, not face-expression/);
  const unknown = affect(['analyze', SAMPLE, '--no-store', '--face-model', 'no-such-model']);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /unknown model "no-such-model" \(available in .*face-cnn/);
});

test('bad inputs: one line naming the file and the problem, non-zero exit, nothing stored or damaged', { timeout: 240_000 }, () => {
  const before = count(db, 'sessions');
  const cases: Array<[string, RegExp]> = [
    [fx.missing, /no such file/],
    [fx.directory, /no media files found|is a directory/],
    [fx.textAsMp4, /not a readable audio or video file/],
    [fx.empty, /empty \(0 bytes\)/],
    [fx.truncatedNoIndex, /not a readable audio or video file/],
    [fx.stillImage, /still image/],
  ];
  for (const [file, problem] of cases) {
    const r = affect(['analyze', file, '--db', db, '--json']);
    assert.notEqual(r.code, 0, file);
    assert.equal(r.stdout, '', `${file}: nothing on stdout`);
    const errLines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('affect'));
    assert.equal(errLines.length, 1, `${file}: one error line, got ${r.stderr}`);
    assert.ok(errLines[0].includes(path.basename(file)), `${file}: the line names the file: ${errLines[0]}`);
    assert.match(errLines[0], problem);
  }
  assert.equal(count(db, 'sessions'), before, 'nothing stored, nothing lost');
});

test('partial but honest results: no audio, audio only, silence, no face, truncated tail, odd path', { timeout: 400_000 }, () => {
  const run = (file: string) => {
    // --force: the odd-path file is a copy of the sample, already stored by the first test.
    const r = affect(['analyze', file, '--db', db, '--json', '--force']);
    assert.equal(r.code, 0, `${file}: ${r.stderr}`);
    const s = JSON.parse(r.stdout);
    checkSummary(s);
    return s;
  };
  const noAudio = run(fx.videoNoAudio);
  assert.equal(noAudio.voice.majority, null);
  assert.equal(noAudio.voice.reason, 'no audio stream');
  assert.ok(noAudio.face.majority);
  for (const f of [fx.wav, fx.mp3, fx.m4a, fx.flac]) {
    const s = run(f);
    assert.equal(s.face.majority, null, f);
    assert.equal(s.face.reason, 'no video stream');
    assert.ok(s.voice.majority, f);
  }
  const silent = run(fx.silentWav);
  assert.equal(silent.voice.majority, null);
  assert.match(silent.voice.reason, /no speech detected/);
  assert.equal(silent.fused.label, null);
  const faceless = run(fx.noFaceVideo);
  assert.equal(faceless.face.majority, null);
  assert.match(faceless.face.reason, /no face found/);
  const truncated = run(fx.truncatedTail);
  assert.ok(
    truncated.warnings.some((w: string) => /truncated/.test(w)),
    JSON.stringify(truncated.warnings),
  );
  const odd = run(fx.oddPath);
  assert.equal(odd.session.file, fx.oddPath);
});

test('real clips never seen in training: face found or honestly absent', { skip: skipWithoutShared('videos'), timeout: 240_000 }, () => {
  const r = affect(['analyze', sharedPath('videos', 'single_face.mp4'), sharedPath('videos', 'noface_face.mov'), '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const [single, mixed] = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.ok(single.face.majority);
  assert.ok(mixed.face.framesWithFace > 0 && mixed.face.framesWithFace < mixed.face.framesAnalysed, 'faces in part of the clip only');
});

test('Ctrl-C cancels cleanly: exit 130, no half-written session', { timeout: 120_000 }, async () => {
  const cancelDb = path.join(tempDir(), 'cancel.sqlite');
  const child = spawn(process.execPath, [AFFECT, 'analyze', SAMPLE, '--db', cancelDb, '--fps', '10'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  await new Promise<void>((resolve) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      if (/analysing/.test(stderr)) resolve();
    });
  });
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 130, stderr);
  assert.match(stderr, /cancelled/);
  assert.equal(count(cancelDb, 'sessions'), 0);
  assert.equal(count(cancelDb, 'frame_results'), 0);
});
