import { FaceDetector } from './face/detector.js';
import { FaceExpressionModel } from './face/expression-model.js';
import { runFaceTrack } from './face-track.js';
import { fuseTracks } from './fuse.js';
import { hashFile } from './media/media-hash.js';
import { resolveFfmpeg, type ResolvedFfmpeg } from './media/ffmpeg-path.js';
import { probeMedia } from './media/probe.js';
import { throwIfAborted } from './media/errors.js';
import { heldOutUar, type LoadedManifest } from './models/manifest.js';
import { DEFAULT_MODEL_IDS, defaultModelsRoot, resolveModelDir } from './models/registry.js';
import { ProgressTracker, type ProgressListener } from './progress.js';
import {
  ESTIMATE_NOTE,
  type AnalysisResult,
  type AnalysisSummary,
  type FaceSummary,
  type FrameResult,
  type ModelRef,
  type VoiceSummary,
  type WindowResult,
} from './result.js';
import { aggregateTrack, type TrackAggregate } from './vote.js';
import { VoiceEmotionModel } from './voice/voice-model.js';
import { runVoiceTrack } from './voice-track.js';

export const ENGINE_VERSION = '0.1.0';

/** See scripts/face-stability.ts for the flicker measurements behind this default. */
export const DEFAULT_SMOOTH_RADIUS = 1;

export interface EngineOptions {
  modelsRoot?: string;
  /** Model ids or folders per role; defaults in DEFAULT_MODEL_IDS. */
  faceDetector?: string;
  faceExpression?: string;
  voiceEmotion?: string;
  /** onnxruntime intra-op threads per model. */
  threads?: number;
  ffmpeg?: ResolvedFfmpeg;
}

export interface AnalyzeOptions {
  /** Frames per second sampled from video (default 2). */
  fps?: number;
  /** Longest side of decoded frames in pixels (default 640). */
  maxSide?: number;
  /** Face-track smoothing radius in frames (default 1: ±1 frame, i.e. ±0.5 s at 2 fps; 0 = none). */
  smoothRadius?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** The file's sha256 when the caller has already computed it (batch resume does). */
  mediaSha256?: string;
}

export const FUSION_RULE =
  'weighted mean of the face and voice tracks\' mean probabilities, weights = each model\'s expected UAR on new data (cross-corpus where its manifest states one), over the tracks with usable input; uncertain voice windows left out';

function modelRef(role: ModelRef['role'], m: LoadedManifest): ModelRef {
  return { role, id: m.id, version: m.version, sha256: m.sha256, task: m.task, labels: [...m.labels] };
}

function summarizeFace(frames: FrameResult[], agg: TrackAggregate, hasVideo: boolean): FaceSummary {
  const framesWithFace = frames.filter((f) => f.face).length;
  const summary: FaceSummary = {
    framesAnalysed: frames.length,
    framesWithFace,
    framesAbstained: frames.filter((f) => f.face && f.label === null).length,
    majority: agg.majority,
    distribution: agg.distribution,
  };
  if (!hasVideo) summary.reason = 'no video stream';
  else if (frames.length === 0) summary.reason = 'no video frames could be decoded';
  else if (framesWithFace === 0) summary.reason = `no face found in ${frames.length} analysed frames`;
  else if (agg.votes === 0) summary.reason = 'every face frame was below the model\'s confidence threshold';
  return summary;
}

function summarizeVoice(windows: WindowResult[], agg: TrackAggregate, hasAudio: boolean, inputCheckThreshold: number | null): VoiceSummary {
  const voicedWindows = windows.filter((w) => w.voiced).length;
  const summary: VoiceSummary = { windows: windows.length, voicedWindows, majority: agg.majority, distribution: agg.distribution };
  summary.windowsUncertain = windows.filter((w) => w.voiced && w.label === null).length;
  if (inputCheckThreshold !== null) {
    summary.inputCheckThreshold = inputCheckThreshold;
    summary.windowsUnlikeTraining = windows.filter((w) => w.inputDistance != null && w.inputDistance > inputCheckThreshold).length;
  }
  if (!hasAudio) summary.reason = 'no audio stream';
  else if (windows.length === 0) summary.reason = 'no audio could be decoded';
  else if (voicedWindows === 0) summary.reason = 'no speech detected (the audio is silent or too quiet)';
  else if (agg.votes === 0)
    summary.reason = summary.windowsUnlikeTraining
      ? 'every voiced window was uncertain: unlike the audio the model was trained on, or below its confidence threshold'
      : 'every voiced window was below the model\'s confidence threshold';
  return summary;
}

/**
 * A model's fusion weight: the UAR to expect on new data from its manifest (the cross-corpus figure where the
 * manifest states one, else the held-out one; 1 when it states none).
 */
function fusionWeight(m: LoadedManifest): number {
  return heldOutUar(m) ?? 1;
}

/**
 * The analysis engine: plain Node, no Electron. The CLI, the tests, the browser-mode server and the
 * Electron utility process all use this class. Models load once and are reused across files.
 */
export class AnalysisEngine {
  private constructor(
    readonly ffmpeg: ResolvedFfmpeg,
    readonly detector: FaceDetector,
    readonly faceModel: FaceExpressionModel,
    readonly voiceModel: VoiceEmotionModel,
  ) {}

