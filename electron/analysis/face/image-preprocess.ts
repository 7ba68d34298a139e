import type { ModelManifest } from '../models/manifest.js';
import type { RgbImage } from '../image.js';

/**
 * Face crop → model input tensor, driven by the manifest. Reproduces the Python training/reference pipeline
 * (native-models/face-cnn/train/preprocess_reference.py) bit for bit up to the final float normalisation:
 *   1. grayscale with Pillow's 'L' conversion (ITU-R 601-2 luma, fixed point):
 *        L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16   (= R*299/1000 + G*587/1000 + B*114/1000, rounded)
 *   2. resize to the input size with Pillow's separable resampler (horizontal pass, then vertical; 8-bit
 *      intermediate, 22-bit fixed-point weights): BOX filter when shrinking an axis (area-style averaging),
 *      BILINEAR when enlarging it.
 *   3. x' = (x / scale − mean) / std.
 */

/**
 * The model input value of each 8-bit level, per RGB channel, for the manifest's normalisation (per channel, or one
 * value for all): a lookup table computed once per model instead of the formula per pixel.
 */
export function levelTables({ scale, mean, std }: ModelManifest['input']['normalization']): Float32Array[] {
  const perChannel = (values: number[], c: number) => (values.length === 3 ? values[c] : values[0]);
  return [0, 1, 2].map((c) => Float32Array.from({ length: 256 }, (_, v) => (v / scale - perChannel(mean, c)) / perChannel(std, c)));
}

const PRECISION_BITS = 22;
const FIXED_ONE = 2 ** PRECISION_BITS;

export function rgbToGray(img: RgbImage): Uint8Array {
  const n = img.width * img.height;
  if (img.rgb.length < n * 3) throw new Error(`RGB buffer holds ${img.rgb.length} bytes, expected ${n * 3}`);
  const out = new Uint8Array(n);
  const { rgb } = img;
  for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = (rgb[j] * 19595 + rgb[j + 1] * 38470 + rgb[j + 2] * 7471 + 0x8000) >>> 16;
  return out;
}

type Filter = { support: number; weight: (x: number) => number };
const BOX: Filter = { support: 0.5, weight: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0) };
const BILINEAR: Filter = {
  support: 1,
  weight: (x) => {
    const a = Math.abs(x);
    return a < 1 ? 1 - a : 0;
  },
};

interface Coeffs {
  bounds: Int32Array; // [xmin, count] per output pixel
  weights: Int32Array; // fixed point, ksize per output pixel
  ksize: number;
}

/** Pillow's precompute_coeffs + normalize_coeffs_8bpc for one axis. */
function coefficients(inSize: number, outSize: number, filter: Filter): Coeffs {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const ss = 1 / filterScale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      k[x] = filter.weight((x + xmin - center + 0.5) * ss);
      ww += k[x];
    }
    for (let x = 0; x < xmax; x++) {
      const v = ww !== 0 ? k[x] / ww : k[x];
      weights[xx * ksize + x] = v < 0 ? Math.trunc(-0.5 + v * FIXED_ONE) : Math.trunc(0.5 + v * FIXED_ONE);
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { bounds, weights, ksize };
}

function clip8(ss: number): number {
  const v = Math.floor(ss / FIXED_ONE);
  return v <= 0 ? 0 : v >= 255 ? 255 : v;
}

