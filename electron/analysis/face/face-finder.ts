import type { Box, RgbImage } from '../image.js';
import { resampleRegion } from '../image.js';
import type { FaceDetection, FaceDetector } from './detector.js';

/**
 * Every face in a frame, small gallery tiles and self-view thumbnails included.
 *
 * BlazeFace sees the frame letterboxed to its input (128 px for the front model), so a face 1/10 of a 720p frame's
 * height is ~7 px there: far below what it was trained on. The finder therefore runs the detector
 *   1. on the whole frame (the single-person path, exactly as before), and
 *   2. on a window pyramid: for each `levels` entry the frame is scaled so its shorter side has that many pixels and
 *      cut into detector-sized square windows overlapping by `overlap`;
 * and merges the results with a non-maximum suppression that also drops boxes lying mostly inside a better one
 * (a face cut by a window edge). Windows are plain copies from one resampled image per level, so the cost is the
 * detector runs plus one resample per level.
 *
 * Streaming (`next`): the pyramid scan runs every `scanEvery` frames (up to every `scanEveryMax` while scans find
 * nothing the whole-frame pass missed, so one person on screen costs little more than before); in between, the whole frame is searched as
 * before and each small face of the previous frame that this whole-frame pass did not find again is searched in a
 * window around it (3× its size), so a gallery costs a few detector runs per frame and a single large face costs what it did before. A face that appears
 * between scans (a camera switched on) is found at the next scan, at most `scanEveryMax` frames later.
 * The chosen settings and the measurements behind them: native-models/blazeface-front-128/MODEL_CARD.md.
 */
export interface FaceFinderOptions {
  /** Shorter side, in pixels, of each pyramid level (ascending); [] = whole frame only. */
  levels: readonly number[];
  /** Overlap of neighbouring windows as a fraction of the window side. */
  overlap: number;
  /** Full pyramid scan every this many frames in `next` (1 = every frame) … */
  scanEvery: number;
  /** … doubling up to this many while scans find no face that the whole-frame pass missed (one person on screen). */
  scanEveryMax?: number;
  /** Faces whose longer box side is below this fraction of the frame's longer side are re-searched around their last box. */
  smallFace: number;
  /** Detections below this score are dropped (chosen on call layouts and face-free clips; see the card). */
  minScore: number;
  /** IoU above which two boxes are the same face. */
  iou: number;
  /** Intersection over the smaller box above which the smaller (lower-scoring) box is dropped. */
  containment: number;
}

export const DEFAULT_FINDER: FaceFinderOptions = {
  levels: [360],
  overlap: 0.25,
  scanEvery: 4,
  scanEveryMax: 16,
  smallFace: 0.25,
  minScore: 0.75,
  iou: 0.3,
  containment: 0.6,
};

export interface FoundFace extends FaceDetection {
  /** 'frame' (whole-frame pass), 'scan' (pyramid window) or 'follow' (window around last frame's face). */
  via: 'frame' | 'scan' | 'follow';
}

export class FaceFinder {
  private previous: FoundFace[] = [];
  private sinceScan = Infinity;
  private interval: number;
  /** Detector runs so far (for cost figures). */
  runs = 0;

  private readonly detector: FaceDetector;
  private readonly windowDetector: FaceDetector;

  /**
   * `frame`: the detector for the whole frame and for following small faces (front-128 by default);
   * `windows`: the detector for pyramid windows (back-256 by default: larger windows, fewer runs).
   */
  constructor(
    detectors: { frame: FaceDetector; windows?: FaceDetector },
    readonly opts: FaceFinderOptions = DEFAULT_FINDER,
  ) {
    this.detector = detectors.frame;
    this.windowDetector = detectors.windows ?? detectors.frame;
    this.interval = opts.scanEvery;
    if (!(opts.scanEvery >= 1)) throw new Error(`scanEvery must be ≥ 1, got ${opts.scanEvery}`);
    if (!(opts.overlap >= 0 && opts.overlap < 1)) throw new Error(`overlap must be in [0, 1), got ${opts.overlap}`);
  }

  /** Forget the previous frame (call between recordings). */
  reset(): void {
    this.previous = [];
    this.sinceScan = Infinity;
    this.interval = this.opts.scanEvery;
  }

  /** All faces in one image: whole frame plus the full window pyramid. Stateless. */
  async scan(image: RgbImage): Promise<FoundFace[]> {
    return (await this.scanDetailed(image)).faces;
  }

