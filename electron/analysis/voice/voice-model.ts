import { streamAudio } from '../media/decode.js';
import { throwIfAborted } from '../media/errors.js';
import type { ResolvedFfmpeg } from '../media/ffmpeg-path.js';
import { loadManifest, ModelManifestError, type LoadedManifest } from '../models/manifest.js';
import { openOnnxModel, softmax, type OnnxModel } from '../models/onnx-runtime.js';
import { ReusableInput } from '../models/input-buffer.js';
import { frontEndFromManifest, framesPerWindow, type VoiceFrontEnd } from './front-end.js';
import { LogMelExtractor } from './logmel.js';
import { LogMelFrameCache } from './logmel-cache.js';
import { inputScore, lowBandRipple, type InputCheckStats } from './input-check.js';
import { StreamingWindower, type AudioWindow } from './windows.js';
import { aggregateTrack, argmax } from '../vote.js';

/** Windows per ONNX run. */
const BATCH = 16;

export interface WindowPrediction {
  index: number;
  startS: number;
  endS: number;
  voiced: boolean;
  /** In manifest.labels order; null for unvoiced windows (skipped, never guessed). */
  probabilities: Float32Array | null;
  /** How far the window's input is from the training audio, in units of the model's thresholds (above 1: unlike
   *  it; voice/input-check.ts inputScore); null when unvoiced or the model has no input check. */
  inputDistance: number | null;
}

/** A voiced window's probabilities and input distance. */
export interface WindowScore {
  probabilities: Float32Array;
  inputDistance: number | null;
}

export interface FileVote {
  /** Null when no window was voiced. */
  label: string | null;
  labelIndex: number;
  /** Windows whose top label is each label (manifest order). */
  votes: number[];
  /** Mean probability of the voted label over the voiced windows. */
  confidence: number;
  voicedWindows: number;
}

/**
 * File-level label: majority of the per-window top labels over voiced windows; a tie is broken by the summed
 * probability of the tied labels — the engine's per-track vote (vote.ts). (train/voicedata.py `vote` is the same
 * rule, used for the CV figures.)
 */
export function voteWindows(windowProbabilities: readonly (Float32Array | null)[], labels: readonly string[]): FileVote {
  for (const p of windowProbabilities)
    if (p && p.length !== labels.length) throw new Error(`window has ${p.length} probabilities for ${labels.length} labels`);
  const agg = aggregateTrack(
    labels,
    windowProbabilities.map((p) => ({ label: p ? labels[argmax(p)] : null, probs: p })),
  );
  const votes = labels.map((l) => Math.round(agg.distribution[l] * agg.votes));
  if (agg.majority === null) return { label: null, labelIndex: -1, votes, confidence: 0, voicedWindows: 0 };
  return { label: agg.majority, labelIndex: labels.indexOf(agg.majority), votes, confidence: agg.meanProbs[agg.majority], voicedWindows: agg.votes };
}

/** A window's samples, and where it starts in its stream when it was cut from one (for `LogMelFrameCache`). */
type WindowInput = Pick<AudioWindow, 'samples'> & Partial<Pick<AudioWindow, 'startSample'>>;

export class VoiceEmotionModel {
  readonly frontEnd: VoiceFrontEnd;
  readonly framesPerWindow: number;
  private readonly logmel: LogMelExtractor;
  private readonly input = new ReusableInput();

  private constructor(
    readonly manifest: LoadedManifest,
    private readonly onnx: OnnxModel,
  ) {
    this.frontEnd = frontEndFromManifest(manifest);
    this.framesPerWindow = framesPerWindow(this.frontEnd);
    this.logmel = new LogMelExtractor(this.frontEnd);
  }

  static async load(dir: string, opts: { threads?: number } = {}): Promise<VoiceEmotionModel> {
    const manifest = loadManifest(dir);
    if (manifest.task !== 'voice-emotion') throw new ModelManifestError(dir, `task is ${manifest.task}, not voice-emotion`);
    const fe = frontEndFromManifest(manifest);
    const expected = [1, fe.nMels, framesPerWindow(fe)];
    const [, ...shape] = manifest.input.shape;
    if (manifest.input.channels !== 'logmel' || manifest.input.layout !== 'NCHW' || shape.join() !== expected.join())
      throw new ModelManifestError(dir, `input ${manifest.input.layout} [${manifest.input.shape}] does not match the front end [-1,${expected}]`);
    const onnx = await openOnnxModel(manifest.modelPath, { threads: opts.threads });
    return new VoiceEmotionModel(manifest, onnx);
  }

  get labels(): readonly string[] {
    return this.manifest.labels;
  }

  /** Statistics of the training audio's window summaries, when the manifest has them. */
  get inputCheck(): InputCheckStats | null {
    return (this.manifest.inputCheck as InputCheckStats | undefined) ?? null;
  }

  /**
   * Log-mel input of one window, normalised as the manifest says, written into `out` at `offset`; returns the raw
   * log-mel's low-band ripple when the model has an input check.
   */
  private features(window: WindowInput, out: Float32Array, offset: number, frames?: LogMelFrameCache): number | null {
    const size = this.frontEnd.nMels * this.framesPerWindow;
    const view = out.subarray(offset, offset + size);
    if (frames && window.startSample !== undefined) frames.compute(window.samples, window.startSample, view);
    else this.logmel.compute(window.samples, view);
    const ripple = this.inputCheck ? lowBandRipple(view, this.frontEnd.nMels, this.framesPerWindow, this.frontEnd.logFloor) : null;
    const { scale, mean, std } = this.manifest.input.normalization;
    const m = mean[0] ?? 0;
    const s = std[0] ?? 1;
    if (scale !== 1 || m !== 0 || s !== 1) for (let i = 0; i < size; i++) view[i] = (view[i] / scale - m) / s;
    return ripple;
  }

