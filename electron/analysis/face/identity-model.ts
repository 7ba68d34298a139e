import type { RgbImage } from '../image.js';
import { loadManifest, type LoadedManifest } from '../models/manifest.js';
import { openOnnxModel, type OnnxModel } from '../models/onnx-runtime.js';
import { ReusableInput } from '../models/input-buffer.js';
import { alignFace, DLIB_CHIP, type ChipSpec } from './align.js';
import type { FaceDetection } from './detector.js';
import { levelTables } from './image-preprocess.js';

export interface FaceIdentityLoadOptions {
  /** onnxruntime intra-op threads. */
  threads?: number;
  /** Largest batch sent to onnxruntime in one run (default 16). */
  maxBatch?: number;
}

/**
 * A face identity model (native-models/face-identity-dlib/): aligned face chips in, one descriptor per face out.
 * Two descriptors closer than `sameBelow` (Euclidean) are taken as the same person. Descriptors are stored for
 * recognising people across a client's sessions; they are biometric data and are erased with the client.
 */
export class FaceIdentityModel {
  /** The model's input value for each 8-bit level, per channel: the manifest's normalisation, computed once. */
  private readonly levels: Float32Array[];
  private readonly input = new ReusableInput();

  private constructor(
    readonly manifest: LoadedManifest,
    private readonly session: OnnxModel,
    private readonly maxBatch: number,
  ) {
    this.levels = levelTables(manifest.input.normalization);
  }

  static async load(dir: string, opts: FaceIdentityLoadOptions = {}): Promise<FaceIdentityModel> {
    const manifest = loadManifest(dir);
    if (manifest.task !== 'face-identity') throw new Error(`model ${dir} is a ${manifest.task} model, not face-identity`);
    const { shape, layout, channels } = manifest.input;
    const side = manifest.alignment?.size ?? DLIB_CHIP.size;
    if (layout !== 'NHWC' || channels !== 'rgb' || shape.length !== 4 || shape[1] !== side || shape[2] !== side || shape[3] !== 3)
      throw new Error(`model ${dir}: identity input must be NHWC RGB [-1, ${side}, ${side}, 3], got ${layout} ${channels} [${shape.join(', ')}]`);
    const session = await openOnnxModel(manifest.modelPath, { threads: opts.threads });
    if (!session.inputNames.includes(manifest.input.name) || !session.outputNames.includes(manifest.output.name))
      throw new Error(`model ${dir}: "${manifest.input.name}" → "${manifest.output.name}" not in the ONNX graph`);
    return new FaceIdentityModel(manifest, session, Math.max(1, opts.maxBatch ?? 16));
  }

  /** The aligned chip the network expects (size and padding from the manifest). */
  get chip(): ChipSpec {
    return this.manifest.alignment ?? DLIB_CHIP;
  }

  /** Distance at or below which two descriptors are the same person (manifest `identity.sameBelow`; dlib's 0.6). */
  get sameBelow(): number {
    return this.manifest.identity?.sameBelow ?? 0.6;
  }

  /** Align one detected face in its frame (see face/align.ts). */
  align(frame: RgbImage, face: Pick<FaceDetection, 'keypoints'>): RgbImage {
    return alignFace(frame, face, this.chip);
  }

  /** Descriptors for aligned chips (each chip.size² RGB), in order. */
  async embed(chips: readonly RgbImage[]): Promise<Float32Array[]> {
    const side = this.chip.size;
    const per = side * side * 3;
    const [l0, l1, l2] = this.levels;
    const out: Float32Array[] = [];
    for (let start = 0; start < chips.length; start += this.maxBatch) {
      const batch = chips.slice(start, start + this.maxBatch);
      const result = await this.input.use(batch.length * per, (data) => {
        for (let n = 0; n < batch.length; n++) {
          const chip = batch[n];
          if (chip.width !== side || chip.height !== side) throw new Error(`identity chip must be ${side}×${side}, got ${chip.width}×${chip.height}`);
          const rgb = chip.rgb;
          for (let i = 0, o = n * per; i < per; i += 3, o += 3) {
            data[o] = l0[rgb[i]];
            data[o + 1] = l1[rgb[i + 1]];
            data[o + 2] = l2[rgb[i + 2]];
          }
        }
        return this.session.run({ [this.manifest.input.name]: { data, dims: [batch.length, side, side, 3] } });
      });
      const y = result[this.manifest.output.name];
      const k = y.data.length / batch.length;
      for (let n = 0; n < batch.length; n++) out.push(y.data.slice(n * k, (n + 1) * k));
    }
    return out;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/** Euclidean distance between two descriptors (the metric dlib's network was trained for). */
export function descriptorDistance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`descriptor lengths differ: ${a.length} vs ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}