  /** `scan`, and whether it found a face that the whole-frame pass alone did not. */
  private async scanDetailed(image: RgbImage): Promise<{ faces: FoundFace[]; added: boolean }> {
    const work = workingImage(image);
    const found = await this.wholeFrame(work.image, work.scale);
    for (const level of this.opts.levels) {
      // Each level is cut from the smaller of the frame and its halved copy that still has the level's resolution.
      const src = Math.min(work.image.width, work.image.height) >= level ? work : { image, scale: 1 };
      found.push(...(await this.pyramidLevel(src.image, level, src.scale)));
    }
    const whole = found.filter((f) => f.via === 'frame');
    const faces = this.merge(found);
    return { faces, added: faces.some((f) => !whole.some((w) => boxIou(w.box, f.box) >= this.opts.iou)) };
  }

  /** Faces in the next frame of a recording (see the class comment for the schedule). */
  async next(frame: RgbImage): Promise<FoundFace[]> {
    let faces: FoundFace[];
    if (this.sinceScan >= this.interval) {
      const scanned = await this.scanDetailed(frame);
      faces = scanned.faces;
      this.sinceScan = 1;
      // A scan that added nothing to the whole-frame pass (one large face, or none) lets the next one wait longer.
      const added = scanned.added;
      this.interval = added ? this.opts.scanEvery : Math.min(this.opts.scanEveryMax ?? this.opts.scanEvery, this.interval * 2);
    } else {
      this.sinceScan++;
      const work = workingImage(frame);
      const found = await this.wholeFrame(work.image, work.scale);
      const longSide = Math.max(frame.width, frame.height);
      for (const prev of this.previous) {
        const side = Math.max(prev.box.width, prev.box.height);
        if (side >= this.opts.smallFace * longSide) continue;
        // Found again by the whole-frame pass where it was: no window needed (a 2×1 gallery's faces, found whole).
        if (found.some((f) => f.score >= this.opts.minScore && boxIou(f.box, prev.box) >= this.opts.iou)) continue;
        const w = Math.max(side * 3, 24);
        const cx = prev.box.x + prev.box.width / 2;
        const cy = prev.box.y + prev.box.height / 2;
        const dets = await this.inWindow(frame, { x: cx - w / 2, y: cy - w / 2, width: w, height: w });
        found.push(...dets.map((d) => ({ ...d, via: 'follow' as const })));
      }
      faces = this.merge(found);
    }
    this.previous = faces;
    return faces;
  }

  /** The whole-frame pass on `image`, a copy of the frame reduced by `toFrame` (boxes come back in frame pixels). */
  private async wholeFrame(image: RgbImage, toFrame: number): Promise<FoundFace[]> {
    this.runs++;
    return (await this.detector.detect(image)).map((d) => ({ ...scaleDetection(d, toFrame), via: 'frame' as const }));
  }

  /** One pyramid level: resample once (not at all when `image` already has the level's size), then windows. */
  private async pyramidLevel(image: RgbImage, shortSide: number, toFrame: number): Promise<FoundFace[]> {
    const win = this.windowDetector.size;
    const scale = shortSide / Math.min(image.width, image.height);
    const w = Math.max(1, Math.round(image.width * scale));
    const h = Math.max(1, Math.round(image.height * scale));
    if (Math.max(w, h) <= win) return []; // the whole-frame pass already sees this level
    const level =
      w === image.width && h === image.height ? image : resampleRegion(image, { x: 0, y: 0, width: image.width, height: image.height }, w, h, 'edge');
    const out: FoundFace[] = [];
    for (const y of windowStarts(h, win, this.opts.overlap))
      for (const x of windowStarts(w, win, this.opts.overlap)) {
        this.runs++;
        for (const d of await this.windowDetector.detectRegion(level, { x, y, width: win, height: win }))
          out.push({ ...scaleDetection(d, toFrame / scale), via: 'scan' });
      }
    return out;
  }

  /** The detector on one square window of the frame; only the pixels under the window are resampled. */
  private async inWindow(image: RgbImage, region: Box): Promise<FaceDetection[]> {
    const x0 = Math.max(0, Math.floor(region.x));
    const y0 = Math.max(0, Math.floor(region.y));
    const x1 = Math.min(image.width, Math.ceil(region.x + region.width));
    const y1 = Math.min(image.height, Math.ceil(region.y + region.height));
    if (x1 - x0 < 2 || y1 - y0 < 2) return [];
    const part = cropImage(image, x0, y0, x1 - x0, y1 - y0);
    this.runs++;
    const dets = await this.detector.detectRegion(part, { x: region.x - x0, y: region.y - y0, width: region.width, height: region.height });
    return dets.map((d) => shiftDetection(d, x0, y0));
  }

