import type { FaceExpressionModel } from './face/expression-model.js';
import { DEFAULT_CROP } from './face/crop.js';
import { inputGeometry } from './face/image-preprocess.js';
import { streamVideoFrames } from './media/decode.js';
import type { ResolvedFfmpeg } from './media/ffmpeg-path.js';
import type { VideoStreamInfo } from './media/probe.js';
import type { Box, RgbImage } from './image.js';
import { PeopleTracker, type PeopleResult } from './people/people-tracker.js';
import type { FaceFinder } from './face/face-finder.js';
import type { FaceIdentityModel } from './face/identity-model.js';
import { StillnessMeter } from './people/stillness.js';

const BATCH = 8;

export interface FaceTrackOptions {
  fps: number;
  maxSide: number;
  signal?: AbortSignal;
  /** Called with the media time (s) reached so far. */
  onTime?: (timeS: number) => void;
}

/** One face in one analysed frame, before it is known whose it is (trackId → participant after `finish`). */
export interface FaceObservation {
  frame: number;
  trackId: number;
  /** Source-video pixels. */
  box: Box;
  score: number;
  /** Expression probabilities (model label order), unsmoothed. */
  probs: Float32Array;
  /** Mouth-region change since the track's previous frame (people/mouth-activity.ts); null on a track's first frame. */
  mouth: number | null;
  /** Pixel change of the face's region since the track's previous frame, grey levels (people/stillness.ts); null on its first frame. */
  motion: number | null;
}

export interface FaceTrackResult {
  /** Time (s, file clock) of every analysed frame, by frame index. */
  frameTimes: number[];
  observations: FaceObservation[];
  people: PeopleResult;
  /** Decoded frame size (what the face boxes were found in before scaling to source pixels). */
  decoded: { width: number; height: number } | null;
}

/**
 * The face track of a recording: decode frames at `fps`, find EVERY face and follow it (people/people-tracker.ts:
 * tracks, identity, participants), cut each face's crop as the expression model was trained and classify the crops
 * in small batches, one batch classified while the next is found. Memory: one decoded frame plus 2 × BATCH crops; per
 * face and frame only its box, probabilities and mouth activity are kept (no pixels), so memory grows with faces ×
 * frames at ~60 bytes each, not with the video.
 */
export async function runFaceTrack(
  file: string,
  video: VideoStreamInfo,
  ff: ResolvedFfmpeg,
  people: { finder: FaceFinder; identity: FaceIdentityModel; expression: FaceExpressionModel },
  opts: FaceTrackOptions,
): Promise<FaceTrackResult> {
  const model = people.expression;
  const size = inputGeometry(model.manifest);
  const crop = { spec: model.manifest.crop ?? DEFAULT_CROP, width: size.width, height: size.height };
  const displayWidth = Math.abs(video.rotation) % 180 === 90 ? video.height : video.width;
  people.finder.reset();
  let tracker: PeopleTracker | null = null;
  const frameTimes: number[] = [];
  const observations: FaceObservation[] = [];
  let pending: Array<{ obs: FaceObservation; crop: RgbImage }> = [];
  let decoded: FaceTrackResult['decoded'] = null;
  const stillness = new StillnessMeter();

  // One batch is classified (on the model's own thread) while the next one is gathered: at most two in memory.
  let inFlight: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const classifyPending = async () => {
    await inFlight;
    if (failure) throw failure;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    inFlight = model.classify(batch.map((p) => p.crop)).then(
      (probs) => batch.forEach((p, i) => (p.obs.probs = probs[i])),
      (e: unknown) => void (failure = e),
    );
  };

  for await (const frame of streamVideoFrames(file, ff, video, { fps: opts.fps, maxSide: opts.maxSide, reuseMemory: true, signal: opts.signal })) {
    // Boxes are reported in source pixels: the tracker scales them by the decoded frame's size.
    tracker ??= new PeopleTracker(people.finder, people.identity, { toSource: displayWidth / frame.width, crop });
    decoded ??= { width: frame.width, height: frame.height };
    frameTimes[frame.index] = frame.timeS;
    const out = await tracker.push(frame);
    const toFrame = frame.width / displayWidth;
    for (const face of out.faces) {
      const inFrame = { x: face.box.x * toFrame, y: face.box.y * toFrame, width: face.box.width * toFrame, height: face.box.height * toFrame };
      const motion = stillness.measure(frame, frame.index, face.trackId, inFrame);
      const obs: FaceObservation = {
        frame: frame.index,
        trackId: face.trackId,
        box: face.box,
        score: face.score,
        probs: EMPTY,
        mouth: face.mouthActivity,
        motion,
      };
      observations.push(obs);
      pending.push({ obs, crop: face.crop! });
    }
    stillness.prune(frame.index);
    if (pending.length >= BATCH) await classifyPending();
    opts.onTime?.(frame.timeS);
  }
  await classifyPending();
  await inFlight;
  if (failure) throw failure;
  const result = tracker ? tracker.finish() : { participants: [], participantOfTrack: new Map<number, number>(), embeddings: 0 };
  // Frames the decoder skipped (none in practice) keep their place: fill their times from the frame rate.
  for (let i = 0; i < frameTimes.length; i++) frameTimes[i] ??= (frameTimes[i - 1] ?? 0) + 1 / opts.fps;
  return { frameTimes, observations, people: result, decoded };
}

const EMPTY = new Float32Array(0);
