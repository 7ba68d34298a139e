import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * manifest.json beside each native-models/<id>/model.onnx.
 * The engine derives all preprocessing from it: nothing about a model is hard-coded elsewhere.
 */
export const ModelManifestSchema = z.object({
  id: z.string().min(1),
  version: z.string().min(1),
  task: z.enum(['face-detection', 'face-expression', 'voice-emotion', 'face-identity', 'voice-activity', 'speaker-embedding']),
  /** Human-readable architecture, e.g. "ResNet-18 (48x48 gray)". */
  architecture: z.string(),
  file: z.string().default('model.onnx'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  input: z.object({
    name: z.string(),
    /** Shape with -1 for the batch dimension (and any variable axis), e.g. [-1, 1, 48, 48]. */
    shape: z.array(z.number().int()),
    /** 'NT': batch × audio samples; 'KNT': chunks × batch × samples (a streaming model that runs many chunks per call). */
    layout: z.enum(['NCHW', 'NHWC', 'NT', 'KNT']),
    /** face: 'gray' | 'rgb'; voice: 'logmel'; voice activity: 'waveform' (float samples in [-1, 1]). */
    channels: z.enum(['gray', 'rgb', 'logmel', 'waveform']),
    /** x' = (x / scale - mean) / std, per channel (or one value for all). */
    normalization: z.object({
      scale: z.number().positive(),
      mean: z.array(z.number()),
      std: z.array(z.number().positive()),
    }),
  }),
  output: z.object({
    name: z.string(),
    /** 'logits' are softmaxed by the engine; 'probabilities' are used as they are; 'embedding': a descriptor vector (no classes). */
    kind: z.enum(['logits', 'probabilities', 'embedding']),
  }),
  /** Class labels in output order, in the project vocabulary (see labels.ts). */
  labels: z.array(z.string()),
  /** Face crops: margin around the detected box, as a fraction of its size; offsetY moves the crop centre by
   *  this fraction of the box height (negative = up), to match how the training images framed faces. */
  crop: z
    .object({
      margin: z.number().min(0),
      square: z.boolean(),
      offsetY: z.number().min(-0.5).max(0.5).optional(),
    })
    .optional(),
  /** Face detectors: the score threshold chosen from measured recall and false detections (see the model card). */
  detection: z
    .object({
      minScore: z.number().min(0).max(1),
    })
    .optional(),
  /** Identity models: the aligned face chip they expect (face/align.ts) and the distance rule for "same person". */
  alignment: z
    .object({
      size: z.number().int().positive(),
      padding: z.number().min(0),
    })
    .optional(),
  identity: z
    .object({
      /** Euclidean distance between descriptors at or below which two faces are taken as the same person. */
      sameBelow: z.number().positive(),
    })
    .optional(),
  /** Voice front end parameters (see voice/logmel.ts). */
  frontEnd: z
    .object({
      sampleRate: z.number().int(),
      nFft: z.number().int(),
      hopLength: z.number().int(),
      nMels: z.number().int(),
      fMin: z.number(),
      fMax: z.number(),
      windowSeconds: z.number().positive(),
      hopSeconds: z.number().positive(),
      /** Added to the mel power before the natural log (voice/logmel.ts; default 1e-6). */
      logFloor: z.number().positive().optional(),
      /** Energy gate (voice/windows.ts): frame length, absolute floor in dBFS, dB above the window's quiet frames,
       *  and seconds of active frames for a voiced window. */
      vadFrameSeconds: z.number().positive().optional(),
      vadThresholdDbfs: z.number().optional(),
      vadDynamicRangeDb: z.number().min(0).optional(),
      vadMinActiveSeconds: z.number().min(0).optional(),
    })
    .optional(),
  /** Stateful streaming models (voice activity): each call takes `chunkSamples` new samples after the previous call's
   *  last `contextSamples`, and carries a recurrent state from `stateOutput` back into `stateInput`. */
  streaming: z
    .object({
      sampleRate: z.number().int().positive(),
      chunkSamples: z.number().int().positive(),
      contextSamples: z.number().int().min(0),
      stateInput: z.string(),
      stateOutput: z.string(),
      /** State shape with -1 for the batch dimension, e.g. [2, -1, 128]. */
      stateShape: z.array(z.number().int()),
      /** int64 scalar input that carries the sample rate, when the model has one. */
      sampleRateInput: z.string().optional(),
    })
    .optional(),
  /** Speaker embeddings: how the diarizer clusters them (chosen on mixtures of speakers the network never saw). */
  clustering: z
    .object({
      threshold: z.number().min(-1).max(1),
      centre: z.boolean(),
      /** Cost of a speaker change between neighbouring windows, in units of cosine similarity (turns.ts). */
      switchPenalty: z.number().min(0),
      /** Clusters with less than this share of the speech windows are folded into the nearest one. */
      minSpeakerShare: z.number().min(0).max(0.5),
      /** Clusters whose mean embeddings are more similar than this are merged (absent: never). */
      mergeAbove: z.number().min(-1).max(1).optional(),
    })
    .optional(),
  /** Abstain when the top probability is below this (frames are marked uncertain, not forced). */
  abstainBelow: z.number().min(0).max(1).default(0),
  /** Optional temperature for calibrated softmax (logits / T). */
  temperature: z.number().positive().default(1),
  tinyRandomWeights: z.boolean().default(false),
  /** Voice: statistics of the training crops (voice/input-check.ts): their embeddings (the ONNX output named
   *  `output`) and low-band ripple; windows beyond either threshold are unlike the training audio (uncertain). */
  inputCheck: z
    .object({
      feature: z.literal('embedding-ripple-v1'),
      output: z.string(),
      mean: z.array(z.number()),
      components: z.array(z.array(z.number())),
      variances: z.array(z.number().positive()),
      residualVariance: z.number().positive(),
      threshold: z.number().positive(),
      minRipple: z.number().positive(),
    })
    .passthrough()
    .refine((c) => c.components.length === c.variances.length && c.components.every((v) => v.length === c.mean.length), {
      message: 'inputCheck: components, variances and mean do not fit together',
    })
    .optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
});

export type ModelManifest = z.infer<typeof ModelManifestSchema>;

export interface LoadedManifest extends ModelManifest {
  dir: string;
  modelPath: string;
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export class ModelManifestError extends Error {
  constructor(dir: string, problem: string) {
    super(`model ${dir}: ${problem}`);
    this.name = 'ModelManifestError';
  }
}

/**
 * A text model's manifest (task "text-emotion"): token ids in, logits out. The tokenizer is named and versioned
 * here and its vocabulary (one token a line, line k = id k) is a file beside the weights, hash-checked like them.
 * The fields shared with the tensor models mean the same thing there.
 */
export const TextModelManifestSchema = ModelManifestSchema.pick({
  id: true,
  version: true,
  architecture: true,
  file: true,
  sha256: true,
  output: true,
  labels: true,
  abstainBelow: true,
  temperature: true,
  tinyRandomWeights: true,
  metrics: true,
}).extend({
  task: z.literal('text-emotion'),
  input: z.object({
    /** int64 token ids [batch, tokens]; the texts of one batch have the same number of tokens (no padding). */
    name: z.string(),
    dtype: z.literal('int64'),
  }),
  tokenizer: z.object({
    /** The tokenizer's rules (electron/analysis/text/tokenizer.ts); a new rule set gets a new name. */
    kind: z.literal('codepoint-words-v1'),
    vocabFile: z.string(),
    vocabSha256: z.string().regex(/^[0-9a-f]{64}$/),
    maxTokens: z.number().int().positive(),
  }),
});

export type TextModelManifest = z.infer<typeof TextModelManifestSchema>;

export interface LoadedTextManifest extends TextModelManifest {
  dir: string;
  modelPath: string;
}

function loadManifestWith<S extends z.ZodType<{ file: string; sha256: string }>>(
  schema: S,
  dir: string,
  verifyHash: boolean,
): z.infer<S> & { dir: string; modelPath: string } {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new ModelManifestError(dir, 'manifest.json is missing');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (err) {
    throw new ModelManifestError(dir, `manifest.json is not valid JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ModelManifestError(dir, `manifest.json is invalid: ${parsed.error.message}`);
  const data = parsed.data as z.infer<S>;
  const modelPath = path.join(dir, data.file);
  if (!existsSync(modelPath)) throw new ModelManifestError(dir, `${data.file} is missing`);
  if (verifyHash) {
    const actual = sha256File(modelPath);
    if (actual !== data.sha256) throw new ModelManifestError(dir, `${data.file} sha256 ${actual} does not match manifest ${data.sha256}`);
  }
  return { ...data, dir, modelPath };
}

/** Read and validate native-models/<id>/manifest.json, and check the weights' sha256. */
export function loadManifest(dir: string, { verifyHash = true } = {}): LoadedManifest {
  return loadManifestWith(ModelManifestSchema, dir, verifyHash);
}

/** The same for a text model; also checks that the vocabulary file is there with the manifest's sha256. */
export function loadTextManifest(dir: string, { verifyHash = true } = {}): LoadedTextManifest {
  const m = loadManifestWith(TextModelManifestSchema, dir, verifyHash);
  const vocab = path.join(dir, m.tokenizer.vocabFile);
  if (!existsSync(vocab)) throw new ModelManifestError(dir, `${m.tokenizer.vocabFile} is missing`);
  if (verifyHash && sha256File(vocab) !== m.tokenizer.vocabSha256)
    throw new ModelManifestError(dir, `${m.tokenizer.vocabFile} sha256 does not match the manifest`);
  return m;
}

/** Any model folder's manifest, read with the schema its task calls for. */
export function loadAnyManifest(dir: string, opts: { verifyHash?: boolean } = {}): LoadedManifest | LoadedTextManifest {
  let task: unknown;
  try {
    task = (JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { task?: unknown }).task;
  } catch {
    task = undefined; // loadManifest reports the problem
  }
  return task === 'text-emotion' ? loadTextManifest(dir, opts) : loadManifest(dir, opts);
}

function uarValue(uar: unknown): number | null {
  const value = typeof uar === 'number' ? uar : typeof uar === 'object' && uar !== null ? (uar as { mean?: unknown }).mean : undefined;
  return typeof value === 'number' && value > 0 && value <= 1 ? value : null;
}

/**
 * The UAR to expect on new data, from the manifest metrics: the cross-corpus figure (`metrics.crossCorpus.uar`:
 * trained without the test corpus) when the manifest states one, else the held-out figure (`metrics.uar`); each a
 * number or `{ mean }` for figures averaged over folds. Null when the manifest states none. The engine weights
 * each track's fusion by it.
 */
export function heldOutUar(m: Pick<ModelManifest, 'metrics'>): number | null {
  const cross = m.metrics?.crossCorpus;
  return uarValue(typeof cross === 'object' && cross !== null ? (cross as { uar?: unknown }).uar : undefined) ?? uarValue(m.metrics?.uar);
}