  /** Best-first suppression: a box overlapping a kept one (IoU) or lying mostly inside it (containment) is dropped. */
  private merge(found: FoundFace[]): FoundFace[] {
    const sorted = found.filter((f) => f.score >= this.opts.minScore).sort((a, b) => b.score - a.score);
    const kept: FoundFace[] = [];
    for (const f of sorted) {
      const clash = kept.some((k) => {
        const inter = intersection(k.box, f.box);
        const small = Math.min(area(k.box), area(f.box));
        return inter / (area(k.box) + area(f.box) - inter) >= this.opts.iou || (small > 0 && inter / small >= this.opts.containment);
      });
      if (!clash) kept.push(f);
    }
    return kept;
  }
}

/**
 * The frame halved (2×2 box average) while its shorter side is 720 px or more: a 720p frame is searched whole at
 * 640×360, as the engine's default decoding size gives, so a larger decode does not make the single-person pass
 * dearer; the full frame is kept for pyramid levels and follow windows that need its detail.
 */
export function workingImage(frame: RgbImage): { image: RgbImage; scale: number } {
  let image = frame;
  let scale = 1;
  while (Math.min(image.width, image.height) >= 720) {
    image = halveImage(image);
    scale *= 2;
  }
  return { image, scale };
}

/**
 * Average 2×2 blocks (an odd last row or column is dropped), of the whole image or of a pixel-aligned `area` inside it
 * (the same bytes as halving a copy of that area, without making the copy).
 */
export function halveImage(src: RgbImage, area: Box = { x: 0, y: 0, width: src.width, height: src.height }): RgbImage {
  const w = area.width >> 1;
  const h = area.height >> 1;
  const out = new Uint8Array(w * h * 3);
  const row = src.width * 3;
  const origin = (area.y * src.width + area.x) * 3;
  for (let y = 0; y < h; y++) {
    const i0 = origin + 2 * y * row;
    const o0 = y * w * 3;
    for (let x = 0; x < w; x++) {
      const i = i0 + 6 * x;
      const o = o0 + 3 * x;
      out[o] = (src.rgb[i] + src.rgb[i + 3] + src.rgb[i + row] + src.rgb[i + row + 3] + 2) >> 2;
      out[o + 1] = (src.rgb[i + 1] + src.rgb[i + 4] + src.rgb[i + row + 1] + src.rgb[i + row + 4] + 2) >> 2;
      out[o + 2] = (src.rgb[i + 2] + src.rgb[i + 5] + src.rgb[i + row + 2] + src.rgb[i + row + 5] + 2) >> 2;
    }
  }
  return { width: w, height: h, rgb: out };
}

/** Window start positions along one axis: first at 0, last flush with the end, evenly spaced, ≥ `overlap` shared. */
export function windowStarts(length: number, win: number, overlap: number): number[] {
  if (length <= win) return [(length - win) / 2];
  const stride = win * (1 - overlap);
  const n = Math.ceil((length - win) / stride) + 1;
  return Array.from({ length: n }, (_, i) => Math.round((i * (length - win)) / (n - 1)));
}

const area = (b: Box) => Math.max(0, b.width) * Math.max(0, b.height);

export function intersection(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

export function boxIou(a: Box, b: Box): number {
  const inter = intersection(a, b);
  return inter > 0 ? inter / (area(a) + area(b) - inter) : 0;
}

function scaleDetection(d: FaceDetection, k: number): FaceDetection {
  return {
    box: { x: d.box.x * k, y: d.box.y * k, width: d.box.width * k, height: d.box.height * k },
    score: d.score,
    keypoints: d.keypoints.map((p) => ({ x: p.x * k, y: p.y * k })),
  };
}

function shiftDetection(d: FaceDetection, dx: number, dy: number): FaceDetection {
  return {
    box: { ...d.box, x: d.box.x + dx, y: d.box.y + dy },
    score: d.score,
    keypoints: d.keypoints.map((p) => ({ x: p.x + dx, y: p.y + dy })),
  };
}

/** A copy of a rectangle of an image (inside the image). */
export function cropImage(src: RgbImage, x: number, y: number, w: number, h: number, into?: Uint8Array): RgbImage {
  const out = into && into.length >= w * h * 3 ? into.subarray(0, w * h * 3) : new Uint8Array(w * h * 3);
  for (let r = 0; r < h; r++) out.set(src.rgb.subarray(((y + r) * src.width + x) * 3, ((y + r) * src.width + x + w) * 3), r * w * 3);
  return { width: w, height: h, rgb: out };
}
