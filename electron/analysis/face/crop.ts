import type { Box, RgbImage } from '../image.js';
import { resampleRegion } from '../image.js';

export interface CropSpec {
  /** Fraction of the box size added on each side. */
  margin: number;
  /** Expand the shorter side so the crop is square (keeps the face's aspect ratio). */
  square: boolean;
  /** Move the crop centre by this fraction of the box height (negative = up); 0 when absent. */
  offsetY?: number;
}

export const DEFAULT_CROP: CropSpec = { margin: 0.15, square: true };

/** The region to cut around a detected face box (may extend past the image; it is edge-filled). */
export function expandBox(box: Box, spec: CropSpec): Box {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2 + (spec.offsetY ?? 0) * box.height;
  let w = box.width * (1 + 2 * spec.margin);
  let h = box.height * (1 + 2 * spec.margin);
  if (spec.square) w = h = Math.max(w, h);
  return { x: cx - w / 2, y: cy - h / 2, width: w, height: h };
}

/** Cut and resample a face crop of `size`×`size` (or `width`×`height`) pixels from a frame. */
export function cropFace(frame: RgbImage, box: Box, spec: CropSpec, width: number, height = width): RgbImage {
  return resampleRegion(frame, expandBox(box, spec), width, height, 'edge');
}
