import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { parseCsv, toCsv } from '../electron/analysis/csv.js';
import { classificationReport } from '../electron/analysis/metrics.js';
import { main } from '../electron/cli/affect.js';
import type { CliIO } from '../electron/cli/io.js';
import { REPO_ROOT, sharedPath, skipWithoutShared, tempDir } from './helpers/paths.js';

const TINY = path.join(REPO_ROOT, 'tests/fixtures/models/text-glove-cnn-tiny');

function captureIO(signal = new AbortController().signal): { io: CliIO; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (d) => (o += d));
  stderr.on('data', (d) => (e += d));
  return { io: { stdout, stderr, signal, interactive: false }, out: () => o, err: () => e };
}

test('affect eval text --json: report consistent with its predictions CSV; unknown labels skipped; quoted CSV', async () => {
  const dir = tempDir('eval-text-');
  const csv = path.join(dir, 'texts.csv');
  const rows = [
    ['a1', 'I am so happy for you, this is wonderful news!', 'happy'],
    ['a2', 'That makes me really angry. Why would they do that?', 'angry'],
    ['a3', "I'm scared it won't get better.\nWhat if I fail?", 'fearful'],
    ['a4', 'This is "disgusting", I can\'t even look at it.', 'disgust'],
    ['a5', '', 'neutral'],
    ['a6', 'Okay, see you on Monday then.', 'contempt'],
  ];
  writeFileSync(csv, '\uFEFF' + toCsv(['id', 'text', 'emotion'], rows));
  const predictions = path.join(dir, 'pred.csv');
  const { io, out, err } = captureIO();
  const code = await main(['eval', 'text', csv, '--model', TINY, '--json', '--predictions', predictions], io);
  assert.equal(code, 0, err());
  const r = JSON.parse(out().trim());
  assert.equal(r.n, 5);
  assert.equal(r.skipped, 1);
  assert.equal(r.noTokens, 1);
  assert.match(err(), /skipped 1 row.*not one of the model's labels/);
  assert.match(err(), /eval text classifying 100% .*5\/5 texts/);
  assert.equal(r.model.tinyRandomWeights, true);

  const pred = parseCsv(readFileSync(predictions, 'utf8'));
  assert.deepEqual(pred[0], ['id', 'predicted', 'confidence']);
  assert.deepEqual(
    pred.slice(1).map((p) => p[0]),
    ['a1', 'a2', 'a3', 'a4', 'a5'],
  );
  assert.equal(pred[5][1], '', 'no label for a text without tokens');
  for (const p of pred.slice(1, 5)) assert.ok(Number(p[2]) > 0 && Number(p[2]) <= 1);
  const again = classificationReport(
    r.confusion.labels,
    rows.slice(0, 5).map((x) => x[2]),
    pred.slice(1).map((p) => p[1] || null),
  );
  assert.equal(again.accuracy, r.accuracy);
  assert.equal(again.macroF1, r.macroF1);
  assert.equal(again.uar, r.uar);
});

test('affect eval text: a missing column or a broken CSV is a clear error naming the file', async () => {
  const dir = tempDir('eval-text-');
  const noText = path.join(dir, 'bad.csv');
  writeFileSync(noText, 'id,emotion\n1,happy\n');
  const a = captureIO();
  await assert.rejects(main(['eval', 'text', noText, '--model', TINY], a.io), new RegExp(`${noText}: needs the columns id,text,emotion`));
  const open = path.join(dir, 'open.csv');
  writeFileSync(open, 'id,text,emotion\n1,"never closed,happy\n');
  await assert.rejects(main(['eval', 'text', open, '--model', TINY], captureIO().io), /open\.csv: line 2: a quoted field is never closed/);
  const b = captureIO();
  assert.equal(await main(['eval', 'text'], b.io), 2);
  assert.match(b.err(), /eval text needs exactly one <csv>/);
});

test("affect eval text reproduces the model card's dev figures", { skip: skipWithoutShared('goemotions') }, async () => {
  const metrics = JSON.parse(readFileSync(path.join(REPO_ROOT, 'native-models/text-glove-cnn/train/metrics.json'), 'utf8'));
  const { io, out, err } = captureIO();
  const code = await main(['eval', 'text', sharedPath('goemotions', 'dev.csv'), '--json', '--threads', '1'], io);
  assert.equal(code, 0, err());
  const r = JSON.parse(out().trim());
  assert.equal(r.n, metrics.n);
  assert.equal(r.model.id, 'text-glove-cnn');
  // Float rounding between PyTorch and onnxruntime may flip a near-tie or two out of ~5,000 texts.
  for (const k of ['accuracy', 'macroF1', 'uar'] as const)
    assert.ok(Math.abs(r[k] - metrics[k]) <= 0.001, `${k}: eval ${r[k]} vs card ${metrics[k]}`);
  for (const [label, m] of Object.entries(metrics.perClass as Record<string, { recall: number }>))
    assert.ok(Math.abs(r.perClass[label].recall - m.recall) <= 0.01, `${label} recall ${r.perClass[label].recall} vs ${m.recall}`);
  assert.ok(Math.abs(r.abstain.labelled - metrics.abstainCoverage) <= 0.002);
});

test('affect eval text stops when cancelled and writes no predictions file', async () => {
  const dir = tempDir('eval-text-');
  const csv = path.join(dir, 'texts.csv');
  writeFileSync(
    csv,
    toCsv(
      ['id', 'text', 'emotion'],
      Array.from({ length: 600 }, (_, i) => [`t${i}`, `text number ${i} is fine`, 'neutral']),
    ),
  );
  const controller = new AbortController();
  controller.abort();
  const predictions = path.join(dir, 'pred.csv');
  await assert.rejects(main(['eval', 'text', csv, '--model', TINY, '--predictions', predictions], captureIO(controller.signal).io), {
    name: 'CancelledError',
  });
  assert.equal(existsSync(predictions), false);
  assert.equal(existsSync(predictions + '.partial'), false);
});
