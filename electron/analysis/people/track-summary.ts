import type { Box, RgbImage } from '../image.js';
import { seededRandom } from '../random.js';

/**
 * What is kept of one face track (a run of detections linked frame to frame): bounded whatever its length.
 *   - descriptor mean and count (identity), up to MAX_SAMPLES individual descriptors (for spread checks);
 *   - a uniform reservoir of MAX_BOXES boxes (for a median box);
 *   - first/last time and frame count; the best thumbnail source (largest confident face) as a small RGB crop.
 */
export const MAX_SAMPLES = 8;
export const MAX_BOXES = 64;

export class TrackSummary {
  readonly boxes: Box[] = [];
  readonly samples: Float32Array[] = [];
  descriptorSum: Float64Array | null = null;
  descriptorCount = 0;
  frames = 0;
  firstS = Infinity;
  firstFrame = -1;
  lastS = -Infinity;
  lastFrame = -1;
  smallFrames = 0;
  thumb: { image: RgbImage; quality: number } | null = null;
  private seen = 0;
  private readonly random: () => number;

  constructor(readonly id: number) {
    this.random = seededRandom(id * 7919 + 1);
  }

  addFrame(frameIndex: number, timeS: number, box: Box, small: boolean): void {
    if (this.frames === 0) this.firstFrame = frameIndex;
    this.frames++;
    this.firstS = Math.min(this.firstS, timeS);
    this.lastS = Math.max(this.lastS, timeS);
    this.lastFrame = frameIndex;
    if (small) this.smallFrames++;
    // Reservoir sampling: every box seen so far has the same chance to be kept.
    this.seen++;
    if (this.boxes.length < MAX_BOXES) this.boxes.push(box);
    else {
      const j = Math.floor(this.random() * this.seen);
      if (j < MAX_BOXES) this.boxes[j] = box;
    }
  }

  addDescriptor(d: Float32Array): void {
    if (!this.descriptorSum) this.descriptorSum = new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) this.descriptorSum[i] += d[i];
    this.descriptorCount++;
    if (this.samples.length < MAX_SAMPLES) this.samples.push(d);
    else this.samples[Math.floor(this.random() * MAX_SAMPLES)] = d;
  }

  /** Mean descriptor, or null before the first embedding. */
  mean(): Float32Array | null {
    if (!this.descriptorSum || this.descriptorCount === 0) return null;
    return Float32Array.from(this.descriptorSum, (v) => v / this.descriptorCount);
  }

  offerThumbnail(image: () => RgbImage, quality: number): void {
    if (!this.thumb || quality > this.thumb.quality) this.thumb = { image: image(), quality };
  }
}

/** Per-coordinate median of boxes (centre and size, so the result is a plausible box). */
export function medianBox(boxes: readonly Box[]): Box {
  if (boxes.length === 0) throw new Error('medianBox of no boxes');
  const med = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const cx = med(boxes.map((b) => b.x + b.width / 2));
  const cy = med(boxes.map((b) => b.y + b.height / 2));
  const w = med(boxes.map((b) => b.width));
  const h = med(boxes.map((b) => b.height));
  return { x: cx - w / 2, y: cy - h / 2, width: w, height: h };
}
