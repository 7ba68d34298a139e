import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, sharedPath, skipWithoutShared } from './helpers/paths.js';
import { readImageFile, type RgbImage } from '../electron/analysis/face/image-io.js';
import { preprocessFace, resizeGray, rgbToGray } from '../electron/analysis/face/image-preprocess.js';

/** Reference written by native-models/face-cnn/train/preprocess_reference.py (Pillow). */
const REF = JSON.parse(readFileSync(path.join(REPO_ROOT, 'native-models/face-cnn/train/preprocess-reference.json'), 'utf8')) as {
  input: { size: number; scale: number; mean: number; std: number };
  samplePositions: number[];
  synthetic: { images: { width: number; height: number; gray: number[] }[] };
  fer2013Val: { path: string; fileSha256: string; graySha256: string; grayMean: number; samples: number[] }[];
};
const SIZE = REF.input.size;
const manifest = {
  input: {
    name: 'input',
    shape: [-1, 1, SIZE, SIZE],
    layout: 'NCHW' as const,
    channels: 'gray' as const,
    normalization: { scale: REF.input.scale, mean: [REF.input.mean], std: [REF.input.std] },
  },
};

function synthetic(width: number, height: number): RgbImage {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      rgb[i] = (x * 13 + y * 7) & 255;
      rgb[i + 1] = ((x * y) >> 2) & 255;
      rgb[i + 2] = ((x ^ y) * 3) & 255;
    }
  return { width, height, rgb };
}

test('grayscale + resize match Pillow exactly on synthetic RGB images of several sizes (shrink and enlarge)', () => {
  assert.ok(REF.synthetic.images.length >= 5);
  for (const ref of REF.synthetic.images) {
    const img = synthetic(ref.width, ref.height);
    const gray = resizeGray(rgbToGray(img), img.width, img.height, SIZE, SIZE);
    let maxDiff = 0;
    for (let i = 0; i < gray.length; i++) maxDiff = Math.max(maxDiff, Math.abs(gray[i] - ref.gray[i]));
    assert.equal(maxDiff, 0, `${ref.width}x${ref.height}: max gray difference vs Pillow ${maxDiff}`);
    const t = preprocessFace(img, manifest);
    assert.equal(t.length, SIZE * SIZE);
    const expected0 = (ref.gray[0] / REF.input.scale - REF.input.mean) / REF.input.std;
    assert.ok(Math.abs(t[0] - expected0) < 1e-6);
  }
});

test(
  'decoded real FER2013 validation JPEGs give the training tensor within one gray level',
  { skip: skipWithoutShared('fer2013/train') },
  async (t) => {
    const oneLevel = 1 / REF.input.scale / REF.input.std;
    let maxAbs = 0;
    let identical = 0;
    for (const ref of REF.fer2013Val) {
      const file = sharedPath('fer2013/train', ref.path);
      const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
      assert.equal(sha, ref.fileSha256, `${ref.path} is not the file the reference was computed from`);
      const img = await readImageFile(file);
      assert.equal(img.width, SIZE);
      const tensor = preprocessFace(img, manifest);
      ref.samples.forEach((v, k) => (maxAbs = Math.max(maxAbs, Math.abs(tensor[REF.samplePositions[k]] - v))));
      const gray = resizeGray(rgbToGray(img), img.width, img.height, SIZE, SIZE);
      const mean = gray.reduce((a, b) => a + b, 0) / gray.length;
      assert.ok(Math.abs(mean - ref.grayMean) < 0.25, `${ref.path}: mean gray ${mean} vs Pillow ${ref.grayMean}`);
      if (createHash('sha256').update(gray).digest('hex') === ref.graySha256) identical++;
    }
    t.diagnostic(
      `max |TS − Python| over sampled tensor values: ${maxAbs.toFixed(6)} (one gray level = ${oneLevel.toFixed(6)}); ` +
        `${identical}/${REF.fer2013Val.length} images bit-identical (jpeg-js and libjpeg IDCTs differ by ±1 level on some pixels)`,
    );
    assert.ok(maxAbs <= oneLevel + 1e-5, `max abs difference ${maxAbs} exceeds one gray level`);
  },
);
