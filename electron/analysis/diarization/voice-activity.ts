import { loadManifest, ModelManifestError, type LoadedManifest } from '../models/manifest.js';
import { openOnnxModel, type OnnxModel } from '../models/onnx-runtime.js';
import { resolveModelDir } from '../models/registry.js';

/** The voice-activity model the diarizer uses unless told otherwise. */
export const DEFAULT_VAD_MODEL_ID = 'silero-vad';

type StreamingSpec = NonNullable<LoadedManifest['streaming']>;

/**
 * Silero VAD (native-models/silero-vad): a stateful ONNX model that gives, for each chunk of `chunkSamples` new
 * samples (512 at 16 kHz = 32 ms), the probability that it holds speech. Each call is fed the previous call's last
 * `contextSamples` (64) followed by the new chunk — without that context the model outputs ≈ 0 — and the recurrent
 * state comes back out to feed the next call. Everything about the I/O is read from the manifest's `streaming` block.
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
    if (manifest.input.channels !== 'waveform' || manifest.input.layout !== 'NT')
      throw new ModelManifestError(dir, `input must be an NT waveform, got ${manifest.input.layout} ${manifest.input.channels}`);
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
 * probabilities of every chunk completed so far; `flush` zero-pads a trailing partial chunk. Memory is constant:
 * at most one chunk of samples per channel is held between calls.
 */
export class VoiceActivityStream {
  private readonly chunk: number;
  private readonly context: number;
  private readonly input: Float32Array;
  private state: Float32Array;
  private readonly stateDims: number[];
  private readonly pending: Float32Array[];
  private pendingLength = 0;
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
    this.input = new Float32Array(channels * (this.context + this.chunk));
    this.stateDims = spec.stateShape.map((d) => (d === -1 ? channels : d));
    this.state = new Float32Array(this.stateDims.reduce((a, b) => a * b, 1));
    this.pending = Array.from({ length: channels }, () => new Float32Array(this.chunk));
    this.sr = BigInt64Array.from([BigInt(spec.sampleRate)]);
  }

  async push(samples: readonly Float32Array[]): Promise<Float32Array[]> {
    if (samples.length !== this.channels) throw new Error(`expected ${this.channels} channels, got ${samples.length}`);
    const n = samples[0].length;
    if (samples.some((s) => s.length !== n)) throw new Error('every channel must get the same number of samples');
    const out: number[][] = Array.from({ length: this.channels }, () => []);
    let offset = 0;
    while (offset < n) {
      const take = Math.min(this.chunk - this.pendingLength, n - offset);
      for (let c = 0; c < this.channels; c++) this.pending[c].set(samples[c].subarray(offset, offset + take), this.pendingLength);
      this.pendingLength += take;
      offset += take;
      if (this.pendingLength === this.chunk) {
        const probs = await this.runChunk();
        for (let c = 0; c < this.channels; c++) out[c].push(probs[c]);
        this.pendingLength = 0;
      }
    }
    return out.map((p) => Float32Array.from(p));
  }

  /** Probabilities of the trailing partial chunk (zero-padded), if any samples are left. */
  async flush(): Promise<Float32Array[]> {
    if (this.pendingLength === 0) return Array.from({ length: this.channels }, () => new Float32Array(0));
    for (const p of this.pending) p.fill(0, this.pendingLength);
    const probs = await this.runChunk();
    this.pendingLength = 0;
    return probs.map((p) => Float32Array.of(p));
  }

  private async runChunk(): Promise<number[]> {
    const width = this.context + this.chunk;
    for (let c = 0; c < this.channels; c++) {
      const row = this.input.subarray(c * width, (c + 1) * width);
      // Context: the last `context` samples of this row's previous input (zeros at the start).
      row.copyWithin(0, this.chunk, width);
      row.set(this.pending[c], this.context);
    }
    const feeds: Parameters<OnnxModel['run']>[0] = {
      [this.inputName]: { data: this.input, dims: [this.channels, width] },
      [this.spec.stateInput]: { data: this.state, dims: this.stateDims },
    };
    if (this.spec.sampleRateInput) feeds[this.spec.sampleRateInput] = { data: this.sr, dims: [] };
    const result = await this.onnx.run(feeds);
    const prob = result[this.outputName];
    const state = result[this.spec.stateOutput];
    if (!prob || !state) throw new Error(`voice-activity model did not return ${this.outputName} and ${this.spec.stateOutput}`);
    this.state = Float32Array.from(state.data);
    this.frames++;
    return Array.from(prob.data.subarray(0, this.channels));
  }
}
