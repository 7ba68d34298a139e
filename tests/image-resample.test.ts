import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resampleRegion, type RgbImage } from '../electron/analysis/image.js';
import { cropImage, halveImage } from '../electron/analysis/face/face-finder.js';

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

/**
 * The area rule spelled out pixel by pixel: output column k covers source columns [round(x + k·sx), round(x + (k+1)·sx))
 * (at least one), rows likewise. With 'edge' the value is the mean of the covered pixels inside the image, a footprint
 * wholly outside on one axis taking the nearest edge column (or row) instead; with a fill value every covered pixel
 * outside the image counts as that value.
 */
function areaByHand(
  src: RgbImage,
  region: { x: number; y: number; width: number; height: number },
  outW: number,
  outH: number,
  fill: number | 'edge',
) {
  const span = (start: number, step: number, k: number, size: number) => {
    const a = Math.round(start + k * step);
    const b = Math.max(a + 1, Math.round(start + (k + 1) * step));
    if (fill !== 'edge') return [a, b];
    const lo = Math.min(size, Math.max(0, a));
    const hi = Math.min(size, Math.max(0, b));
    return lo === hi ? [Math.min(lo, size - 1), Math.min(lo, size - 1) + 1] : [lo, hi];
  };
  const out = new Uint8Array(outW * outH * 3);
  for (let oy = 0; oy < outH; oy++)
    for (let ox = 0; ox < outW; ox++) {
      const [x0, x1] = span(region.x, region.width / outW, ox, src.width);
      const [y0, y1] = span(region.y, region.height / outH, oy, src.height);
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let y = y0; y < y1; y++)
          for (let x = x0; x < x1; x++)
            sum += x >= 0 && y >= 0 && x < src.width && y < src.height ? src.rgb[(y * src.width + x) * 3 + c] : (fill as number);
        out[(oy * outW + ox) * 3 + c] = Math.round(sum / ((x1 - x0) * (y1 - y0)));
      }
    }
  return out;
}

test('area resampling equals the footprint rule computed pixel by pixel, on 600 random regions, inside and outside the image', () => {
  let seed = 11;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let checked = 0;
  while (checked < 600) {
    const w = 1 + Math.floor(rnd() * 60);
    const h = 1 + Math.floor(rnd() * 60);
    const src = { width: w, height: h, rgb: Uint8Array.from({ length: w * h * 3 }, () => Math.floor(rnd() * 256)) };
    const region = { x: (rnd() - 0.3) * w, y: (rnd() - 0.3) * h, width: 2 + rnd() * w * 1.5, height: 2 + rnd() * h * 1.5 };
    const outW = 1 + Math.floor(region.width / (1.5 + rnd() * 5));
    const outH = 1 + Math.floor(region.height / (1.5 + rnd() * 5));
    if (region.width / outW < 1.5 || region.height / outH < 1.5) continue; // bilinear, not area
    for (const fill of ['edge', 0, 114] as const)
      assert.deepEqual(
        resampleRegion(src, region, outW, outH, fill).rgb,
        areaByHand(src, region, outW, outH, fill),
        JSON.stringify({ w, h, region, outW, outH, fill }),
      );
    checked++;
  }
});

test('halving an area in place equals halving a copy of it; a crop or a resample into reused memory equals a fresh one', () => {
  let seed = 5;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const scratch = new Uint8Array(40 * 40 * 3);
  for (let k = 0; k < 200; k++) {
    const w = 4 + Math.floor(rnd() * 36);
    const h = 4 + Math.floor(rnd() * 36);
    const src = { width: w, height: h, rgb: Uint8Array.from({ length: w * h * 3 }, () => Math.floor(rnd() * 256)) };
    const x = Math.floor(rnd() * (w - 2));
    const y = Math.floor(rnd() * (h - 2));
    const area = { x, y, width: 2 + Math.floor(rnd() * (w - x - 1)), height: 2 + Math.floor(rnd() * (h - y - 1)) };
    const copy = cropImage(src, area.x, area.y, area.width, area.height);
    assert.deepEqual(halveImage(src, area), halveImage(copy), JSON.stringify({ w, h, area }));
    const reused = cropImage(src, area.x, area.y, area.width, area.height, scratch);
    assert.deepEqual({ ...reused, rgb: Uint8Array.from(reused.rgb) }, copy);
    assert.equal(reused.rgb.buffer, scratch.buffer);
    const into = new Uint8Array(3 * 3 * 3).fill(9); // resampled into given memory: every byte written, the same bytes
    assert.deepEqual(resampleRegion(src, area, 3, 3, 0, into).rgb, resampleRegion(src, area, 3, 3, 0).rgb);
  }
});
