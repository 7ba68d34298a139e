import { loadManifest, type LoadedManifest } from '../models/manifest.js';
import { openOnnxModel, softmax, type OnnxModel } from '../models/onnx-runtime.js';
import type { RgbImage } from '../image.js';
import { inputGeometry, preprocessBatch } from './image-preprocess.js';

export interface FaceExpressionLoadOptions {
  /** onnxruntime intra-op threads. */
  threads?: number;
  /** Largest batch sent to onnxruntime in one run (default 64). */
  maxBatch?: number;
  /** Classify on a worker thread (models/onnx-runtime.ts `offThread`), so the caller can find the next faces meanwhile. */
  offThread?: boolean;
}

/**
 * A face expression classifier (native-models/<id>/): face crops in, calibrated probabilities out,
 * in manifest.labels order (project vocabulary). Probabilities are expression estimates, not diagnoses.
 */
export class FaceExpressionModel {
  private constructor(
    readonly manifest: LoadedManifest,
    private readonly session: OnnxModel,
    private readonly maxBatch: number,
  ) {}

  static async load(dir: string, opts: FaceExpressionLoadOptions = {}): Promise<FaceExpressionModel> {
    const manifest = loadManifest(dir);
    if (manifest.task !== 'face-expression') throw new Error(`model ${dir} is a ${manifest.task} model, not face-expression`);
    inputGeometry(manifest); // validates the input shape now rather than on the first frame
    const session = await openOnnxModel(manifest.modelPath, { threads: opts.threads, offThread: opts.offThread });
    if (!session.inputNames.includes(manifest.input.name))
      throw new Error(`model ${dir}: input "${manifest.input.name}" not in the ONNX graph (${session.inputNames.join(', ')})`);
    if (!session.outputNames.includes(manifest.output.name))
      throw new Error(`model ${dir}: output "${manifest.output.name}" not in the ONNX graph (${session.outputNames.join(', ')})`);
    return new FaceExpressionModel(manifest, session, Math.max(1, opts.maxBatch ?? 64));
  }

  get labels(): readonly string[] {
    return this.manifest.labels;
  }

  /** One probability vector per crop (manifest.labels order), temperature-scaled when the output is logits. */
  async classify(crops: readonly RgbImage[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    const k = this.manifest.labels.length;
    for (let start = 0; start < crops.length; start += this.maxBatch) {
      const batch = crops.slice(start, start + this.maxBatch);
      const input = preprocessBatch(batch, this.manifest);
      const result = await this.session.run({ [this.manifest.input.name]: input });
      const y = result[this.manifest.output.name];
      if (!y || y.data.length !== batch.length * k)
        throw new Error(`model ${this.manifest.id}: expected ${batch.length}x${k} outputs, got [${y?.dims.join(', ')}]`);
      for (let i = 0; i < batch.length; i++) {
        const row = y.data.slice(i * k, (i + 1) * k);
        out.push(this.manifest.output.kind === 'logits' ? softmax(row, this.manifest.temperature) : row);
      }
    }
    return out;
  }

  /** Index of the top class, or -1 when its probability is below manifest.abstainBelow. */
  topOrAbstain(probs: Float32Array): number {
    let best = 0;
    for (let i = 1; i < probs.length; i++) if (probs[i] > probs[best]) best = i;
    return probs[best] < this.manifest.abstainBelow ? -1 : best;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
