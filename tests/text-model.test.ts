import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { listModels, ROLES_WITHOUT_A_MODEL } from '../electron/analysis/models/registry.js';
import { TextEmotionModel, readVocabulary } from '../electron/analysis/text/text-model.js';
import { AffectService } from '../electron/api/service.js';
import { openDatabase } from '../electron/store/db.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';

const TINY = path.join(REPO_ROOT, 'tests/fixtures/models/text-glove-cnn-tiny');
const reference = JSON.parse(readFileSync(path.join(TINY, 'reference.json'), 'utf8')) as Array<{ text: string; ids: number[]; logits: number[] }>;

test('the tiny text model: same token ids and logits through onnxruntime as through PyTorch, batched by length', async () => {
  const model = await TextEmotionModel.load(TINY, { threads: 1 });
  try {
    assert.equal(model.manifest.task, 'text-emotion');
    for (const r of reference) assert.deepEqual(model.tokenIds(r.text), r.ids, r.text);
    // All texts in one call (several lengths, some equal) give what PyTorch gave for each text alone.
    const logits = await model.logits(reference.map((r) => r.ids));
    logits.forEach((row, i) =>
      row.forEach((v, c) => assert.ok(Math.abs(v - reference[i].logits[c]) < 1e-4, `${reference[i].text}: ${v} vs ${reference[i].logits[c]}`)),
    );
    // Order and neighbours do not matter.
    const reversed = await model.logits([...reference].reverse().map((r) => r.ids));
    assert.deepEqual(
      reversed.reverse().map((r) => Array.from(r)),
      logits.map((r) => Array.from(r)),
    );
  } finally {
    await model.release();
  }
});

test('classify: calibrated probabilities, no estimate for texts without tokens, long texts read from the start', async () => {
  const model = await TextEmotionModel.load(TINY, { threads: 1 });
  try {
    const long = 'okay '.repeat(model.manifest.tokenizer.maxTokens + 50);
    const [a, empty, blank, l] = await model.classify([reference[0].text, '', ' \n\t\u200d ', long]);
    assert.ok(a.probabilities);
    assert.ok(Math.abs(a.probabilities!.reduce((s, p) => s + p, 0) - 1) < 1e-5);
    assert.equal(a.top, model.labels[a.probabilities!.indexOf(Math.max(...a.probabilities!))]);
    assert.equal(a.label, a.top); // abstainBelow 0 in the fixture
    for (const e of [empty, blank]) assert.deepEqual([e.probabilities, e.label, e.top, e.tokens], [null, null, null, 0]);
    assert.equal(l.tokens, model.manifest.tokenizer.maxTokens);
    assert.equal(l.truncated, true);
    assert.equal(a.truncated, false);
  } finally {
    await model.release();
  }
});

test('abstaining, a changed vocabulary and a wrong task are caught', async () => {
  const dir = path.join(tempDir(), 'text-model');
  cpSync(TINY, dir, { recursive: true });
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  writeFileSync(manifestFile, JSON.stringify({ ...manifest, abstainBelow: 0.99 }));
  const model = await TextEmotionModel.load(dir);
  const [e] = await model.classify([reference[1].text]);
  await model.release();
  assert.equal(e.label, null);
  assert.ok(e.top !== null && e.confidence < 0.99);

  writeFileSync(path.join(dir, 'vocab.txt'), readFileSync(path.join(dir, 'vocab.txt'), 'utf8') + 'extra\n');
  await assert.rejects(TextEmotionModel.load(dir), /vocab\.txt sha256 does not match/);
  writeFileSync(path.join(dir, 'vocab.txt'), '[pad]\n[unk]\n[pad]\n');
  assert.throws(() => readVocabulary(path.join(dir, 'vocab.txt')), /appears twice/);
  writeFileSync(manifestFile, JSON.stringify({ ...manifest, task: 'voice-emotion' }));
  await assert.rejects(TextEmotionModel.load(dir), /manifest\.json is invalid/);
});

test('the registry lists the text model beside the others, with its role', () => {
  const models = listModels();
  const text = models.find((m) => m.id === 'text-glove-cnn');
  assert.ok(text && !('error' in text), JSON.stringify(text));
  assert.equal(text.task, 'text-emotion');
  assert.ok(models.some((m) => m.id === 'face-cnn' && !('error' in m)));
  assert.ok(
    models.every((m) => !('error' in m)),
    JSON.stringify(models.filter((m) => 'error' in m)),
  );
});

test('the asr role has no model, and its card with the measured error is where the registry says', () => {
  const card = path.join(REPO_ROOT, ROLES_WITHOUT_A_MODEL.asr.card);
  const text = readFileSync(card, 'utf8');
  const wer = JSON.parse(readFileSync(path.join(path.dirname(card), 'wer.json'), 'utf8'));
  // The card quotes the measurement file's figures.
  assert.ok(text.includes(`${(100 * wer.byCorpus.ravdess.wer).toFixed(1)} %`), 'RAVDESS WER in the card');
  assert.ok(text.includes(`${(100 * wer.byCorpus['espeak-synthetic'].wer).toFixed(1)} %`), 'synthetic WER in the card');
  assert.ok(!listModels().some((m) => !('error' in m) && (m.task as string) === ROLES_WITHOUT_A_MODEL.asr.task));
});

test('the service lists the text model in Settings and in app.info (models in use) with the bundled models', async () => {
  const file = path.join(tempDir(), 'info.sqlite');
  const db = openDatabase(file);
  try {
    const svc = new AffectService({ db, databasePath: file, engine: () => Promise.reject(new Error('no analysis in this test')) });
    const listed = await svc.call('models.list', {});
    assert.deepEqual(
      listed.filter((m) => m.role === 'textEmotion').map((m) => [m.id, m.selected, m.isDefault]),
      [['text-glove-cnn', true, true]],
    );
    const info = await svc.call('app.info', {});
    assert.equal(info.models.find((m) => m.role === 'text-emotion')?.id, 'text-glove-cnn');
    assert.deepEqual(info.models.map((m) => m.role).sort(), ['face-detector', 'face-expression', 'text-emotion', 'voice-emotion']);
  } finally {
    db.close();
  }
});
