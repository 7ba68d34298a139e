import type * as Ort from 'onnxruntime-node';
import { assertSilentEnv } from '../../privacy/network-silence.js';

/**
 * The one module that owns onnxruntime sessions. Everything else asks it for a session by path
 * and runs tensors through it: float32 inputs (images, spectrograms) or int64 ones (token ids); outputs float32.
 *
 * onnxruntime-node is loaded here on first use, and only in a process whose environment switches its
 * telemetry off (see electron/privacy/network-silence.ts); otherwise this refuses to load it.
 */
let runtime: Promise<typeof Ort> | null = null;

function loadRuntime(): Promise<typeof Ort> {
  assertSilentEnv();
  runtime ??= import('onnxruntime-node').then((m) => ((m as unknown as { default?: typeof Ort }).default ?? m) as typeof Ort);
  return runtime;
}

export interface SessionOptions {
  /** Intra-op threads; default: onnxruntime's choice. */
  threads?: number;
}

/** An input tensor: float32, or int64 for integer inputs such as Silero VAD's sample rate. */
export interface OnnxInput {
  data: Float32Array | BigInt64Array;
  dims: readonly number[];
}

export interface OnnxModel {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(inputs: Record<string, OnnxInput>): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>>;
  release(): Promise<void>;
}

export async function openOnnxModel(modelPath: string, opts: SessionOptions = {}): Promise<OnnxModel> {
  const ort = await loadRuntime();
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    ...(opts.threads ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } : {}),
    // Idle pool threads sleep instead of spinning: the engine runs several sessions at once beside ffmpeg, and on a
    // few cores spinning threads took about half the analysis's CPU time (README "Speed and memory").
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  });
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(inputs) {
      const feeds: Record<string, Ort.Tensor> = {};
      for (const [name, t] of Object.entries(inputs))
        feeds[name] =
          t.data instanceof BigInt64Array
            ? new ort.Tensor('int64', t.data, t.dims as number[])
            : new ort.Tensor('float32', t.data, t.dims as number[]);
      const out = await session.run(feeds);
      const result: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
      for (const [name, t] of Object.entries(out)) result[name] = { data: t.data as Float32Array, dims: t.dims };
      return result;
    },
    release: () => session.release(),
  };
}

export function softmax(logits: Float32Array | number[], temperature = 1): Float32Array {
  const out = new Float32Array(logits.length);
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v / temperature);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp(logits[i] / temperature - max);
    sum += out[i];
  }
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}
