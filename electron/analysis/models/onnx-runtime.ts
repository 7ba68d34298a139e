import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
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
  /**
   * Run the session on its own worker thread: `run` then leaves the caller's thread free (onnxruntime-node runs
   * inference synchronously on the thread that calls it), so the caller can prepare the next input meanwhile. Worth it
   * for runs of milliseconds or more; each run costs a message and a copy of its tensors.
   */
  offThread?: boolean;
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

function sessionOptions(opts: SessionOptions): Ort.InferenceSession.SessionOptions {
  return {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    ...(opts.threads ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } : {}),
    // Idle pool threads sleep instead of spinning: the engine runs several sessions at once beside ffmpeg, and on a
    // few cores spinning threads took about half the analysis's CPU time (README "Speed and memory").
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

export async function openOnnxModel(modelPath: string, opts: SessionOptions = {}): Promise<OnnxModel> {
  if (opts.offThread) return openOnThread(modelPath, sessionOptions(opts));
  const ort = await loadRuntime();
  const session = await ort.InferenceSession.create(modelPath, sessionOptions(opts));
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

/**
 * The worker thread behind an `offThread` session: the same onnxruntime-node module (resolved here, so the worker loads
 * exactly what the main thread would), one session, requests answered in order by id.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ortModule = require(workerData.runtimePath);
const ort = ortModule.default || ortModule;
let session = null;
parentPort.on('message', async (msg) => {
  try {
    if (msg.type === 'open') {
      session = await ort.InferenceSession.create(msg.path, msg.options);
      parentPort.postMessage({ id: msg.id, inputNames: session.inputNames, outputNames: session.outputNames });
    } else if (msg.type === 'run') {
      const feeds = {};
      for (const [name, t] of Object.entries(msg.inputs)) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
      const out = await session.run(feeds);
      const result = {};
      for (const [name, t] of Object.entries(out)) result[name] = { data: Float32Array.from(t.data), dims: t.dims };
      parentPort.postMessage({ id: msg.id, result }, Object.values(result).map((t) => t.data.buffer));
    } else if (msg.type === 'release') {
      if (session) await session.release();
      session = null;
      parentPort.postMessage({ id: msg.id });
    }
  } catch (e) {
    parentPort.postMessage({ id: msg.id, error: String((e && e.message) || e) });
  }
});
`;

interface WorkerReply {
  id: number;
  error?: string;
  inputNames?: string[];
  outputNames?: string[];
  result?: Record<string, { data: Float32Array; dims: readonly number[] }>;
}

async function openOnThread(modelPath: string, options: Ort.InferenceSession.SessionOptions): Promise<OnnxModel> {
  assertSilentEnv(); // the worker shares this process's environment: telemetry stays off there too
  const runtimePath = createRequire(import.meta.url).resolve('onnxruntime-node');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { runtimePath } });
  const waiting = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let dead: Error | null = null;
  // The thread keeps the process alive only while a request is waiting for it.
  const settle = () => (waiting.size > 0 ? worker.ref() : worker.unref());
  worker.on('message', (reply: WorkerReply) => {
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    settle();
    if (reply.error) w?.reject(new Error(`${modelPath}: ${reply.error}`));
    else w?.resolve(reply);
  });
  const fail = (e: Error) => {
    dead = e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
    settle();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`${modelPath}: the inference thread exited (code ${code})`)));
  // Inputs are copied to the worker (the caller may reuse its buffers); outputs come back transferred.
  const request = (msg: Record<string, unknown>): Promise<WorkerReply> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    const reply = new Promise<WorkerReply>((resolve, reject) => waiting.set(id, { resolve, reject }));
    settle();
    worker.postMessage({ ...msg, id });
    return reply;
  };
  const opened = await request({ type: 'open', path: modelPath, options }).catch(async (e: Error) => {
    await worker.terminate();
    throw e;
  });
  return {
    inputNames: opened.inputNames ?? [],
    outputNames: opened.outputNames ?? [],
    async run(inputs) {
      const sent: Record<string, { type: string; data: Float32Array | BigInt64Array; dims: readonly number[] }> = {};
      for (const [name, t] of Object.entries(inputs))
        sent[name] = { type: t.data instanceof BigInt64Array ? 'int64' : 'float32', data: t.data, dims: t.dims };
      return (await request({ type: 'run', inputs: sent })).result ?? {};
    },
    async release() {
      if (!dead) await request({ type: 'release' }).catch(() => undefined);
      await worker.terminate();
    },
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
