import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resampleRegion, type RgbImage } from '../electron/analysis/image.js';

/** A smooth gradient image: r = x, g = y, b = constant. */
function gradient(w: number, h: number): RgbImage {
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) rgb.set([Math.round((x / (w - 1)) * 255), Math.round((y / (h - 1)) * 255), 77], (y * w + x) * 3);
  return { width: w, height: h, rgb };
}

test('area shrink averages whole footprints: a 4×4 block of one pixel each becomes their mean', () => {
  const src: RgbImage = { width: 4, height: 4, rgb: new Uint8Array(48) };
  for (let i = 0; i < 16; i++) src.rgb.set([i * 10, 0, 255], i * 3);
  const out = resampleRegion(src, { x: 0, y: 0, width: 4, height: 4 }, 2, 2);
  // Top-left output = mean of pixels 0,1,4,5 → (0+10+40+50)/4 = 25.
  assert.equal(out.rgb[0], 25);
  assert.equal(out.rgb[2], 255);
  // Bottom-right = pixels 10,11,14,15 → (100+110+140+150)/4 = 125.
  assert.equal(out.rgb[9], 125);
});

test('shrinking a smooth gradient agrees with the gradient (within a grey level)', () => {
  const src = gradient(640, 360);
  const out = resampleRegion(src, { x: 0, y: 0, width: 640, height: 360 }, 64, 36);
  for (let oy = 0; oy < 36; oy++)
    for (let ox = 0; ox < 64; ox++) {
      const cx = ox * 10 + 4.5;
      const cy = oy * 10 + 4.5;
      assert.ok(Math.abs(out.rgb[(oy * 64 + ox) * 3] - (cx / 639) * 255) <= 1.01);
      assert.ok(Math.abs(out.rgb[(oy * 64 + ox) * 3 + 1] - (cy / 359) * 255) <= 1.01);
    }
});

test('letterbox fill: outside the image counts as the fill value; edge mode replicates', () => {
  const src: RgbImage = { width: 10, height: 10, rgb: new Uint8Array(300).fill(200) };
  const box = { x: -10, y: 0, width: 20, height: 10 };
  const black = resampleRegion(src, box, 4, 2, 0);
  assert.equal(black.rgb[0], 0, 'left half is padding');
  assert.equal(black.rgb[(0 * 4 + 3) * 3], 200, 'right half is image');
  const edge = resampleRegion(src, box, 4, 2, 'edge');
  assert.ok(edge.rgb.every((v) => v === 200));
  const up = resampleRegion(src, { x: -2, y: -2, width: 14, height: 14 }, 28, 28, 'edge');
  assert.ok(
    up.rgb.every((v) => v === 200),
    'enlarging (bilinear) replicates the edge too',
  );
});
