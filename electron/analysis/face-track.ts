import type { FaceDetector } from './face/detector.js';
import { cropFace, DEFAULT_CROP } from './face/crop.js';
import { inputGeometry } from './face/image-preprocess.js';
import type { FaceExpressionModel } from './face/expression-model.js';
import { streamVideoFrames } from './media/decode.js';
import type { ResolvedFfmpeg } from './media/ffmpeg-path.js';
import type { VideoStreamInfo } from './media/probe.js';
import type { RgbImage } from './image.js';
import type { FrameResult } from './result.js';
import { smoothProbabilities } from './smoothing.js';
import { argmax } from './vote.js';

const BATCH = 8;

export interface FaceTrackOptions {
  fps: number;
  maxSide: number;
  signal?: AbortSignal;
  /** Temporal smoothing: centred moving average over ±radius frames with a face (0 = none). */
  smoothRadius: number;
  /** Called with the media time (s) reached so far. */
  onTime?: (timeS: number) => void;
}

/**
 * The face track: decode frames at `fps`, find the largest face, crop it as the model was trained,
 * classify in small batches. Memory: one decoded frame plus BATCH small crops.
 */
export async function runFaceTrack(
  file: string,
  video: VideoStreamInfo,
  ff: ResolvedFfmpeg,
  detector: FaceDetector,
  model: FaceExpressionModel,
  opts: FaceTrackOptions,
): Promise<FrameResult[]> {
  const results: FrameResult[] = [];
  const size = inputGeometry(model.manifest);
  const crop = model.manifest.crop ?? DEFAULT_CROP;
  const abstainBelow = model.manifest.abstainBelow;
  let pending: Array<{ result: FrameResult; crop: RgbImage }> = [];
  const displayWidth = Math.abs(video.rotation) % 180 === 90 ? video.height : video.width;

  const classifyPending = async () => {
    if (pending.length === 0) return;
    const probs = await model.classify(pending.map((p) => p.crop));
    pending.forEach((p, i) => (p.result.probs = probs[i]));
    pending = [];
  };

  // Frames are scaled to at most maxSide; boxes are reported in source pixels.
  for await (const frame of streamVideoFrames(file, ff, video, { fps: opts.fps, maxSide: opts.maxSide, signal: opts.signal })) {
    const face = await detector.detectLargest(frame);
    const toSource = displayWidth / frame.width;
    const result: FrameResult = {
      index: frame.index,
      timeS: frame.timeS,
      face: face
        ? {
            box: { x: face.box.x * toSource, y: face.box.y * toSource, width: face.box.width * toSource, height: face.box.height * toSource },
            score: face.score,
          }
        : null,
      label: null,
      confidence: null,
      probs: null,
    };
    results.push(result);
    if (face) pending.push({ result, crop: cropFace(frame, face.box, crop, size.width, size.height) });
    if (pending.length >= BATCH) await classifyPending();
    opts.onTime?.(frame.timeS);
  }
  await classifyPending();
  // Labels come from the (smoothed) probabilities; a frame below the abstain threshold gets none.
  const smoothed = smoothProbabilities(results.map((r) => r.probs), opts.smoothRadius);
  results.forEach((r, i) => {
    const p = smoothed[i];
    r.probs = p;
    if (!p) return;
    const top = argmax(p);
    r.confidence = p[top];
    r.label = p[top] >= abstainBelow ? model.manifest.labels[top] : null;
  });
  return results;
}
