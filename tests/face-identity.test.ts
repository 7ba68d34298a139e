import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { alignFace, chipTransform, apply, DLIB_CHIP, fitSimilarity, templatePoints } from '../electron/analysis/face/align.js';
import { descriptorDistance, FaceIdentityModel } from '../electron/analysis/face/identity-model.js';
import type { RgbImage } from '../electron/analysis/image.js';
import { BUNDLED_MODELS_DIR } from '../electron/analysis/models/registry.js';
import { launchChromium, skipWithoutChromium } from './helpers/browser.js';
import { alignedChips } from './helpers/face-chips.js';
import { SAMPLE } from './helpers/media-fixtures.js';
import { REPO_ROOT, sharedPath, skipWithoutShared } from './helpers/paths.js';

const FACE_API = path.join(REPO_ROOT, 'node_modules', '@vladmandic', 'face-api');
let model: FaceIdentityModel;
let woman: RgbImage[];
before(async () => {
  model = await FaceIdentityModel.load(path.join(BUNDLED_MODELS_DIR, 'face-identity-dlib'));
  woman = await alignedChips(SAMPLE, { fps: 0.5, max: 4 });
});
after(() => model.release());

/**
 * The original network: @vladmandic/face-api's own tfjs code and weights (a devDependency), in Chromium, on
 * tfjs's pure-JavaScript CPU backend. The page is served from memory by playwright's router (no network).
 */
async function tfjsDescriptors(chips: RgbImage[]): Promise<Float32Array[]> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.route('http://face-api.test/**', (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><script src="/face-api.js"></script>' });
      const file =
        url.pathname === '/face-api.js' ? path.join(FACE_API, 'dist', 'face-api.js') : path.join(FACE_API, 'model', path.basename(url.pathname));
      return route.fulfill({ body: readFileSync(file), contentType: file.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
    });
    await page.goto('http://face-api.test/');
    const pixels = Buffer.concat(chips.map((c) => Buffer.from(c.rgb))).toString('base64');
    const out = await page.evaluate(
      async ({ pixels, n }) => {
        const faceapi = (globalThis as any).faceapi;
        await faceapi.tf.setBackend('cpu');
        await faceapi.tf.ready();
        await faceapi.nets.faceRecognitionNet.loadFromUri('/model');
        const bytes = Uint8Array.from(atob(pixels), (ch) => ch.charCodeAt(0));
        const descriptors: number[][] = [];
        for (let i = 0; i < n; i++) {
          const one = faceapi.tf.tensor3d(Float32Array.from(bytes.subarray(i * 67500, (i + 1) * 67500)), [150, 150, 3]);
          descriptors.push(Array.from(await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(one)));
          one.dispose();
        }
        return { backend: faceapi.tf.getBackend(), descriptors };
      },
      { pixels, n: chips.length },
    );
    assert.equal(out.backend, 'cpu');
    return out.descriptors.map((d: number[]) => Float32Array.from(d));
  } finally {
    await browser.close();
  }
}

test('alignment puts the key points on the dlib template', () => {
  const tpl = templatePoints(DLIB_CHIP);
  // A face rotated by 20°, scaled ×1.7 and shifted: the fitted transform maps its key points back onto the template.
  const th = (20 * Math.PI) / 180;
  const fwd = { a: 1.7 * Math.cos(th), b: 1.7 * Math.sin(th), tx: 310, ty: 95 };
  const keypoints = tpl.map((p) => apply(fwd, p));
  const t = chipTransform({ keypoints });
  keypoints.forEach((k, i) => {
    const back = apply(t, k);
    assert.ok(Math.hypot(back.x - tpl[i].x, back.y - tpl[i].y) < 1e-9);
  });
  assert.throws(
    () =>
      fitSimilarity(
        [
          { x: 1, y: 1 },
          { x: 1, y: 1 },
        ],
        tpl.slice(0, 2),
      ),
    /coincide/,
  );
  // Eyes of the template sit level, 0.52 of the unit square apart, in the upper part of the chip.
  assert.ok(Math.abs(tpl[0].y - tpl[1].y) < 1e-9 && tpl[0].x < tpl[1].x && tpl[0].y < tpl[3].y);
});

test('alignFace warps a real face upright into a 150×150 chip', async () => {
  assert.ok(woman.length >= 3, 'faces found in the sample');
  for (const chip of woman) {
    assert.equal(chip.width, 150);
    assert.equal(chip.rgb.length, 150 * 150 * 3);
    // Not a constant image: the face has contrast.
    let lo = 255,
      hi = 0;
    for (const v of chip.rgb) ((lo = Math.min(lo, v)), (hi = Math.max(hi, v)));
    assert.ok(hi - lo > 100, `contrast ${lo}..${hi}`);
  }
  // A synthetic frame: identity transform when the key points already sit on the template.
  const frame = { width: 150, height: 150, rgb: new Uint8Array(150 * 150 * 3).map((_, i) => (i * 31) % 251) };
  const same = alignFace(frame, { keypoints: templatePoints(DLIB_CHIP) });
  let maxDiff = 0;
  for (let i = 0; i < same.rgb.length; i++) maxDiff = Math.max(maxDiff, Math.abs(same.rgb[i] - frame.rgb[i]));
  assert.equal(maxDiff, 0, 'a chip already on the template comes back unchanged');
});

test('the ONNX identity model matches the original tfjs network within 1e-4 on real face chips', { skip: skipWithoutChromium() }, async () => {
  const chips = [...woman];
  if (!skipWithoutShared('videos')) chips.push(...(await alignedChips(sharedPath('videos', 'single_face.mp4'), { fps: 1, max: 2 })));
  const ours = await model.embed(chips);
  const theirs = await tfjsDescriptors(chips);
  assert.equal(theirs.length, chips.length);
  let worst = 0;
  ours.forEach((d, i) => {
    assert.equal(d.length, 128);
    for (let k = 0; k < 128; k++) worst = Math.max(worst, Math.abs(d[k] - theirs[i][k]));
  });
  console.log(`# parity on ${chips.length} real chips: max |ONNX − tfjs| = ${worst.toExponential(2)}`);
  assert.ok(worst <= 1e-4, `max abs difference ${worst}`);
});

test('same person closer than different people (sample woman vs single_face man)', { skip: skipWithoutShared('videos') }, async () => {
  const man = await alignedChips(sharedPath('videos', 'single_face.mp4'), { fps: 2, max: 3 });
  const [w, m] = [await model.embed(woman), await model.embed(man)];
  const within = [
    ...w.flatMap((a, i) => w.slice(i + 1).map((b) => descriptorDistance(a, b))),
    ...m.flatMap((a, i) => m.slice(i + 1).map((b) => descriptorDistance(a, b))),
  ];
  const between = w.flatMap((a) => m.map((b) => descriptorDistance(a, b)));
  console.log(`# same person ${within.map((d) => d.toFixed(2)).join(' ')} | different ${between.map((d) => d.toFixed(2)).join(' ')}`);
  assert.ok(Math.max(...within) < Math.min(...between), 'every same-person pair closer than every different-person pair');
  assert.ok(Math.min(...between) > model.sameBelow, `different-person distances above the threshold ${model.sameBelow}`);
});
