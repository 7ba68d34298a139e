/**
 * How far a voice window's input lies from the audio the model was trained on, seen through the model itself.
 *
 * The voice model's ONNX graph has a second output, the window's embedding (the pooled features its classifier
 * reads). Its distance to the training windows' embeddings is a Mahalanobis distance under a Gaussian with
 * `components.length` principal directions plus an isotropic residual (probabilistic PCA), expressed per dimension:
 * sqrt(d² / dims), ≈ 1 for a typical training window. Far from the training windows means the classifier is reading
 * something it never learned from (music, tones, noise, a very different channel), so its probabilities there say
 * little. The statistics and the threshold live in manifest.inputCheck, fitted by
 * native-models/voice-spectrogram-cnn/train/input_check.py on the embeddings of training crops (clean and augmented).
 */
export interface InputCheckStats {
  /** What the statistics describe; bump when the definition changes. */
  feature: 'embedding-v1';
  /** Name of the ONNX output holding the embedding. */
  output: string;
  mean: number[];
  /** Principal directions (unit vectors), each of mean.length values. */
  components: number[][];
  /** Variance along each principal direction. */
  variances: number[];
  /** Mean variance of what the principal directions leave. */
  residualVariance: number;
  /** A window whose distance exceeds this is "unlike the training audio" (marked uncertain). */
  threshold: number;
}

/** Distance of an embedding to the training distribution, per dimension (≈ 1 for typical training windows). */
export function inputDistance(embedding: ArrayLike<number>, stats: InputCheckStats): number {
  const d = stats.mean.length;
  if (embedding.length !== d) throw new Error(`embedding has ${embedding.length} values, the input-check statistics ${d}`);
  const z = new Float64Array(d);
  let total = 0;
  for (let i = 0; i < d; i++) {
    z[i] = embedding[i] - stats.mean[i];
    total += z[i] * z[i];
  }
  let d2 = 0;
  let explained = 0;
  stats.components.forEach((c, k) => {
    let y = 0;
    for (let i = 0; i < d; i++) y += c[i] * z[i];
    d2 += (y * y) / stats.variances[k];
    explained += y * y;
  });
  d2 += Math.max(0, total - explained) / stats.residualVariance;
  return Math.sqrt(d2 / d);
}
