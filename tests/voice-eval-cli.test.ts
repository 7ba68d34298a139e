import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runEvalVoice, parseCsv } from '../electron/cli/commands/eval-voice.js';
import type { CliIO } from '../electron/cli/io.js';
import { sharedPath, skipWithoutShared, tempDir } from './helpers/paths.js';

function captureIO(signal = new AbortController().signal): { io: CliIO; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '',
    e = '';
  stdout.on('data', (d) => (o += d));
  stderr.on('data', (d) => (e += d));
  return { io: { stdout, stderr, signal, interactive: false }, out: () => o, err: () => e };
}

/** labels.csv with 16 real files from actors 07 and 10 (absolute paths), plus one row outside the vocabulary. */
function makeEvalDir(): string {
  const dir = tempDir('eval-voice-');
  const rows = readFileSync(sharedPath('ravdess-speech/labels.csv'), 'utf8').trim().split('\n').slice(1);
  // per actor: the 7 strong-intensity takes of sentence 01, repetition 01, plus the (normal-only) neutral one
  const pick = rows
    .map((r) => r.split(','))
    .filter(([, spk]) => spk === '07' || spk === '10')
    .filter(([, , emotion, intensity, statement, rep]) => statement === '01' && rep === '01' && (intensity === 'strong' || emotion === 'neutral'));
  assert.equal(pick.length, 16, `picked ${pick.length}`);
  const lines = ['path,emotion', ...pick.map(([p, , emotion]) => `${sharedPath('ravdess-speech', p)},${emotion}`)];
  lines.push(`${sharedPath('ravdess-speech', pick[0][0])},contempt`);
  writeFileSync(path.join(dir, 'labels.csv'), lines.join('\n') + '\n');
  return dir;
}

test(
  'affect eval voice --json: valid report consistent with its predictions CSV; unknown label skipped',
  { skip: skipWithoutShared('ravdess-speech') },
  async () => {
    const dir = makeEvalDir();
    const predictions = path.join(dir, 'pred.csv');
    const { io, out, err } = captureIO();
    const code = await runEvalVoice([dir, '--json', '--predictions', predictions, '--threads', '2'], io);
    assert.equal(code, 0, err());
    const lines = out().trim().split('\n');
    assert.equal(lines.length, 1, 'exactly one JSON object on stdout');
    const r = JSON.parse(lines[0]);
    assert.equal(r.n, 16);
    assert.equal(r.skipped, 1);
    assert.match(err(), /skipped .*contempt/);
    assert.match(err(), /16\/16 files.*ETA/);
    assert.ok(r.realTimeFactor > 0 && r.realTimeFactor < 1, `RTF ${r.realTimeFactor}`);

    // recompute everything from the predictions CSV and labels.csv
    const truthRows = parseCsv(readFileSync(path.join(dir, 'labels.csv'), 'utf8')).slice(1, 17);
    const predRows = parseCsv(readFileSync(predictions, 'utf8'));
    assert.deepEqual(predRows[0], ['path', 'predicted', 'confidence']);
    assert.equal(predRows.length, 17);
    const labels: string[] = r.confusion.labels;
    const matrix = labels.map(() => labels.map(() => 0));
    let correct = 0;
    predRows.slice(1).forEach(([p, predicted, confidence], i) => {
      assert.equal(p, truthRows[i][0]);
      assert.ok(labels.includes(predicted), predicted);
      assert.ok(Number(confidence) > 0 && Number(confidence) <= 1);
      matrix[labels.indexOf(truthRows[i][1])][labels.indexOf(predicted)]++;
      if (predicted === truthRows[i][1]) correct++;
    });
    assert.deepEqual(r.confusion.matrix, matrix);
    assert.equal(r.accuracy, correct / 16);
    const recalls = labels.filter((l) => r.perClass[l].n > 0).map((l) => r.perClass[l].recall);
    assert.ok(Math.abs(r.uar - recalls.reduce((a: number, b: number) => a + b, 0) / recalls.length) < 1e-12);
    for (const l of labels) {
      const i = labels.indexOf(l);
      assert.equal(
        r.perClass[l].n,
        matrix[i].reduce((a, b) => a + b, 0),
      );
    }
    for (const k of ['macroF1', 'uar', 'accuracy']) assert.ok(r[k] >= 0 && r[k] <= 1);
  },
);

test('affect eval voice table output, usage errors and cancellation', { skip: skipWithoutShared('ravdess-speech') }, async () => {
  const dir = makeEvalDir();
  const tiny = path.resolve('tests/fixtures/models/voice-spectrogram-cnn-tiny');
  const a = captureIO();
  assert.equal(await runEvalVoice([dir, '--model', tiny], a.io), 0, a.err());
  assert.match(a.out(), /RANDOM WEIGHTS|random weights/i);
  assert.match(a.out(), /confusion/);
  await assert.rejects(runEvalVoice([], captureIO().io), /exactly one <dir>/);
  await assert.rejects(runEvalVoice([dir, '--model', 'no-such-model'], captureIO().io), /no-such-model/);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(runEvalVoice([dir, '--model', tiny], captureIO(controller.signal).io), /cancelled/);
});

test(
  'affect eval voice --labels: scores on merged classes (neutral+calm), skips the rest, agrees with the predictions CSV',
  { skip: skipWithoutShared('ravdess-speech') },
  async () => {
    const dir = makeEvalDir();
    const predictions = path.join(dir, 'pred.csv');
    const { io, out, err } = captureIO();
    const code = await runEvalVoice([dir, '--json', '--labels', 'angry,happy,neutral+calm,sad', '--predictions', predictions, '--threads', '2'], io);
    assert.equal(code, 0, err());
    const r = JSON.parse(out().trim());
    // 2 actors × (neutral, calm, happy, sad, angry) are in the classes; fearful, disgust, surprised and the unknown label are skipped
    assert.equal(r.n, 10);
    assert.equal(r.skipped, 7);
    assert.deepEqual(r.confusion.labels, ['angry', 'happy', 'neutral+calm', 'sad']);
    assert.equal(r.perClass['neutral+calm'].n, 4);
    assert.match(err(), /skipped .*fearful.*classes of --labels/);
    const truth = parseCsv(readFileSync(path.join(dir, 'labels.csv'), 'utf8'))
      .slice(1)
      .filter(([, e]) => ['angry', 'happy', 'neutral', 'calm', 'sad'].includes(e));
    const rows = parseCsv(readFileSync(predictions, 'utf8')).slice(1);
    assert.equal(rows.length, 10);
    let correct = 0;
    rows.forEach(([p, predicted], i) => {
      assert.equal(p, truth[i][0]);
      assert.ok(r.confusion.labels.includes(predicted), predicted);
      const t = truth[i][1];
      if (predicted === (t === 'neutral' || t === 'calm' ? 'neutral+calm' : t)) correct++;
    });
    assert.equal(r.accuracy, correct / 10);
    for (const bad of ['angry,nope', 'angry', 'angry,angry+sad'])
      await assert.rejects(runEvalVoice([dir, '--labels', bad], captureIO().io), /--labels/);
  },
);
