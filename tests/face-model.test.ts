import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, sharedPath, skipWithoutShared, tempDir } from './helpers/paths.js';
import type { RgbImage } from '../electron/analysis/image.js';
import { EMOTION_LABELS, FER2013_TO_LABEL } from '../electron/contract/shared/labels.js';
import { FaceExpressionModel } from '../electron/analysis/face/expression-model.js';
import { readImageFile } from '../electron/analysis/face/image-io.js';

const TINY = path.join(REPO_ROOT, 'tests/fixtures/models/face-cnn-tiny');
const TINY_RESNET50 = path.join(REPO_ROOT, 'tests/fixtures/models/face-resnet50-tiny');
const SHIPPED = path.join(REPO_ROOT, 'native-models/face-cnn');
const SPLIT = path.join(SHIPPED, 'train/split.json');

function noiseImage(width: number, height: number, seed: number): RgbImage {
  const rgb = new Uint8Array(width * height * 3);
  let s = seed >>> 0;
  for (let i = 0; i < rgb.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    rgb[i] = s >>> 24;
  }
  return { width, height, rgb };
}

test('tiny random-weight face model: manifest says random, batched outputs are probability vectors in label order', async () => {
  const model = await FaceExpressionModel.load(TINY, { threads: 1, maxBatch: 2 });
  try {
    assert.equal(model.manifest.tinyRandomWeights, true);
    assert.deepEqual([...model.labels].sort(), Object.values(FER2013_TO_LABEL).sort());
    for (const l of model.labels) assert.ok((EMOTION_LABELS as readonly string[]).includes(l), `${l} is not a project label`);
    const crops = [noiseImage(48, 48, 1), noiseImage(120, 90, 2), noiseImage(30, 33, 3)];
    const probs = await model.classify(crops);
    assert.equal(probs.length, 3);
    for (const p of probs) {
      assert.equal(p.length, 7);
      assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-5);
      assert.ok(p.every((v) => v >= 0 && v <= 1));
    }
    // Batched (maxBatch 2 → two runs) equals one-by-one.
    for (let i = 0; i < crops.length; i++) {
      const [alone] = await model.classify([crops[i]]);
      alone.forEach((v, k) => assert.ok(Math.abs(v - probs[i][k]) < 1e-5));
    }
    assert.deepEqual(await model.classify([]), []);
  } finally {
    await model.release();
  }
});

test('manifest temperature is applied: p_T ∝ p_1^(1/T)', async () => {
  const dir = tempDir('face-tiny-T-');
  for (const f of ['model.onnx', 'manifest.json']) copyFileSync(path.join(TINY, f), path.join(dir, f));
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, temperature: 0.05 }));
  const m1 = await FaceExpressionModel.load(TINY, { threads: 1 });
  const mT = await FaceExpressionModel.load(dir, { threads: 1 });
  try {
    const img = noiseImage(64, 64, 9);
    const [p1] = await m1.classify([img]);
    const [pT] = await mT.classify([img]);
    const powered = Array.from(p1, (v) => v ** (1 / 0.05));
    const z = powered.reduce((a, b) => a + b, 0);
    powered.forEach((v, k) => assert.ok(Math.abs(v / z - pT[k]) < 1e-3, `class ${k}: ${v / z} vs ${pT[k]}`));
    assert.notDeepEqual(Array.from(p1), Array.from(pT));
  } finally {
    await m1.release();
    await mT.release();
  }
});

function mirrored(img: RgbImage): RgbImage {
  const rgb = new Uint8Array(img.rgb.length);
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      for (let c = 0; c < 3; c++) rgb[(y * img.width + x) * 3 + c] = img.rgb[(y * img.width + (img.width - 1 - x)) * 3 + c];
  return { width: img.width, height: img.height, rgb };
}

test('face-resnet50-style export (flip averaging in the graph, float16-stored weights) loads and is mirror-invariant', async () => {
  const flipAveraged = await FaceExpressionModel.load(TINY_RESNET50, { threads: 1 });
  const plain = await FaceExpressionModel.load(TINY, { threads: 1 });
  try {
    assert.equal(flipAveraged.manifest.tinyRandomWeights, true);
    const img = noiseImage(48, 48, 5); // the input size: no resampling between the image and the network
    const [a, b] = await flipAveraged.classify([img, mirrored(img)]);
    a.forEach((v, k) => assert.ok(Math.abs(v - b[k]) < 1e-7, `class ${k}: ${v} vs mirrored ${b[k]}`));
    // The plain export has no flip averaging: the same check tells the two apart (random weights move outputs
    // only ~5e-5 between an image and its mirror, still 500x the tolerance above).
    const [c, d] = await plain.classify([img, mirrored(img)]);
    assert.ok(
      c.some((v, k) => Math.abs(v - d[k]) > 1e-5),
      'the plain tiny model should not be mirror-invariant',
    );
  } finally {
    await flipAveraged.release();
    await plain.release();
  }
});

test('a face model refuses a manifest whose sha256 does not match its weights', async () => {
  const dir = tempDir('face-tiny-sha-');
  for (const f of ['model.onnx', 'manifest.json']) copyFileSync(path.join(TINY, f), path.join(dir, f));
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, sha256: 'f'.repeat(64) }));
  await assert.rejects(FaceExpressionModel.load(dir), /sha256/);
});

test('shipped face-cnn classifies held-out FER2013 validation faces far above chance', { skip: skipWithoutShared('fer2013/train') }, async (t) => {
  const model = await FaceExpressionModel.load(SHIPPED, { threads: 2 });
  try {
    assert.equal(model.manifest.tinyRandomWeights, false);
    const split = JSON.parse(readFileSync(SPLIT, 'utf8')) as { val: string[] };
    // Up to 50 validation images per class (disgust has fewer): ~345 images, from the split the model never trained on.
    const perClass = new Map<string, number>();
    const picks = split.val.filter((rel) => {
      const c = rel.split('/')[0];
      perClass.set(c, (perClass.get(c) ?? 0) + 1);
      return perClass.get(c)! <= 50;
    });
    const crops = await Promise.all(picks.map((rel) => readImageFile(sharedPath('fer2013/train', rel))));
    const probs = await model.classify(crops);
    let correct = 0;
    probs.forEach((p, i) => {
      const top = p.indexOf(Math.max(...p));
      if (model.labels[top] === FER2013_TO_LABEL[picks[i].split('/')[0]]) correct++;
    });
    const accuracy = correct / picks.length;
    t.diagnostic(`accuracy on ${picks.length} class-balanced validation images: ${(100 * accuracy).toFixed(1)}% (chance 14.3%)`);
    assert.ok(picks.length > 300);
    assert.ok(accuracy > 0.45, `accuracy ${accuracy} is not well above chance`);
  } finally {
    await model.release();
  }
});
