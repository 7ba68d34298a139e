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
  task: z.enum(['face-detection', 'face-expression', 'voice-emotion']),
  /** Human-readable architecture, e.g. "ResNet-18 (48x48 gray)". */
  architecture: z.string(),
  file: z.string().default('model.onnx'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  input: z.object({
    name: z.string(),
    /** Shape with -1 for the batch dimension, e.g. [-1, 1, 48, 48]. */
    shape: z.array(z.number().int()),
    layout: z.enum(['NCHW', 'NHWC']),
    /** face: 'gray' | 'rgb'; voice: 'logmel'. */
    channels: z.enum(['gray', 'rgb', 'logmel']),
    /** x' = (x / scale - mean) / std, per channel (or one value for all). */
    normalization: z.object({
      scale: z.number().positive(),
      mean: z.array(z.number()),
      std: z.array(z.number().positive()),
    }),
  }),
  output: z.object({
    name: z.string(),
    /** 'logits' are softmaxed by the engine; 'probabilities' are used as they are. */
    kind: z.enum(['logits', 'probabilities']),
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

/** Read and validate native-models/<id>/manifest.json, and check the weights' sha256. */
export function loadManifest(dir: string, { verifyHash = true } = {}): LoadedManifest {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new ModelManifestError(dir, 'manifest.json is missing');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (err) {
    throw new ModelManifestError(dir, `manifest.json is not valid JSON (${(err as Error).message})`);
  }
  const parsed = ModelManifestSchema.safeParse(raw);
  if (!parsed.success) throw new ModelManifestError(dir, `manifest.json is invalid: ${parsed.error.message}`);
  const modelPath = path.join(dir, parsed.data.file);
  if (!existsSync(modelPath)) throw new ModelManifestError(dir, `${parsed.data.file} is missing`);
  if (verifyHash) {
    const actual = sha256File(modelPath);
    if (actual !== parsed.data.sha256)
      throw new ModelManifestError(dir, `${parsed.data.file} sha256 ${actual} does not match manifest ${parsed.data.sha256}`);
  }
  return { ...parsed.data, dir, modelPath };
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
