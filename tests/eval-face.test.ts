import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { REPO_ROOT, sharedPath, skipWithoutShared, tempDir } from './helpers/paths.js';
import { runEvalFace, FER2013_CLASSES } from '../electron/cli/commands/eval-face.js';
import type { CliIO } from '../electron/cli/io.js';

const TINY = path.join(REPO_ROOT, 'tests/fixtures/models/face-cnn-tiny');
const SPLIT = path.join(REPO_ROOT, 'native-models/face-cnn/train/split.json');
const NO_FER = skipWithoutShared('fer2013/train');

function captureIO(signal = new AbortController().signal): CliIO & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (d) => (o += d));
  stderr.on('data', (d) => (e += d));
  return { stdout, stderr, signal, interactive: false, out: () => o, err: () => e };
}

/** A temp folder of symlinks to `perClass` validation images per FER2013 class (never copies into the repo). */
function validationDir(perClass: number): string {
  const split = JSON.parse(readFileSync(SPLIT, 'utf8')) as { val: string[] };
  const dir = tempDir('eval-face-');
  for (const c of FER2013_CLASSES) {
    mkdirSync(path.join(dir, c));
    for (const rel of split.val.filter((p) => p.startsWith(`${c}/`)).slice(0, perClass))
      symlinkSync(sharedPath('fer2013/train', rel), path.join(dir, rel));
  }
  return dir;
}

test('affect eval face --cropped --json: metrics agree with the predictions CSV', { skip: NO_FER }, async (t) => {
  const dir = validationDir(12);
  const csv = path.join(tempDir('eval-face-out-'), 'pred.csv');
  const io = captureIO();
  const code = await runEvalFace([dir, '--cropped', '--json', '--predictions', csv, '--threads', '2'], io);
  assert.equal(code, 0, io.err());
  const lines = io.out().trim().split('\n');
  assert.equal(lines.length, 1, 'stdout must hold exactly one JSON object');
  const r = JSON.parse(lines[0]);
  t.diagnostic(`face-cnn on ${r.n} validation images: accuracy ${(100 * r.accuracy).toFixed(1)}%, ${r.imagesPerSecond.toFixed(0)} images/s`);
  assert.equal(r.n, 12 * 7);
  assert.equal(r.model.id, 'face-cnn');
  assert.ok(r.imagesPerSecond > 0);
  assert.deepEqual(r.confusion.labels, FER2013_CLASSES);

  const [head, ...rows] = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(head, 'path,predicted,confidence');
  assert.equal(rows.length, r.n);
  const matrix = FER2013_CLASSES.map(() => FER2013_CLASSES.map(() => 0));
  for (const row of rows) {
    const [rel, predicted, confidence] = row.split(',');
    const truth = rel.split('/')[0];
    assert.ok(FER2013_CLASSES.includes(predicted), `predicted ${predicted} is not a FER2013 folder name`);
    const c = Number(confidence);
    assert.ok(c > 0 && c <= 1);
    matrix[FER2013_CLASSES.indexOf(truth)][FER2013_CLASSES.indexOf(predicted)]++;
  }
  assert.deepEqual(r.confusion.matrix, matrix);
  const correct = matrix.reduce((a, row, i) => a + row[i], 0);
  assert.ok(Math.abs(r.accuracy - correct / r.n) < 1e-12);
  for (const [i, c] of FER2013_CLASSES.entries()) {
    assert.equal(r.perClass[c].n, 12);
    assert.ok(Math.abs(r.perClass[c].recall - matrix[i][i] / 12) < 1e-12);
  }
  assert.ok(r.accuracy > 0.4, `a trained model should be far above chance (14%), got ${r.accuracy}`);
});

test('affect eval face with detection: counts images with no face and still classifies them', { skip: NO_FER }, async () => {
  const dir = validationDir(2);
  const io = captureIO();
  const code = await runEvalFace([dir, '--json', '--model', TINY, '--threads', '1'], io);
  assert.equal(code, 0, io.err());
  const r = JSON.parse(io.out());
  assert.equal(r.n, 14);
  assert.equal(r.cropped, false);
  assert.equal(r.detector, 'blazeface-front-128');
  assert.ok(Number.isInteger(r.noFaceDetected) && r.noFaceDetected >= 0 && r.noFaceDetected <= 14);
  assert.equal(r.model.tinyRandomWeights, true);
  assert.match(io.err(), /eval face: 14\/14 images/);
});

test('affect eval face: usage errors, unknown folders, cancellation', { skip: NO_FER }, async () => {
  await assert.rejects(runEvalFace([], captureIO()), /exactly one <dir>/);
  await assert.rejects(runEvalFace([tempDir('eval-face-empty-'), '--cropped', '--model', TINY], captureIO()), /no images found/);
  const dir = validationDir(1);
  mkdirSync(path.join(dir, 'contempt'));
  const io = captureIO();
  assert.equal(await runEvalFace([dir, '--cropped', '--model', TINY], io), 0);
  assert.match(io.err(), /skipped folder contempt/);
  assert.match(io.out(), /random weights/);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(runEvalFace([dir, '--cropped', '--model', TINY], captureIO(controller.signal)), /cancelled/);
});
