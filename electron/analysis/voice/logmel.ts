/**
 * THE log-mel front end for the voice model. Training features (scripts/export-voice-features.ts) and the
 * engine both call this file, so what the network sees at run time is computed by the same code it was trained on.
 *
 * Own FFT + mel code rather than meyda: meyda's mel filter bank always spans 0 Hz..Nyquist (no fMin/fMax),
 * snaps filter edges to whole FFT bins (the lowest of 64 filters at nFft 512 come out empty) and allocates per frame.
 * Here: periodic Hann window of nFft samples, real FFT (one half-size complex FFT), power spectrum,
 * triangular HTK-mel filters evaluated at each bin's centre frequency (no empty filters), natural log of
 * (mel power + logFloor). No centre padding: frame t covers samples [t*hop, t*hop + nFft).
 */
export interface LogMelConfig {
  sampleRate: number;
  nFft: number;
  hopLength: number;
  nMels: number;
  fMin: number;
  fMax: number;
  /** Added to the mel power before the log (default 1e-6). */
  logFloor?: number;
}

export const DEFAULT_LOG_FLOOR = 1e-6;

const hzToMel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
const melToHz = (mel: number) => 700 * (10 ** (mel / 2595) - 1);

/** Centre frequencies (Hz) of each mel band, for tests and plots. */
export function melCenterFrequencies(cfg: LogMelConfig): number[] {
  const lo = hzToMel(cfg.fMin);
  const hi = hzToMel(cfg.fMax);
  return Array.from({ length: cfg.nMels }, (_, m) => melToHz(lo + ((m + 1) * (hi - lo)) / (cfg.nMels + 1)));
}

/** Sparse triangular mel filters: for each band, the first bin and its weights. */
function melFilters(cfg: LogMelConfig): { first: number; weights: Float64Array }[] {
  const nBins = cfg.nFft / 2 + 1;
  const lo = hzToMel(cfg.fMin);
  const hi = hzToMel(cfg.fMax);
  const edges = Array.from({ length: cfg.nMels + 2 }, (_, i) => melToHz(lo + (i * (hi - lo)) / (cfg.nMels + 1)));
  const binHz = (k: number) => (k * cfg.sampleRate) / cfg.nFft;
  const filters: { first: number; weights: Float64Array }[] = [];
  for (let m = 0; m < cfg.nMels; m++) {
    const [left, centre, right] = [edges[m], edges[m + 1], edges[m + 2]];
    const w: number[] = [];
    let first = -1;
    for (let k = 0; k < nBins; k++) {
      const f = binHz(k);
      const v = f <= left || f >= right ? 0 : f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
      if (v > 0) {
        if (first < 0) first = k;
        w[k - first] = v;
      } else if (first >= 0) break;
    }
    if (first < 0) {
      // Band narrower than one bin: take the nearest bin so no band is ever silent.
      first = Math.min(nBins - 1, Math.round(centre / binHz(1)));
      w[0] = 1;
    }
    filters.push({ first, weights: Float64Array.from(w, (x) => x ?? 0) });
  }
  return filters;
}

