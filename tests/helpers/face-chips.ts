import path from 'node:path';
import { FaceDetector } from '../../electron/analysis/face/detector.js';
import { alignFace } from '../../electron/analysis/face/align.js';
import type { RgbImage } from '../../electron/analysis/image.js';
import { streamVideoFrames } from '../../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../../electron/analysis/media/ffmpeg-path.js';
import { probeMedia } from '../../electron/analysis/media/probe.js';
import { BUNDLED_MODELS_DIR } from '../../electron/analysis/models/registry.js';

/** Aligned 150×150 face chips (dlib template) from real video frames: the largest face of every `every`-th frame at `fps`. */
export async function alignedChips(file: string, opts: { fps: number; every?: number; max: number }): Promise<RgbImage[]> {
  const ff = resolveFfmpeg();
  const info = await probeMedia(file, ff);
  const detector = await FaceDetector.load(path.join(BUNDLED_MODELS_DIR, 'blazeface-front-128'));
  const chips: RgbImage[] = [];
  try {
    for await (const frame of streamVideoFrames(file, ff, info.video!, { fps: opts.fps, maxSide: 1280 })) {
      if (frame.index % (opts.every ?? 1) !== 0) continue;
      const face = await detector.detectLargest(frame);
      if (face) chips.push(alignFace({ width: frame.width, height: frame.height, rgb: frame.rgb.slice() }, face));
      if (chips.length >= opts.max) break;
    }
  } finally {
    await detector.release();
  }
  return chips;
}
