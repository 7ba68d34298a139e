import type { RgbImage } from '../image.js';
import type { FaceDetection } from '../face/detector.js';
import { alignFace, type ChipSpec } from '../face/align.js';

/**
 * Mouth activity: how much the mouth region of one face changed since the same track's previous frame.
 * The face is aligned to a small template chip (face/align.ts: rotation, scale and position removed, so head motion
 * counts little), the mouth area of the chip is taken in gray, and the activity is the mean absolute change of that
 * patch, divided by the patch's own contrast (lighting and skin tone cancel out). Talking opens and closes the
 * mouth: the series rises while a person speaks. It is meant to be correlated with speech activity over time to
 * link a voice to a face (the correlation and the decision are the caller's); it is not a speech detector by itself.
 */
const CHIP: ChipSpec = { size: 32, padding: 0.25 };
/** Mouth rows and columns of the 32-px chip (template mouth centre ≈ (15.8, 22.6), corners at x ≈ 10.7 and 20.8). */
const ROWS: [number, number] = [18, 26];
const COLS: [number, number] = [9, 23];

/** Gray mouth patch of one face, or null when the key points are missing. */
export function mouthPatch(image: RgbImage, face: Pick<FaceDetection, 'keypoints'>): Float32Array | null {
  if (face.keypoints.length < 4) return null;
  const chip = alignFace(image, face, CHIP);
  const w = COLS[1] - COLS[0];
  const out = new Float32Array(w * (ROWS[1] - ROWS[0]));
  for (let y = ROWS[0]; y < ROWS[1]; y++)
    for (let x = COLS[0]; x < COLS[1]; x++) {
      const i = (y * CHIP.size + x) * 3;
      out[(y - ROWS[0]) * w + (x - COLS[0])] = 0.299 * chip.rgb[i] + 0.587 * chip.rgb[i + 1] + 0.114 * chip.rgb[i + 2];
    }
  return out;
}

/** Mean absolute change between two patches over their mean contrast (standard deviation + 4 gray levels). */
export function mouthActivity(previous: Float32Array, current: Float32Array): number {
  const n = current.length;
  let diff = 0;
  for (let i = 0; i < n; i++) diff += Math.abs(current[i] - previous[i]);
  return diff / n / ((std(previous) + std(current)) / 2 + 4);
}

function std(v: Float32Array): number {
  let m = 0;
  for (const x of v) m += x;
  m /= v.length;
  let s = 0;
  for (const x of v) s += (x - m) ** 2;
  return Math.sqrt(s / v.length);
}