  static async create(opts: EngineOptions = {}): Promise<AnalysisEngine> {
    const root = opts.modelsRoot ?? defaultModelsRoot();
    const ffmpeg = opts.ffmpeg ?? resolveFfmpeg();
    const threads = opts.threads;
    const [detector, faceModel, voiceModel] = await Promise.all([
      FaceDetector.load(resolveModelDir(opts.faceDetector ?? DEFAULT_MODEL_IDS.faceDetector, root), { threads }),
      FaceExpressionModel.load(resolveModelDir(opts.faceExpression ?? DEFAULT_MODEL_IDS.faceExpression, root), { threads }),
      VoiceEmotionModel.load(resolveModelDir(opts.voiceEmotion ?? DEFAULT_MODEL_IDS.voiceEmotion, root), { threads }),
    ]);
    return new AnalysisEngine(ffmpeg, detector, faceModel, voiceModel);
  }

  get models(): ModelRef[] {
    return [
      modelRef('face-detector', this.detector.manifest),
      modelRef('face-expression', this.faceModel.manifest),
      modelRef('voice-emotion', this.voiceModel.manifest),
    ];
  }

  /** Analyse one recording. Throws MediaInputError for unusable input, CancelledError when aborted. */
  async analyze(file: string, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
    const started = performance.now();
    const fps = opts.fps ?? 2;
    const maxSide = opts.maxSide ?? 640;
    const smoothRadius = opts.smoothRadius ?? DEFAULT_SMOOTH_RADIUS;
    if (!(fps > 0 && fps <= 60)) throw new Error(`fps must be in (0, 60], got ${fps}`);
    const progress = new ProgressTracker(opts.onProgress);
    progress.update('probing', 0, file, true);
    const media = await probeMedia(file, this.ffmpeg, opts.signal);
    const mediaSha256 = opts.mediaSha256 ?? (await hashFile(file, opts.signal));

    // Progress = media time covered by each track, weighted by its expected cost.
    const reached = { face: 0, voice: 0 };
    const faceCost = media.video ? 3 : 0;
    const voiceCost = media.audio ? 1 : 0;
    const report = () =>
      progress.update(
        'analysing',
        (faceCost * reached.face + voiceCost * reached.voice) / ((faceCost + voiceCost) * media.durationS),
        `${Math.min(reached.face, reached.voice || reached.face).toFixed(0)}s of ${media.durationS.toFixed(0)}s`,
      );

    const [frames, windows] = await Promise.all([
      media.video
        ? runFaceTrack(file, media.video, this.ffmpeg, this.detector, this.faceModel, {
            fps,
            maxSide,
            smoothRadius,
            signal: opts.signal,
            onTime: (t) => ((reached.face = t), report()),
          })
        : Promise.resolve([] as FrameResult[]),
      media.audio
        ? runVoiceTrack(file, this.ffmpeg, this.voiceModel, { signal: opts.signal, onTime: (t) => ((reached.voice = t), report()) })
        : Promise.resolve([] as WindowResult[]),
    ]);
    throwIfAborted(opts.signal);

    const warnings: string[] = [];
    const decodedVideoS = frames.length / fps;
    if (media.video && frames.length > 0 && decodedVideoS < media.durationS * 0.9 - 1 / fps)
      warnings.push(`video decoded for ${decodedVideoS.toFixed(1)} s of ${media.durationS.toFixed(1)} s: the file looks truncated`);

    const faceAgg = aggregateTrack(this.faceModel.manifest.labels, frames);
    // Uncertain voice windows (low confidence, or input unlike the training audio) are stored with their
    // probabilities but left out of the vote and of the fusion.
    const voiceAgg = aggregateTrack(this.voiceModel.manifest.labels, windows.map((w) => (w.label === null ? { label: null, probs: null } : w)));
    const face = summarizeFace(frames, faceAgg, media.video !== null);
    const voice = summarizeVoice(windows, voiceAgg, media.audio !== null, this.voiceModel.inputCheck ? 1 : null);
    const weights = { face: fusionWeight(this.faceModel.manifest), voice: fusionWeight(this.voiceModel.manifest) };
    const fused = fuseTracks([
      { meanProbs: faceAgg.meanProbs, votes: face.framesWithFace, weight: weights.face },
      { meanProbs: voiceAgg.meanProbs, votes: voiceAgg.votes, weight: weights.voice },
    ]);
    const models = this.models;
    const elapsedS = (performance.now() - started) / 1000;
    const summary: AnalysisSummary = {
      session: { id: null, file, durationS: media.durationS },
      face,
      voice,
      fused: { label: fused.label, confidence: fused.confidence, rule: FUSION_RULE, weights },
      models: models.map(({ id, version, sha256 }) => ({ id, version, sha256 })),
      warnings,
      elapsedS,
      note: ESTIMATE_NOTE,
    };
    progress.update('done', 1, undefined, true);
    return { file, media, mediaSha256, settings: { fps, maxSide, smoothRadius, engineVersion: ENGINE_VERSION }, models, frames, windows, summary };
  }

  async close(): Promise<void> {
    await Promise.all([this.detector.release(), this.faceModel.release(), this.voiceModel.release()]);
  }
}