/** Resize an 8-bit single-channel image like Pillow's Image.resize (BOX when shrinking, BILINEAR when enlarging). */
export function resizeGray(src: Uint8Array, width: number, height: number, outWidth: number, outHeight: number): Uint8Array {
  let cur = src;
  let curW = width;
  if (outWidth !== width) {
    const c = coefficients(width, outWidth, outWidth < width ? BOX : BILINEAR);
    const next = new Uint8Array(outWidth * height);
    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let xx = 0; xx < outWidth; xx++) {
        const xmin = c.bounds[xx * 2];
        const count = c.bounds[xx * 2 + 1];
        let ss = FIXED_ONE / 2;
        for (let x = 0; x < count; x++) ss += cur[row + xmin + x] * c.weights[xx * c.ksize + x];
        next[y * outWidth + xx] = clip8(ss);
      }
    }
    cur = next;
    curW = outWidth;
  }
  if (outHeight !== height) {
    const c = coefficients(height, outHeight, outHeight < height ? BOX : BILINEAR);
    const next = new Uint8Array(curW * outHeight);
    for (let yy = 0; yy < outHeight; yy++) {
      const ymin = c.bounds[yy * 2];
      const count = c.bounds[yy * 2 + 1];
      for (let x = 0; x < curW; x++) {
        let ss = FIXED_ONE / 2;
        for (let y = 0; y < count; y++) ss += cur[(ymin + y) * curW + x] * c.weights[yy * c.ksize + y];
        next[yy * curW + x] = clip8(ss);
      }
    }
    cur = next;
  }
  return cur === src ? src.slice() : cur;
}

export interface InputGeometry {
  channels: 'gray' | 'rgb';
  width: number;
  height: number;
  layout: 'NCHW' | 'NHWC';
}

/** Width/height/channels the manifest's input shape asks for (batch dimension first). */
export function inputGeometry(manifest: Pick<ModelManifest, 'input'>): InputGeometry {
  const { shape, layout, channels } = manifest.input;
  if (shape.length !== 4) throw new Error(`face model input shape must be 4-D, got [${shape.join(', ')}]`);
  if (channels !== 'gray' && channels !== 'rgb') throw new Error(`face model input channels must be gray or rgb, got ${channels}`);
  if (layout !== 'NCHW' && layout !== 'NHWC') throw new Error(`face model input layout must be NCHW or NHWC, got ${layout}`);
  const [h, w] = layout === 'NCHW' ? [shape[2], shape[3]] : [shape[1], shape[2]];
  const c = layout === 'NCHW' ? shape[1] : shape[3];
  if (c !== (channels === 'gray' ? 1 : 3)) throw new Error(`input shape channel count ${c} does not match channels=${channels}`);
  return { channels, width: w, height: h, layout };
}

/** One crop → Float32Array of length C*H*W in the manifest's layout. */
export function preprocessFace(img: RgbImage, manifest: Pick<ModelManifest, 'input'>): Float32Array {
  const geo = inputGeometry(manifest);
  const { scale, mean, std } = manifest.input.normalization;
  const n = geo.width * geo.height;
  if (geo.channels === 'gray') {
    const gray = resizeGray(rgbToGray(img), img.width, img.height, geo.width, geo.height);
    const out = new Float32Array(n);
    const m = mean[0] ?? 0;
    const s = std[0] ?? 1;
    for (let i = 0; i < n; i++) out[i] = (gray[i] / scale - m) / s;
    return out;
  }
  const out = new Float32Array(n * 3);
  for (let c = 0; c < 3; c++) {
    const plane = new Uint8Array(img.width * img.height);
    for (let i = 0; i < plane.length; i++) plane[i] = img.rgb[i * 3 + c];
    const resized = resizeGray(plane, img.width, img.height, geo.width, geo.height);
    const m = mean[c] ?? mean[0] ?? 0;
    const s = std[c] ?? std[0] ?? 1;
    for (let i = 0; i < n; i++) {
      const v = (resized[i] / scale - m) / s;
      if (geo.layout === 'NCHW') out[c * n + i] = v;
      else out[i * 3 + c] = v;
    }
  }
  return out;
}

/** A batch of crops → one tensor [N, …input shape]. */
export function preprocessBatch(imgs: readonly RgbImage[], manifest: Pick<ModelManifest, 'input'>): { data: Float32Array; dims: number[] } {
  const geo = inputGeometry(manifest);
  const per = geo.width * geo.height * (geo.channels === 'gray' ? 1 : 3);
  const data = new Float32Array(imgs.length * per);
  imgs.forEach((img, i) => data.set(preprocessFace(img, manifest), i * per));
  const dims = [imgs.length, ...manifest.input.shape.slice(1)];
  return { data, dims };
}
