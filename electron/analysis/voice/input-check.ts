/**
 * How far a voice window's input lies from the audio the model was trained on.
 *
 * Each window's log-mel (nMels × frames, as the model sees it) is summarised by its spectral shape and dynamics
 * over its active frames (within 20 dB of the window's loudest frame, zero padding excluded):
 *   shape[m]    = mean log-mel of band m − the mean over all bands (level-free: a gain change does not move it)
 *   dynamics[m] = standard deviation of band m over the active frames
 * The distance is a Mahalanobis distance of this 2·nMels vector to the training windows' summaries, modelled as a
 * Gaussian with `components.length` principal directions plus an isotropic residual (probabilistic PCA), expressed
 * per dimension: sqrt(d² / 2·nMels), ≈ 1 for a typical training window. The statistics and the threshold live in
 * manifest.inputCheck (fitted by native-models/voice-spectrogram-cnn/train/input_check.py on the exporter's
 * summaries of the same windows, so training and run time share this code).
 */
export interface InputCheckStats {
  /** Summary definition; bump when windowSummary changes. */
  feature: 'logmel-shape-dynamics-v1';
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

/** Frames within this many natural-log units of the loudest frame's mean log-mel count as active (≈ 20 dB). */
const ACTIVE_RANGE = Math.log(100);
/** Frames at most this far above the log floor are zero padding or digital silence. */
const PADDING_MARGIN = 0.5;

/** The 2·nMels summary of one window's log-mel (mel-major: logmel[m * frames + t]). */
export function windowSummary(logmel: Float32Array, nMels: number, frames: number, logFloor: number): Float32Array {
  const frameMean = new Float64Array(frames);
  for (let m = 0; m < nMels; m++) for (let t = 0; t < frames; t++) frameMean[t] += logmel[m * frames + t];
  let loudest = -Infinity;
  for (let t = 0; t < frames; t++) loudest = Math.max(loudest, (frameMean[t] /= nMels));
  const floor = Math.log(logFloor) + PADDING_MARGIN;
  const active: number[] = [];
  for (let t = 0; t < frames; t++) if (frameMean[t] >= loudest - ACTIVE_RANGE && frameMean[t] > floor) active.push(t);
  if (active.length === 0) for (let t = 0; t < frames; t++) if (frameMean[t] === loudest) active.push(t);
  const out = new Float32Array(2 * nMels);
  let overall = 0;
  for (let m = 0; m < nMels; m++) {
    let s = 0, s2 = 0;
    for (const t of active) {
      const v = logmel[m * frames + t];
      s += v;
      s2 += v * v;
    }
    const mean = s / active.length;
    out[m] = mean;
    out[nMels + m] = Math.sqrt(Math.max(0, s2 / active.length - mean * mean));
    overall += mean;
  }
  overall /= nMels;
  for (let m = 0; m < nMels; m++) out[m] -= overall;
  return out;
}

/** Distance of a summary to the training distribution, per dimension (≈ 1 for typical training windows). */
export function inputDistance(summary: Float32Array, stats: InputCheckStats): number {
  const d = stats.mean.length;
  if (summary.length !== d) throw new Error(`input summary has ${summary.length} values, the statistics ${d}`);
  const z = new Float64Array(d);
  let total = 0;
  for (let i = 0; i < d; i++) {
    z[i] = summary[i] - stats.mean[i];
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
