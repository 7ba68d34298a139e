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
 * Resample a region of `src` into an `outW`×`outH` RGB image. Pixels outside the source are `fill`
 * (a grey level), or the nearest edge pixel when fill is 'edge'.
 * Shrinking by 1.5× or more averages each output pixel's whole source footprint (area resampling: exact integer sums,
 * each source pixel read once, no aliasing); otherwise bilinear. `into`: an outW×outH×3 buffer to write (every byte
 * of it) instead of a new one, for callers that resample the same size again and again.
 */
export function resampleRegion(src: RgbImage, region: Box, outW: number, outH: number, fill: number | 'edge' = 'edge', into?: Uint8Array): RgbImage {
  const sx = region.width / outW;
  const sy = region.height / outH;
  if (into && into.length !== outW * outH * 3) throw new Error(`resample target holds ${into.length} bytes, not ${outW}×${outH}×3`);
  const out = into ?? new Uint8Array(outW * outH * 3);
  return sx >= 1.5 && sy >= 1.5 ? areaResample(src, region, outW, outH, fill, out) : bilinearResample(src, region, outW, outH, fill, out);
}

function bilinearResample(src: RgbImage, region: Box, outW: number, outH: number, fill: number | 'edge', out: Uint8Array): RgbImage {
  const sx = region.width / outW;
  const sy = region.height / outH;
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
    const y0 = Math.floor(fy);
    const ay = fy - y0;
    for (let ox = 0; ox < outW; ox++) {
      const fx = region.x + (ox + 0.5) * sx - 0.5;
      const x0 = Math.floor(fx);
      const ax = fx - x0;
      for (let c = 0; c < 3; c++) {
        const v =
          (1 - ay) * ((1 - ax) * get(x0, y0, c) + ax * get(x0 + 1, y0, c)) + ay * ((1 - ax) * get(x0, y0 + 1, c) + ax * get(x0 + 1, y0 + 1, c));
        out[(oy * outW + ox) * 3 + c] = Math.round(v);
      }
    }
  }
  return { width: outW, height: outH, rgb: out };
}

function areaResample(src: RgbImage, region: Box, outW: number, outH: number, fill: number | 'edge', out: Uint8Array): RgbImage {
  const clampX = (v: number) => Math.min(src.width, Math.max(0, v));
  const clampY = (v: number) => Math.min(src.height, Math.max(0, v));
  // Footprints are stored relative to this corner (one pixel of margin for rounding; the edge pixel when the region
  // lies wholly outside the image).
  const bx0 = Math.min(clampX(Math.floor(region.x) - 1), src.width - 1);
  const by0 = Math.min(clampY(Math.floor(region.y) - 1), src.height - 1);
  const edge = fill === 'edge';
  const fillValue = edge ? 0 : fill;
  // Each output column's and row's footprint in whole source pixels, [a, b): the part inside the image, relative to
  // (bx0, by0), and the whole footprint's size. With 'edge' a footprint's value is the average of what is inside (the
  // nearest pixels when it lies wholly outside); with a fill value the outside counts as that value.
  const footprints = (n: number, start: number, step: number, clamp: (v: number) => number, size: number, base: number) => {
    const lo = new Int32Array(n);
    const hi = new Int32Array(n);
    const span = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const a = Math.round(start + k * step);
      const b = Math.max(a + 1, Math.round(start + (k + 1) * step));
      let v0 = clamp(a);
      let v1 = clamp(b);
      if (edge && v1 === v0) ((v0 = Math.min(v0, size - 1)), (v1 = v0 + 1));
      lo[k] = v0 - base;
      hi[k] = v1 - base;
      span[k] = b - a;
    }
    return { lo, hi, span };
  };
  const cols = footprints(outW, region.x, region.width / outW, clampX, src.width, bx0);
  const rows = footprints(outH, region.y, region.height / outH, clampY, src.height, by0);
  // Exact integer sums in one pass over the covered source pixels: the footprints of neighbouring outputs meet without
  // overlapping, so each source pixel is added once, into its output column's running sum for the current output row.
  const stride = outW * 3;
  const sum = new Int32Array(stride);
  const rgb = src.rgb;
  const lo3 = cols.lo.map((v) => v * 3);
  const hi3 = cols.hi.map((v) => v * 3);
  for (let oy = 0; oy < outH; oy++) {
    sum.fill(0);
    for (let y = rows.lo[oy]; y < rows.hi[oy]; y++) {
      const row = ((y + by0) * src.width + bx0) * 3;
      for (let ox = 0, k = 0; ox < outW; ox++, k += 3) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let i = row + lo3[ox], e = row + hi3[ox]; i < e; i += 3) {
          r += rgb[i];
          g += rgb[i + 1];
          b += rgb[i + 2];
        }
        sum[k] += r;
        sum[k + 1] += g;
        sum[k + 2] += b;
      }
    }
    const insideY = rows.hi[oy] - rows.lo[oy];
    let o = oy * stride;
    for (let ox = 0; ox < outW; ox++, o += 3) {
      const inside = (cols.hi[ox] - cols.lo[ox]) * insideY;
      const total = edge ? inside : cols.span[ox] * rows.span[oy];
      const outside = edge ? 0 : (total - inside) * fillValue;
      for (let c = 0; c < 3; c++) out[o + c] = Math.round(((inside > 0 ? sum[ox * 3 + c] : 0) + outside) / total);
    }
  }
  return { width: outW, height: outH, rgb: out };
}