  /** Probabilities (manifest.labels order) for each window's samples (windowSeconds * sampleRate each). */
  async classify(windows: readonly Pick<AudioWindow, 'samples'>[]): Promise<Float32Array[]> {
    return (await this.score(windows)).map((w) => w.probabilities);
  }

  /** A frame cache for the windows of one continuous stream (see `score`). */
  frameCache(): LogMelFrameCache {
    return new LogMelFrameCache(this.logmel, this.framesPerWindow);
  }

  /**
   * Probabilities and input distance for each window's samples. With `frames` (a `frameCache()` of the stream the
   * windows were cut from, given windows in stream order with their `startSample`), log-mel frames shared by
   * overlapping windows are computed once; the result is the same bit for bit.
   */
  async score(windows: readonly WindowInput[], frames?: LogMelFrameCache): Promise<WindowScore[]> {
    const size = this.frontEnd.nMels * this.framesPerWindow;
    const need = Math.round(this.frontEnd.windowSeconds * this.frontEnd.sampleRate);
    const results: WindowScore[] = [];
    for (let s = 0; s < windows.length; s += BATCH) {
      const batch = windows.slice(s, s + BATCH);
      const { out, ripples } = await this.input.use(batch.length * size, async (input) => {
        const ripples = batch.map((w, b) => {
          if (w.samples.length !== need) throw new Error(`window has ${w.samples.length} samples, the model needs ${need}`);
          return this.features(w, input, b * size, frames);
        });
        const dims = [batch.length, 1, this.frontEnd.nMels, this.framesPerWindow];
        return { out: await this.onnx.run({ [this.manifest.input.name]: { data: input, dims } }), ripples };
      });
      const t = out[this.manifest.output.name] ?? Object.values(out)[0];
      const k = this.labels.length;
      if (t.data.length !== batch.length * k) throw new Error(`model returned ${t.data.length} values for ${batch.length} windows x ${k} labels`);
      const check = this.inputCheck;
      const emb = check ? out[check.output] : undefined;
      if (check && !emb) throw new Error(`model ${this.manifest.id} has no output "${check.output}" for its input check`);
      const dims = check?.mean.length ?? 0;
      if (emb && emb.data.length !== batch.length * dims)
        throw new Error(`output ${check!.output} has ${emb.data.length} values for ${batch.length} windows x ${dims}`);
      for (let b = 0; b < batch.length; b++) {
        const row = t.data.subarray(b * k, (b + 1) * k);
        const probabilities = this.manifest.output.kind === 'logits' ? softmax(row, this.manifest.temperature) : Float32Array.from(row);
        results.push({ probabilities, inputDistance: emb ? inputScore(emb.data.subarray(b * dims, (b + 1) * dims), ripples[b]!, check!) : null });
      }
    }
    return results;
  }

  release(): Promise<void> {
    return this.onnx.release();
  }
}

export interface AudioClassification {
  windows: WindowPrediction[];
  vote: FileVote;
  audioSeconds: number;
}

/**
 * Classify a stream of 16 kHz mono chunks: windows → energy gate → model (voiced windows only) → vote.
 * Memory is bounded by the windower plus one batch; only per-window probabilities are kept.
 */
export async function classifyAudioChunks(
  chunks: AsyncIterable<Float32Array>,
  model: VoiceEmotionModel,
  opts: { signal?: AbortSignal; onWindow?: (w: WindowPrediction) => void } = {},
): Promise<AudioClassification> {
  const windower = new StreamingWindower(model.frontEnd);
  const frames = model.frameCache();
  const predictions: WindowPrediction[] = [];
  let pending: AudioWindow[] = [];
  const drain = async () => {
    const voiced = pending.filter((w) => w.voiced);
    const scores = await model.score(voiced, frames);
    let v = 0;
    for (const w of pending) {
      const sc = w.voiced ? scores[v++] : null;
      const p: WindowPrediction = {
        index: w.index,
        startS: w.startS,
        endS: w.endS,
        voiced: w.voiced,
        probabilities: sc?.probabilities ?? null,
        inputDistance: sc?.inputDistance ?? null,
      };
      predictions.push(p);
      opts.onWindow?.(p);
    }
    windower.recycle(pending); // their features are computed: the windower may refill their buffers
    pending = [];
  };
  for await (const chunk of chunks) {
    throwIfAborted(opts.signal);
    pending.push(...windower.push(chunk));
    if (pending.length >= BATCH) await drain();
  }
  throwIfAborted(opts.signal);
  pending.push(...windower.flush());
  await drain();
  return {
    windows: predictions,
    vote: voteWindows(
      predictions.map((p) => p.probabilities),
      model.labels,
    ),
    audioSeconds: windower.totalSamples / model.frontEnd.sampleRate,
  };
}

/** Decode a file's audio with ffmpeg (streamed) and classify it; see classifyAudioChunks. */
export function classifyAudioFile(file: string, ff: ResolvedFfmpeg, model: VoiceEmotionModel, signal?: AbortSignal): Promise<AudioClassification> {
  return classifyAudioChunks(streamAudio(file, ff, { chunkSamples: model.frontEnd.sampleRate, signal }), model, { signal });
}
