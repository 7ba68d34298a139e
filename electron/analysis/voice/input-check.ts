/**
 * How far a voice window's input lies from the audio the model was trained on. Two checks, each calibrated on the
 * training crops (native-models/voice-spectrogram-cnn/train/input_check.py) and stored in manifest.inputCheck:
 *
 * 1. Through the model itself: the ONNX graph's second output is the window's embedding (the pooled features its
 *    classifier reads). Its Mahalanobis distance to the training crops' embeddings, under a Gaussian with
 *    `components.length` principal directions plus an isotropic residual (probabilistic PCA), per dimension
 *    (sqrt(d² / dims), ≈ 1 for a typical training crop). Far means the classifier reads something it never learned
 *    from: music, tones, a very different recording.
 * 2. Harmonic structure: speech has voiced stretches whose harmonics ripple the low mel bands; broadband noise, clicks
 *    and typing do not, and the model's embedding alone does not tell them from noisy speech. `lowBandRipple` is the
 *    mean |second difference across mel bands 0–23| over the window's active frames.
 *
 * inputScore = max(distance / threshold, minRipple / ripple): above 1 the window is unlike the training audio.
 */
export interface InputCheckStats {
  /** What the statistics describe; bump when the definition changes. */
  feature: 'embedding-ripple-v1';
  /** Name of the ONNX output holding the embedding. */
  output: string;
  mean: number[];
  /** Principal directions (unit vectors), each of mean.length values. */
  components: number[][];
  /** Variance along each principal direction. */
  variances: number[];
  /** Mean variance of what the principal directions leave. */
  residualVariance: number;
  /** A window whose embedding distance exceeds this is unlike the training audio. */
  threshold: number;
  /** A window whose low-band ripple is below this has no harmonic structure the training audio has. */
  minRipple: number;
}

/** Frames within this many natural-log units of the loudest frame's mean log-mel count as active (20 dB). */
const ACTIVE_RANGE = Math.log(100);
/** Frames at most this far above the log floor are zero padding or digital silence. */
const PADDING_MARGIN = 0.5;
/** Mel bands 0..RIPPLE_BANDS-1 (up to ≈ 900 Hz with the 64-band 50–8000 Hz front end) hold resolved harmonics. */
const RIPPLE_BANDS = 24;

/**
 * Mean |L[m+1,t] − 2 L[m,t] + L[m−1,t]| over bands m = 1..22 and the active frames of one window's log-mel
 * (mel-major: logmel[m * frames + t]). Active: not padding, and within 20 dB of the loudest frame.
 */
export function lowBandRipple(logmel: ArrayLike<number>, nMels: number, frames: number, logFloor: number): number {
  const bands = Math.min(RIPPLE_BANDS, nMels);
  const frameMean = new Float64Array(frames);
  for (let m = 0; m < nMels; m++) for (let t = 0; t < frames; t++) frameMean[t] += logmel[m * frames + t];
  let loudest = -Infinity;
  for (let t = 0; t < frames; t++) loudest = Math.max(loudest, (frameMean[t] /= nMels));
  const floor = Math.log(logFloor) + PADDING_MARGIN;
  let sum = 0;
  let n = 0;
  for (let t = 0; t < frames; t++) {
    if (!(frameMean[t] > floor && frameMean[t] >= loudest - ACTIVE_RANGE)) continue;
    for (let m = 1; m < bands - 1; m++) sum += Math.abs(logmel[(m + 1) * frames + t] - 2 * logmel[m * frames + t] + logmel[(m - 1) * frames + t]);
    n += bands - 2;
  }
  return n ? sum / n : 0;
}

/** Both checks as one score in units of their thresholds: above 1, the window is unlike the training audio. */
export function inputScore(embedding: ArrayLike<number>, ripple: number, stats: InputCheckStats): number {
  return Math.max(inputDistance(embedding, stats) / stats.threshold, stats.minRipple / Math.max(ripple, 1e-9));
}

/** Distance of an embedding to the training crops' embeddings, per dimension (≈ 1 for a typical training crop). */
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
