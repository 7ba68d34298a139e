import { loadManifest, ModelManifestError, type LoadedManifest } from '../models/manifest.js';
import { openOnnxModel, type OnnxModel } from '../models/onnx-runtime.js';
import { resolveModelDir } from '../models/registry.js';
import { frontEndFromManifest, type VoiceFrontEnd } from '../voice/front-end.js';

/** The speaker-embedding model the diarizer uses unless told otherwise. */
export const DEFAULT_SPEAKER_MODEL_ID = 'speaker-embed';

/** How the diarizer clusters this model's embeddings (manifest.clustering), chosen on dev-speaker mixtures. */
export interface ClusteringSettings {
  /** Average-linkage clustering stops when the most similar pair of clusters has a cosine similarity below this. */
  threshold: number;
  /** Subtract the recording's mean embedding before comparing (removes what all voices of a recording share). */
  centre: boolean;
  /** Cost of a speaker change between neighbouring windows (turns.ts smoothLabels). */
  switchPenalty: number;
  /** Clusters with less than this share of the windows are folded into the nearest (when estimating the count). */
  minSpeakerShare: number;
  /** When estimating the count: clusters whose mean embeddings are more similar than this are merged (1: never). */
  mergeAbove: number;
}

/**
 * A speaker-embedding network (native-models/speaker-embed): log-mel frames of speech (any number of frames,
 * [1, 1, nMels, T] mel-major) → an L2-normalised vector; two spans by the same voice give vectors with a high dot
 * product. The log-mel front end is the engine's own (voice/logmel.ts) with the parameters of manifest.frontEnd.
 */
export class SpeakerEmbedder {
  private constructor(
    readonly manifest: LoadedManifest,
    readonly frontEnd: VoiceFrontEnd,
    readonly clustering: ClusteringSettings,
    private readonly onnx: OnnxModel,
  ) {}

  static async load(ref: string = DEFAULT_SPEAKER_MODEL_ID, opts: { threads?: number } = {}): Promise<SpeakerEmbedder> {
    const dir = resolveModelDir(ref);
    const manifest = loadManifest(dir);
    if (manifest.task !== 'speaker-embedding') throw new ModelManifestError(dir, `task is ${manifest.task}, not speaker-embedding`);
    const fe = frontEndFromManifest(manifest);
    const shape = manifest.input.shape;
    if (manifest.input.channels !== 'logmel' || manifest.input.layout !== 'NCHW' || shape.length !== 4 || shape[2] !== fe.nMels)
      throw new ModelManifestError(dir, `input ${manifest.input.layout} [${shape}] is not [-1, 1, ${fe.nMels}, -1] log-mel`);
    const c = manifest.clustering;
    if (!c) throw new ModelManifestError(dir, 'a speaker-embedding model needs a clustering block');
    const onnx = await openOnnxModel(manifest.modelPath, { threads: opts.threads ?? 1 });
    return new SpeakerEmbedder(manifest, fe, { ...c, mergeAbove: c.mergeAbove ?? 1 }, onnx);
  }

  /** Embedding of `frames` log-mel frames stored mel-major (`logmel[m * frames + t]`). */
  async embed(logmel: Float32Array, frames: number): Promise<Float32Array> {
    const { nMels } = this.frontEnd;
    if (logmel.length !== nMels * frames) throw new Error(`expected ${nMels}×${frames} log-mel values, got ${logmel.length}`);
    const out = await this.onnx.run({ [this.manifest.input.name]: { data: logmel, dims: [1, 1, nMels, frames] } });
    const e = out[this.manifest.output.name];
    if (!e) throw new Error(`speaker model gave no ${this.manifest.output.name} output`);
    return Float32Array.from(e.data);
  }

  release(): Promise<void> {
    return this.onnx.release();
  }
}