/** In-place iterative radix-2 complex FFT of size n (power of two) with precomputed tables. */
class ComplexFft {
  private readonly rev: Uint32Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  constructor(readonly n: number) {
    if (n < 2 || (n & (n - 1)) !== 0) throw new Error(`FFT size ${n} is not a power of two`);
    const bits = Math.log2(n);
    this.rev = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.cos = new Float64Array(n / 2);
    this.sin = new Float64Array(n / 2);
    for (let i = 0; i < n / 2; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / n);
      this.sin[i] = -Math.sin((2 * Math.PI * i) / n);
    }
  }
  transform(re: Float64Array, im: Float64Array): void {
    const { n, rev, cos, sin } = this;
    for (let i = 0; i < n; i++) {
      const j = rev[i];
      if (j > i) {
        let t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    for (let size = 2; size <= n; size <<= 1) {
      const half = size >> 1;
      const step = n / size;
      for (let start = 0; start < n; start += size) {
        for (let k = 0, tw = 0; k < half; k++, tw += step) {
          const a = start + k;
          const b = a + half;
          const wr = cos[tw];
          const wi = sin[tw];
          const xr = re[b] * wr - im[b] * wi;
          const xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}

export class LogMelExtractor {
  readonly cfg: Required<LogMelConfig>;
  private readonly window: Float64Array;
  private readonly fft: ComplexFft;
  private readonly filters: { first: number; weights: Float64Array }[];
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly power: Float64Array;
  private readonly twCos: Float64Array;
  private readonly twSin: Float64Array;

  constructor(cfg: LogMelConfig) {
    this.cfg = { logFloor: DEFAULT_LOG_FLOOR, ...cfg };
    const { nFft, fMin, fMax, sampleRate, hopLength, nMels } = this.cfg;
    if (nFft < 4 || (nFft & (nFft - 1)) !== 0) throw new Error(`nFft ${nFft} must be a power of two`);
    if (!(fMin >= 0 && fMax > fMin && fMax <= sampleRate / 2)) throw new Error(`mel range ${fMin}..${fMax} Hz is invalid at ${sampleRate} Hz`);
    if (hopLength < 1 || nMels < 1) throw new Error('hopLength and nMels must be positive');
    this.window = Float64Array.from({ length: nFft }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / nFft));
    const half = nFft / 2;
    this.fft = new ComplexFft(half);
    this.re = new Float64Array(half);
    this.im = new Float64Array(half);
    this.power = new Float64Array(half + 1);
    this.twCos = Float64Array.from({ length: half }, (_, k) => Math.cos((2 * Math.PI * k) / nFft));
    this.twSin = Float64Array.from({ length: half }, (_, k) => -Math.sin((2 * Math.PI * k) / nFft));
    this.filters = melFilters(this.cfg);
  }

  /** Frames produced for n samples (no padding: 0 when n < nFft). */
  frameCount(nSamples: number): number {
    return nSamples < this.cfg.nFft ? 0 : 1 + Math.floor((nSamples - this.cfg.nFft) / this.cfg.hopLength);
  }

  /** Power spectrum |X[k]|², k = 0..nFft/2, of the Hann-windowed frame starting at `offset`. */
  powerSpectrum(samples: Float32Array, offset: number): Float64Array {
    const { re, im, power, window, twCos, twSin } = this;
    const half = this.cfg.nFft / 2;
    // Pack even samples into re, odd into im: one half-size complex FFT gives the real FFT.
    for (let n = 0; n < half; n++) {
      re[n] = samples[offset + 2 * n] * window[2 * n];
      im[n] = samples[offset + 2 * n + 1] * window[2 * n + 1];
    }
    this.fft.transform(re, im);
    power[0] = (re[0] + im[0]) ** 2;
    power[half] = (re[0] - im[0]) ** 2;
    for (let k = 1; k < half; k++) {
      const zr = re[k],
        zi = im[k];
      const cr = re[half - k],
        ci = -im[half - k];
      const er = 0.5 * (zr + cr),
        ei = 0.5 * (zi + ci);
      const or = 0.5 * (zi - ci),
        oi = -0.5 * (zr - cr);
      const wr = twCos[k],
        wi = twSin[k];
      const xr = er + wr * or - wi * oi;
      const xi = ei + wr * oi + wi * or;
      power[k] = xr * xr + xi * xi;
    }
    return power;
  }

  /**
   * Log-mel features of `samples`, mel-major: out[m * frames + t]. Pass `out` to reuse a buffer
   * (it must hold nMels * frameCount(samples.length) values).
   */
  compute(samples: Float32Array, out?: Float32Array): { data: Float32Array; frames: number; nMels: number } {
    const { nMels, hopLength } = this.cfg;
    const frames = this.frameCount(samples.length);
    const data = out ?? new Float32Array(nMels * frames);
    if (data.length < nMels * frames) throw new Error(`output buffer holds ${data.length} values, needs ${nMels * frames}`);
    for (let t = 0; t < frames; t++) this.frameInto(samples, t * hopLength, data, t, frames);
    return { data, frames, nMels };
  }

  /** The log-mel frame of the samples at `offset`, written to out[at + m * stride] for each mel band m. */
  frameInto(samples: Float32Array, offset: number, out: Float32Array, at: number, stride: number): void {
    const { nMels, logFloor } = this.cfg;
    const power = this.powerSpectrum(samples, offset);
    for (let m = 0; m < nMels; m++) {
      const { first, weights } = this.filters[m];
      let acc = 0;
      for (let j = 0; j < weights.length; j++) acc += weights[j] * power[first + j];
      out[at + m * stride] = Math.log(acc + logFloor);
    }
  }
}
