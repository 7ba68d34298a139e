import { loadManifest, ModelManifestError, type LoadedManifest } from '../models/manifest.js';
import { openOnnxModel, type OnnxModel } from '../models/onnx-runtime.js';
import { ReusableInput } from '../models/input-buffer.js';
import { resolveModelDir } from '../models/registry.js';

/** The voice-activity model the diarizer uses unless told otherwise. */
export const DEFAULT_VAD_MODEL_ID = 'silero-vad';

type StreamingSpec = NonNullable<LoadedManifest['streaming']>;

/**
 * Silero VAD (native-models/silero-vad): a stateful ONNX model that gives, for each chunk of `chunkSamples` new
 * samples (512 at 16 kHz = 32 ms), the probability that it holds speech. Each chunk is fed after the previous chunk's
 * last `contextSamples` (64) — without that context the model outputs ≈ 0 — and the recurrent state is carried from
 * chunk to chunk. The shipped file wraps the upstream one-chunk graph in an ONNX Scan (layout 'KNT': chunks × batch ×
 * samples), so one call runs every chunk a push completed and the state is carried inside the model; the per-call
 * cost of onnxruntime is paid once per push instead of once per 32 ms. Everything about the I/O is read from the
 * manifest's `streaming` block.
 */
export class VoiceActivityModel {
  private constructor(
    readonly manifest: LoadedManifest,
    readonly spec: StreamingSpec,
    private readonly onnx: OnnxModel,
  ) {}

  static async load(ref: string = DEFAULT_VAD_MODEL_ID, opts: { threads?: number } = {}): Promise<VoiceActivityModel> {
    const dir = resolveModelDir(ref);
    const manifest = loadManifest(dir);
    if (manifest.task !== 'voice-activity') throw new ModelManifestError(dir, `task is ${manifest.task}, not voice-activity`);
    const spec = manifest.streaming;
    if (!spec) throw new ModelManifestError(dir, 'a voice-activity model needs a streaming block');
    if (manifest.input.channels !== 'waveform' || manifest.input.layout !== 'KNT')
      throw new ModelManifestError(
        dir,
        `input must be a KNT waveform (chunks × batch × samples), got ${manifest.input.layout} ${manifest.input.channels}`,
      );
    if (spec.stateShape.filter((d) => d === -1).length !== 1) throw new ModelManifestError(dir, 'stateShape needs exactly one -1 (batch) axis');
    const onnx = await openOnnxModel(manifest.modelPath, { threads: opts.threads ?? 1 });
    return new VoiceActivityModel(manifest, spec, onnx);
  }

  /** Sample rate the model expects. */
  get sampleRate(): number {
    return this.spec.sampleRate;
  }

  /** Seconds covered by one probability. */
  get frameSeconds(): number {
    return this.spec.chunkSamples / this.spec.sampleRate;
  }

  /** A fresh stream for `channels` parallel signals (run as one batch; each keeps its own state and context). */
  stream(channels = 1): VoiceActivityStream {
    return new VoiceActivityStream(this.onnx, this.manifest.input.name, this.manifest.output.name, this.spec, channels);
  }

  release(): Promise<void> {
    return this.onnx.release();
  }
}

/**
 * One stream's state. `push` takes the next samples of every channel (equal lengths) and returns, per channel, the
 * probabilities of every chunk completed so far; `flush` zero-pads a trailing partial chunk. Memory is bounded: at
 * most one chunk of samples per channel is held between calls, and one call runs at most `MAX_CHUNKS_PER_RUN` chunks.
 */
export class VoiceActivityStream {
  private readonly chunk: number;
  private readonly context: number;
  private readonly width: number;
  /** The last `context` samples fed to each channel (zeros at the start). */
  private readonly tails: Float32Array[];
  private state: Float32Array;
  private readonly stateDims: number[];
  private readonly pending: Float32Array[];
  private pendingLength = 0;
  private readonly input = new ReusableInput();
  private readonly sr: BigInt64Array;
  /** Probabilities produced so far, per channel. */
  frames = 0;

  get sampleRate(): number {
    return this.spec.sampleRate;
  }

