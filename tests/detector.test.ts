import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { FaceDetector } from '../electron/analysis/face/detector.js';
import { cropFace, expandBox } from '../electron/analysis/face/crop.js';
import { streamVideoFrames } from '../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { probeMedia } from '../electron/analysis/media/probe.js';
import { BUNDLED_MODELS_DIR, DEFAULT_MODEL_IDS } from '../electron/analysis/models/registry.js';
import { SAMPLE, badInputFixtures } from './helpers/media-fixtures.js';
import { sharedPath, skipWithoutShared } from './helpers/paths.js';

const ff = resolveFfmpeg();
let detector: FaceDetector;
before(async () => {
  detector = await FaceDetector.load(path.join(BUNDLED_MODELS_DIR, DEFAULT_MODEL_IDS.faceDetector));
});
after(() => detector.release());

async function detectAll(file: string, fps = 2) {
  const info = await probeMedia(file, ff);
  const out = [];
  for await (const frame of streamVideoFrames(file, ff, info.video!, { fps, maxSide: 640 }))
    out.push({ frame: { width: frame.width, height: frame.height }, face: await detector.detectLargest(frame) });
  return out;
}

test('BlazeFace finds the face in every frame of the sample, where the face is', async () => {
  const results = await detectAll(SAMPLE);
  assert.ok(Math.abs(results.length - 19.69 * 2) <= 1, `19.7 s at 2 fps gives about 39 frames, got ${results.length}`);
  for (const { frame, face } of results) {
    assert.ok(face, 'a face in every frame');
    assert.ok(face.score > 0.75);
    // The woman's head is right of centre, filling roughly a third of the frame height or more.
    const cx = face.box.x + face.box.width / 2;
    assert.ok(cx > frame.width * 0.4 && cx < frame.width * 0.85, `centre x ${cx}`);
    assert.ok(face.box.height > frame.height * 0.3 && face.box.height < frame.height * 0.9, `height ${face.box.height}`);
    // Eyes above the mouth.
    assert.ok(face.keypoints[0].y < face.keypoints[3].y && face.keypoints[1].y < face.keypoints[3].y);
  }
});

test('a generated test pattern has no face', async () => {
  const results = await detectAll(badInputFixtures().noFaceVideo);
  assert.ok(results.length >= 7);
  assert.equal(results.filter((r) => r.face).length, 0);
});

test('real clips: single face found; the cartoon clip mostly faceless', { skip: skipWithoutShared('videos') }, async () => {
  const single = await detectAll(sharedPath('videos', 'single_face.mp4'), 4);
  assert.equal(single.filter((r) => r.face).length, single.length);
  const cartoon = await detectAll(sharedPath('videos', 'no_face.mp4'), 4);
  assert.ok(cartoon.filter((r) => r.face).length <= Math.ceil(cartoon.length * 0.2), 'at most a fifth of the cartoon frames give a (false) face');
});

test('crops are square around the box with the margin, edge-filled at borders', () => {
  const box = { x: -10, y: 20, width: 100, height: 80 };
  const region = expandBox(box, { margin: 0.1, square: true });
  assert.equal(region.width, region.height);
  assert.ok(Math.abs(region.width - 120) < 1e-9);
  const img = { width: 50, height: 50, rgb: new Uint8Array(50 * 50 * 3).fill(200) };
  const crop = cropFace(img, box, { margin: 0.1, square: true }, 48);
  assert.equal(crop.rgb.length, 48 * 48 * 3);
  assert.ok(
    crop.rgb.every((v) => v === 200),
    'edge replication, no black borders',
  );
});

test('crop offsetY moves the crop centre by a fraction of the box height, size unchanged', () => {
  const box = { x: 0, y: 100, width: 100, height: 80 };
  const plain = expandBox(box, { margin: 0.1, square: true });
  const up = expandBox(box, { margin: 0.1, square: true, offsetY: -0.1 });
  assert.equal(up.width, plain.width);
  assert.equal(up.height, plain.height);
  assert.ok(Math.abs(up.y - (plain.y - 8)) < 1e-9, `moved up by 0.1 × 80 px: ${up.y} vs ${plain.y}`);
  assert.equal(up.x, plain.x);
});
