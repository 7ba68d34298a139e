import type { RgbImage } from '../image.js';
import type { FaceDetection } from './detector.js';
import { cropImage, halveImage } from './face-finder.js';

/**
 * Face alignment for the identity model: a similarity transform (rotation, uniform scale, shift) that maps
 * BlazeFace's key points onto dlib's face-chip template, then a bilinear warp to the chip size.
 *
 * dlib makes the chips its face-recognition ResNet was trained on with `get_face_chip_details(shape, 150, 0.25)`:
 * the 68-point mean face shape (points 17–67, unit square) is padded by 0.25 on every side and scaled to 150 px,
 * and the landmarks are fitted to it by least squares. BlazeFace gives six points, not 68; we fit four of them to the
 * matching points of the same template (ears are left out: they are unreliable in near-profile views):
 *   right eye (subject's; image left)  = mean of template points 36–41
 *   left eye  (subject's; image right) = mean of template points 42–47
 *   nose tip                           = template point 30
 *   mouth centre                       = mean of template points 62 and 66 (inner lips, centre)
 * The template coordinates are dlib's `mean_face_shape_x/y` (dlib/image_transforms/interpolation.h).
 */

/** dlib mean face shape, points 17..67, x then y, unit square. */
const MEAN_X = [
  0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124, 0.904991, 0.98004, 0.490127, 0.490127, 0.490127, 0.490127,
  0.36688, 0.426036, 0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825, 0.334606, 0.260918, 0.182743, 0.645647, 0.714428, 0.793132, 0.858516,
  0.79751, 0.719335, 0.254149, 0.340985, 0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721, 0.490127, 0.423532, 0.338094, 0.290379,
  0.428096, 0.490127, 0.552157, 0.689874, 0.553364, 0.490127, 0.42689,
];
const MEAN_Y = [
  0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891, 0.0187482, 0.038915, 0.106454, 0.203352, 0.307009, 0.409805, 0.515625,
  0.587326, 0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852, 0.231733, 0.245099, 0.244077, 0.231733, 0.179852, 0.178758,
  0.216423, 0.244077, 0.245099, 0.780233, 0.745405, 0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805, 0.902192, 0.909281, 0.902192,
  0.864805, 0.784792, 0.778746, 0.785343, 0.778746, 0.784792, 0.824182, 0.831803, 0.824182,
];

interface Point {
  x: number;
  y: number;
}

const meanOf = (points: number[]): Point => ({
  x: points.reduce((s, p) => s + MEAN_X[p - 17], 0) / points.length,
  y: points.reduce((s, p) => s + MEAN_Y[p - 17], 0) / points.length,
});

/** Unit-square template positions of BlazeFace key points 0..3 (right eye, left eye, nose tip, mouth centre). */
export const TEMPLATE_UNIT: readonly Point[] = [meanOf([36, 37, 38, 39, 40, 41]), meanOf([42, 43, 44, 45, 46, 47]), meanOf([30]), meanOf([62, 66])];

/** A similarity transform x' = a·x − b·y + tx, y' = b·x + a·y + ty. */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/** Least-squares similarity (Umeyama without reflection) taking `from` onto `to`. */
export function fitSimilarity(from: readonly Point[], to: readonly Point[]): Similarity {
  const n = from.length;
  if (n < 2 || to.length !== n) throw new Error(`fitSimilarity needs two or more point pairs, got ${n} and ${to.length}`);
  let fx = 0,
    fy = 0,
    gx = 0,
    gy = 0;
  for (let i = 0; i < n; i++) ((fx += from[i].x), (fy += from[i].y), (gx += to[i].x), (gy += to[i].y));
  ((fx /= n), (fy /= n), (gx /= n), (gy /= n));
  let sxx = 0,
    sab = 0,
    sba = 0;
  for (let i = 0; i < n; i++) {
    const px = from[i].x - fx,
      py = from[i].y - fy,
      qx = to[i].x - gx,
      qy = to[i].y - gy;
    sxx += px * px + py * py;
    sab += px * qx + py * qy;
    sba += px * qy - py * qx;
  }
  if (sxx === 0) throw new Error('fitSimilarity: the source points coincide');
  const a = sab / sxx;
  const b = sba / sxx;
  return { a, b, tx: gx - (a * fx - b * fy), ty: gy - (b * fx + a * fy) };
}

export const apply = (t: Similarity, p: Point): Point => ({ x: t.a * p.x - t.b * p.y + t.tx, y: t.b * p.x + t.a * p.y + t.ty });