  constructor(
    private readonly onnx: OnnxModel,
    private readonly inputName: string,
    private readonly outputName: string,
    private readonly spec: StreamingSpec,
    readonly channels: number,
  ) {
    if (!Number.isInteger(channels) || channels < 1) throw new Error(`channels must be a positive integer, got ${channels}`);
    this.chunk = spec.chunkSamples;
    this.context = spec.contextSamples;
    this.width = this.context + this.chunk;
    this.tails = Array.from({ length: channels }, () => new Float32Array(this.context));
    this.stateDims = spec.stateShape.map((d) => (d === -1 ? channels : d));
    this.state = new Float32Array(this.stateDims.reduce((a, b) => a * b, 1));
    this.pending = Array.from({ length: channels }, () => new Float32Array(this.chunk));
    this.sr = BigInt64Array.from([BigInt(spec.sampleRate)]);
  }

  async push(samples: readonly Float32Array[]): Promise<Float32Array[]> {
    if (samples.length !== this.channels) throw new Error(`expected ${this.channels} channels, got ${samples.length}`);
    const n = samples[0].length;
    if (samples.some((s) => s.length !== n)) throw new Error('every channel must get the same number of samples');
    const out = Array.from({ length: this.channels }, () => new Float32Array(Math.floor((this.pendingLength + n) / this.chunk)));
    let done = 0;
    const keep = (probs: Float32Array[]) => {
      for (let c = 0; c < this.channels; c++) out[c].set(probs[c], done);
      done += probs[0].length;
    };
    let offset = 0;
    // Top up the partial chunk left by the previous push.
    if (this.pendingLength > 0) {
      offset = Math.min(this.chunk - this.pendingLength, n);
      for (let c = 0; c < this.channels; c++) this.pending[c].set(samples[c].subarray(0, offset), this.pendingLength);
      this.pendingLength += offset;
      if (this.pendingLength < this.chunk) return out;
      keep(await this.runChunks(this.pending, 0, 1));
      this.pendingLength = 0;
    }
    // Every whole chunk that follows, many per call.
    while (n - offset >= this.chunk) {
      const k = Math.min(MAX_CHUNKS_PER_RUN, Math.floor((n - offset) / this.chunk));
      keep(await this.runChunks(samples, offset, k));
      offset += k * this.chunk;
    }
    for (let c = 0; c < this.channels; c++) this.pending[c].set(samples[c].subarray(offset));
    this.pendingLength = n - offset;
    return out;
  }

  /** Probabilities of the trailing partial chunk (zero-padded), if any samples are left. */
  async flush(): Promise<Float32Array[]> {
    if (this.pendingLength === 0) return Array.from({ length: this.channels }, () => new Float32Array(0));
    for (const p of this.pending) p.fill(0, this.pendingLength);
    const probs = await this.runChunks(this.pending, 0, 1);
    this.pendingLength = 0;
    return probs;
  }

  /** Runs `k` chunks of each channel starting at `offset`; returns each channel's k probabilities. */
  private async runChunks(samples: readonly Float32Array[], offset: number, k: number): Promise<Float32Array[]> {
    const { channels, chunk, context, width } = this;
    const result = await this.input.use(k * channels * width, (input) => {
      for (let j = 0; j < k; j++) {
        for (let c = 0; c < channels; c++) {
          const row = (j * channels + c) * width;
          const start = offset + j * chunk;
          // Context: the last `context` samples before this chunk (the previous push's tail for the first one).
          if (j === 0) input.set(this.tails[c], row);
          else input.set(samples[c].subarray(start - context, start), row);
          input.set(samples[c].subarray(start, start + chunk), row + context);
        }
      }
      for (let c = 0; c < channels; c++) {
        const end = offset + k * chunk;
        this.tails[c].set(samples[c].subarray(end - context, end));
      }
      const feeds: Parameters<OnnxModel['run']>[0] = {
        [this.inputName]: { data: input, dims: [k, channels, width] },
        [this.spec.stateInput]: { data: this.state, dims: this.stateDims },
      };
      if (this.spec.sampleRateInput) feeds[this.spec.sampleRateInput] = { data: this.sr, dims: [] };
      return this.onnx.run(feeds);
    });
    const prob = result[this.outputName];
    const state = result[this.spec.stateOutput];
    if (!prob || !state) throw new Error(`voice-activity model did not return ${this.outputName} and ${this.spec.stateOutput}`);
    if (prob.data.length !== k * channels) throw new Error(`voice-activity model returned ${prob.data.length} probabilities for ${k} × ${channels}`);
    this.state = Float32Array.from(state.data);
    this.frames += k;
    // output [k, channels, 1] → one array per channel
    return Array.from({ length: channels }, (_, c) => Float32Array.from({ length: k }, (_, j) => prob.data[j * channels + c]));
  }
}

/** Chunks per onnxruntime call at most (8 s of audio), so a long push does not build one huge input. */
const MAX_CHUNKS_PER_RUN = 256;
