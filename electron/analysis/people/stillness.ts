import type { Box, RgbImage } from '../image.js';

/**
 * How much the pixels of a face's region changed since the same track's previous frame, in grey levels (0–255): the
 * mean absolute difference of the grey levels at a 16×16 grid of points of the SAME box (the previous frame's) in both frames, so
 * detector jitter does not count. A person on camera changes the region every frame (breathing, blinking, head motion,
 * sensor noise); a photo in a shared slide does not change at all between frames (compression leaves still areas
 * alone). A face whose region never moves (see face-participants.ts) is taken as a picture, not a person.
 */
const SIDE = 16;

export class StillnessMeter {
  private readonly previous = new Map<number, { box: Box; patch: Float32Array; frame: number }>();

  /** The change for track `trackId` at `frameIndex`, or null on its first frame (or after a gap). */
  measure(image: RgbImage, frameIndex: number, trackId: number, box: Box): number | null {
    const prev = this.previous.get(trackId);
    let change: number | null = null;
    if (prev && prev.frame === frameIndex - 1) {
      const now = greyPatch(image, prev.box);
      let sum = 0;
      for (let i = 0; i < now.length; i++) sum += Math.abs(now[i] - prev.patch[i]);
      change = sum / now.length;
    }
    this.previous.set(trackId, { box, patch: greyPatch(image, box), frame: frameIndex });
    return change;
  }

  /** Drop tracks not seen since before `frameIndex` − 1 (they can no longer be measured). */
  prune(frameIndex: number): void {
    for (const [id, p] of this.previous) if (p.frame < frameIndex - 1) this.previous.delete(id);
  }
}

/** Grey levels at a 16×16 grid of points over the box (the same points in both frames: no resampling needed). */
function greyPatch(image: RgbImage, box: Box): Float32Array {
  const out = new Float32Array(SIDE * SIDE);
  for (let gy = 0; gy < SIDE; gy++) {
    const y = Math.min(image.height - 1, Math.max(0, Math.floor(box.y + ((gy + 0.5) * box.height) / SIDE)));
    for (let gx = 0; gx < SIDE; gx++) {
      const x = Math.min(image.width - 1, Math.max(0, Math.floor(box.x + ((gx + 0.5) * box.width) / SIDE)));
      const i = (y * image.width + x) * 3;
      out[gy * SIDE + gx] = 0.299 * image.rgb[i] + 0.587 * image.rgb[i + 1] + 0.114 * image.rgb[i + 2];
    }
  }
  return out;
}
