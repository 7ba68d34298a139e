/** A packed RGB24 image (row-major, 3 bytes per pixel). The one image type the engine passes around. */
export interface RgbImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

/** An axis-aligned box in pixel coordinates of the image it was found in. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Bilinear sample of a region of `src` into a `outW`×`outH` RGB image. Pixels outside the
 * source are filled with `fill` (edge-replicate when fill is 'edge').
 * When shrinking by more than 2×, a box pre-filter is applied first (area-like averaging) so small
 * outputs do not alias.
 */
export function resampleRegion(src: RgbImage, region: Box, outW: number, outH: number, fill: number | 'edge' = 'edge'): RgbImage {
  const out = new Uint8Array(outW * outH * 3);
  const sx = region.width / outW;
  const sy = region.height / outH;
  // Box-filter radius in source pixels (0 = plain bilinear).
  const rx = sx > 2 ? Math.floor(sx / 2) : 0;
  const ry = sy > 2 ? Math.floor(sy / 2) : 0;
  const get = (x: number, y: number, c: number): number => {
    if (x < 0 || y < 0 || x >= src.width || y >= src.height) {
      if (fill !== 'edge') return fill;
      x = Math.min(src.width - 1, Math.max(0, x));
      y = Math.min(src.height - 1, Math.max(0, y));
    }
    return src.rgb[(y * src.width + x) * 3 + c];
  };
  for (let oy = 0; oy < outH; oy++) {
    const fy = region.y + (oy + 0.5) * sy - 0.5;
    for (let ox = 0; ox < outW; ox++) {
      const fx = region.x + (ox + 0.5) * sx - 0.5;
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        let n = 0;
        for (let dy = -ry; dy <= ry; dy++) {
          for (let dx = -rx; dx <= rx; dx++) {
            const px = fx + dx;
            const py = fy + dy;
            const x0 = Math.floor(px);
            const y0 = Math.floor(py);
            const ax = px - x0;
            const ay = py - y0;
            acc +=
              (1 - ay) * ((1 - ax) * get(x0, y0, c) + ax * get(x0 + 1, y0, c)) +
              ay * ((1 - ax) * get(x0, y0 + 1, c) + ax * get(x0 + 1, y0 + 1, c));
            n++;
          }
        }
        out[(oy * outW + ox) * 3 + c] = Math.round(acc / n);
      }
    }
  }
  return { width: outW, height: outH, rgb: out };
}