export function invert(t: Similarity): Similarity {
  const d = t.a * t.a + t.b * t.b;
  const a = t.a / d;
  const b = -t.b / d;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

export interface ChipSpec {
  /** Output side in pixels (150 for dlib's network). */
  size: number;
  /** Template padding on each side, as a fraction of the template's unit square (0.25 for dlib's network). */
  padding: number;
}

export const DLIB_CHIP: ChipSpec = { size: 150, padding: 0.25 };

/** The template key points in chip pixels. */
export function templatePoints(spec: ChipSpec): Point[] {
  const k = spec.size / (1 + 2 * spec.padding);
  return TEMPLATE_UNIT.map((p) => ({ x: (p.x + spec.padding) * k, y: (p.y + spec.padding) * k }));
}

/** The transform from source-image pixels to chip pixels for one detection. */
export function chipTransform(face: Pick<FaceDetection, 'keypoints'>, spec: ChipSpec = DLIB_CHIP): Similarity {
  if (face.keypoints.length < 4) throw new Error(`alignment needs BlazeFace's eye, nose and mouth key points, got ${face.keypoints.length} points`);
  return fitSimilarity(face.keypoints.slice(0, 4), templatePoints(spec));
}

/**
 * Cut the aligned face chip (RGB, spec.size²) for a detection: every chip pixel centre is mapped back into the
 * source and sampled bilinearly; outside the image the nearest edge pixel is used. When the chip is much smaller
 * than the face (a shrink of 2× or more) the source is first averaged over 2×2 blocks per halving, so small chips
 * from large faces do not alias.
 */
export function alignFace(frame: RgbImage, face: Pick<FaceDetection, 'keypoints'>, spec: ChipSpec = DLIB_CHIP): RgbImage {
  let t = chipTransform(face, spec);
  // Work on the part of the frame the chip covers (plus a border), so the cost does not grow with the frame.
  const inv0 = invert(t);
  const corners = [
    apply(inv0, { x: 0, y: 0 }),
    apply(inv0, { x: spec.size, y: 0 }),
    apply(inv0, { x: 0, y: spec.size }),
    apply(inv0, { x: spec.size, y: spec.size }),
  ];
  const x0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c.x))) - 2);
  const y0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c.y))) - 2);
  const x1 = Math.min(frame.width, Math.ceil(Math.max(...corners.map((c) => c.x))) + 2);
  const y1 = Math.min(frame.height, Math.ceil(Math.max(...corners.map((c) => c.y))) + 2);
  const area = x1 - x0 >= 2 && y1 - y0 >= 2 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
  if (area) t = { ...t, tx: t.tx + t.a * x0 - t.b * y0, ty: t.ty + t.b * x0 + t.a * y0 };
  // Source pixels per chip pixel: 1 / scale of the forward transform.
  let shrink = 1 / Math.hypot(t.a, t.b);
  let src = frame;
  if (area && shrink >= 2 && area.width >= 4 && area.height >= 4) {
    src = halveImage(frame, area); // the first halving reads the area in place (no copy of it)
    t = { a: t.a * 2, b: t.b * 2, tx: t.tx, ty: t.ty };
    shrink /= 2;
  } else if (area) src = cropImage(frame, area.x, area.y, area.width, area.height);
  while (shrink >= 2 && src.width >= 4 && src.height >= 4) {
    src = halveImage(src);
    t = { a: t.a * 2, b: t.b * 2, tx: t.tx, ty: t.ty }; // x_half = x / 2  ⇒  chip = T(2·x_half)
    shrink /= 2;
  }
  return warp(src, invert(t), spec.size);
}

/** Bilinear warp: out(u, v) = src(inv(u + 0.5, v + 0.5) − 0.5), edge-clamped. */
function warp(src: RgbImage, inv: Similarity, size: number): RgbImage {
  const out = new Uint8Array(size * size * 3);
  const { width: w, height: h, rgb } = src;
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      const p = apply(inv, { x: u + 0.5, y: v + 0.5 });
      const fx = Math.min(w - 1, Math.max(0, p.x - 0.5));
      const fy = Math.min(h - 1, Math.max(0, p.y - 0.5));
      const x0 = Math.floor(fx),
        y0 = Math.floor(fy);
      const x1 = Math.min(w - 1, x0 + 1),
        y1 = Math.min(h - 1, y0 + 1);
      const ax = fx - x0,
        ay = fy - y0;
      const o = (v * size + u) * 3;
      for (let c = 0; c < 3; c++) {
        const top = rgb[(y0 * w + x0) * 3 + c] * (1 - ax) + rgb[(y0 * w + x1) * 3 + c] * ax;
        const bottom = rgb[(y1 * w + x0) * 3 + c] * (1 - ax) + rgb[(y1 * w + x1) * 3 + c] * ax;
        out[o + c] = Math.round(top * (1 - ay) + bottom * ay);
      }
    }
  }
  return { width: size, height: size, rgb: out };
}
