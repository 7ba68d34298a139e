/**
 * Waveform augmentations that make acted studio speech sound like calls, for training the voice model
 * (scripts/export-voice-features.ts). Training-only code: the app never augments.
 *
 * - additive noise (white, pink, brown, babble of other utterances) at a chosen SNR re the speech frames
 * - room reverb: a synthetic impulse response (direct path + exponentially decaying noise tail, given RT60 and
 *   direct-to-reverberant ratio), applied by FFT convolution
 * - telephone band and codecs through ffmpeg: 300–3,400 Hz, 8 kHz resampling, G.711 μ-law/A-law, GSM-FR, Opus,
 *   AAC, Speex. Debian's ffmpeg has no AMR encoder (no libopencore-amrnb/libvo-amrwbenc), so GSM full rate
 *   (13 kbit/s, the mobile codec AMR replaced) stands in for it. Many utterances go through one ffmpeg
 *   round trip (concatenated with silent gaps, then cut apart again) because starting ffmpeg per file costs
 *   more than the coding itself on a busy machine.
 */
import { spawn } from 'node:child_process';
import { TRAINING_FRONT_END } from '../electron/analysis/voice/front-end.js';

export type Rng = () => number;

export function gaussian(r: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

export function pick<T>(r: Rng, items: readonly T[]): T {
  return items[Math.min(items.length - 1, Math.floor(r() * items.length))];
}

/** Speech power: mean square over the 20 ms frames within 20 dB of the loudest frame (independent of recording level). */
export function speechPower(x: Float32Array): number {
  const frame = Math.round(TRAINING_FRONT_END.vadFrameSeconds * TRAINING_FRONT_END.sampleRate);
  const energies: number[] = [];
  for (let s = 0; s + frame <= x.length; s += frame) {
    let e = 0;
    for (let i = s; i < s + frame; i++) e += x[i] * x[i];
    energies.push(e / frame);
  }
  const loudest = Math.max(...energies, 1e-20);
  const speech = energies.filter((e) => e >= loudest / 100);
  return speech.reduce((a, b) => a + b, 0) / Math.max(1, speech.length);
}

export const NOISE_KINDS = ['white', 'pink', 'brown', 'babble'] as const;
export type NoiseKind = (typeof NOISE_KINDS)[number];

/**
 * Noise of `n` samples. Pink: Paul Kellet's filter on white noise; brown: leaky integrator; babble: 3–5 other
 * utterances (given in `others`, each started at a random point and looped) summed.
 */
export function makeNoise(kind: NoiseKind, n: number, r: Rng, others: readonly Float32Array[] = []): Float32Array {
  const out = new Float32Array(n);
  if (kind === 'babble' && others.length > 0) {
    const talkers = 3 + Math.floor(r() * 3);
    for (let k = 0; k < talkers; k++) {
      const src = pick(r, others);
      const p = speechPower(src) || 1;
      const g = 1 / Math.sqrt(p);
      let j = Math.floor(r() * src.length);
      for (let i = 0; i < n; i++, j++) out[i] += g * src[j % src.length];
    }
    return out;
  }
  let b0 = 0,
    b1 = 0,
    b2 = 0,
    b3 = 0,
    b4 = 0,
    b5 = 0,
    b6 = 0,
    brown = 0;
  for (let i = 0; i < n; i++) {
    const w = gaussian(r);
    if (kind === 'pink' || kind === 'babble') {
      b0 = 0.99886 * b0 + w * 0.0555179;
      b1 = 0.99332 * b1 + w * 0.0750759;
      b2 = 0.969 * b2 + w * 0.153852;
      b3 = 0.8665 * b3 + w * 0.3104856;
      b4 = 0.55 * b4 + w * 0.5329522;
      b5 = -0.7616 * b5 - w * 0.016898;
      out[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
      b6 = w * 0.115926;
    } else if (kind === 'brown') {
      brown = 0.98 * brown + w;
      out[i] = brown;
    } else out[i] = w;
  }
  return out;
}

/** x + noise scaled to `snrDb` below the speech power of x. */
export function addNoise(x: Float32Array, noise: Float32Array, snrDb: number): Float32Array {
  let np = 0;
  for (let i = 0; i < noise.length; i++) np += noise[i] * noise[i];
  np /= Math.max(1, noise.length);
  const gain = Math.sqrt(speechPower(x) / 10 ** (snrDb / 10) / Math.max(np, 1e-20));
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i] + gain * noise[i];
  return y;
}

/** In-place iterative radix-2 complex FFT (inverse when `inverse`, unscaled). */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = ((inverse ? 2 : -2) * Math.PI) / len;
    const wr = Math.cos(ang),
      wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1,
        ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k,
          b = a + len / 2;
        const xr = re[b] * cr - im[b] * ci;
        const xi = re[b] * ci + im[b] * cr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
        const t = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = t;
      }
    }
  }
}

/** Linear convolution of x with h, truncated to x's length. */
export function convolve(x: Float32Array, h: Float32Array): Float32Array {
  let n = 1;
  while (n < x.length + h.length) n <<= 1;
  const ar = new Float64Array(n),
    ai = new Float64Array(n),
    br = new Float64Array(n),
    bi = new Float64Array(n);
  ar.set(x);
  br.set(h);
  fft(ar, ai, false);
  fft(br, bi, false);
  for (let k = 0; k < n; k++) {
    const r = ar[k] * br[k] - ai[k] * bi[k];
    ai[k] = ar[k] * bi[k] + ai[k] * br[k];
    ar[k] = r;
  }
  fft(ar, ai, true);
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = ar[i] / n;
  return y;
}

/**
 * Synthetic room impulse response: a unit direct path, then (after a 1–5 ms gap) Gaussian noise decaying by
 * 60 dB over `rt60S`, scaled so the direct-to-reverberant energy ratio is `drrDb`. Sample rate 16 kHz.
 */
export function roomImpulse(rt60S: number, drrDb: number, r: Rng, sampleRate = TRAINING_FRONT_END.sampleRate): Float32Array {
  const len = Math.round(rt60S * sampleRate);
  const start = Math.round((0.001 + 0.004 * r()) * sampleRate);
  const h = new Float32Array(start + len);
  h[0] = 1;
  let tail = 0;
  for (let i = 0; i < len; i++) {
    const v = gaussian(r) * Math.exp((-6.908 * i) / len);
    h[start + i] = v;
    tail += v * v;
  }
  const g = Math.sqrt(10 ** (-drrDb / 10) / Math.max(tail, 1e-20));
  for (let i = start; i < h.length; i++) h[i] *= g;
  return h;
}

export function reverberate(x: Float32Array, rt60S: number, drrDb: number, r: Rng): Float32Array {
  return convolve(x, roomImpulse(rt60S, drrDb, r));
}

/** One ffmpeg encode + decode setting. */
export interface CodecSpec {
  /** Short name written into the feature index, e.g. "opus-8k@8000". */
  name: string;
  /** Encoder arguments after `-i pipe:0` (filters, codec, bit rate, rate, container). */
  encode: string[];
  /** Demuxer arguments before `-i pipe:0` when decoding. */
  decode: string[];
}

const PHONE_BAND = 'highpass=f=300,highpass=f=300,lowpass=f=3400,lowpass=f=3400';

/** Telephone channel: 300–3,400 Hz band, 8 kHz, G.711 (μ-law or A-law). */
export function phoneSpec(r: Rng): CodecSpec {
  const law = r() < 0.5 ? 'mulaw' : 'alaw';
  return { name: `phone-${law}`, encode: ['-af', PHONE_BAND, '-ar', '8000', '-c:a', `pcm_${law}`, '-f', law], decode: ['-f', law, '-ar', '8000'] };
}

/** Low-bit-rate VoIP / mobile codecs, as ffmpeg in Debian has them. */
export function codecSpec(r: Rng): CodecSpec {
  const kind = pick(r, ['opus', 'opus', 'aac', 'gsm'] as const);
  if (kind === 'opus') {
    const kbps = pick(r, [6, 8, 12, 16]);
    const rate = kbps <= 8 ? 8000 : 16000;
    return {
      name: `opus-${kbps}k@${rate}`,
      encode: ['-ar', String(rate), '-c:a', 'libopus', '-b:a', `${kbps}k`, '-application', 'voip', '-f', 'ogg'],
      decode: ['-f', 'ogg'],
    };
  }
  if (kind === 'aac') {
    const kbps = pick(r, [16, 24, 32]);
    return { name: `aac-${kbps}k`, encode: ['-c:a', 'aac', '-b:a', `${kbps}k`, '-f', 'adts'], decode: ['-f', 'aac'] };
  }
  return { name: 'gsm-fr', encode: ['-af', PHONE_BAND, '-ar', '8000', '-c:a', 'libgsm', '-f', 'gsm'], decode: ['-f', 'gsm', '-ar', '8000'] };
}

/** The held-out "call" test channel: telephone band, 8 kHz, Speex narrowband — a codec never used in training. */
export const CALL_TEST_CODEC: CodecSpec = {
  name: 'phone-speex-8k',
  encode: ['-af', PHONE_BAND, '-ar', '8000', '-c:a', 'libspeex', '-b:a', '8k', '-f', 'ogg'],
  decode: ['-f', 'ogg'],
};

export function runFfmpeg(ffmpeg: string, args: string[], input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = spawn(ffmpeg, ['-nostdin', '-v', 'error', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => err.push(d));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`ffmpeg ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString()}`)),
    );
    p.stdin.on('error', () => undefined); // reported through the exit code
    p.stdin.end(input);
  });
}

const f32Buffer = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

export function toFloat32(b: Buffer): Float32Array {
  const out = new Float32Array(Math.floor(b.length / 4));
  new Uint8Array(out.buffer).set(b.subarray(0, out.length * 4));
  return out;
}

/** Lag (in samples, within ±maxLag) that best aligns `y` to `x`, by cross-correlation on a stretch of x's loudest part. */
function alignmentLag(x: Float32Array, y: Float32Array, maxLag = 800): number {
  let best = 0,
    bestScore = -Infinity;
  const n = Math.min(x.length, y.length, 16000 * 4);
  for (let lag = -maxLag; lag <= maxLag; lag += 1) {
    let s = 0;
    for (let i = maxLag; i < n - maxLag; i += 2) s += x[i] * y[i + lag];
    if (s > bestScore) ((bestScore = s), (best = lag));
  }
  return best;
}

/**
 * Pass several utterances through one codec round trip: they are joined with 0.3 s of silence between them,
 * encoded and decoded by ffmpeg, aligned back (codec delay found by cross-correlation) and cut apart again.
 * Each output has its input's length.
 */
export async function codecRoundTrip(ffmpeg: string, spec: CodecSpec, inputs: readonly Float32Array[]): Promise<Float32Array[]> {
  const sr = TRAINING_FRONT_END.sampleRate;
  const gap = Math.round(0.3 * sr);
  const total = inputs.reduce((s, x) => s + x.length + gap, gap);
  const joined = new Float32Array(total);
  const starts: number[] = [];
  let at = gap;
  for (const x of inputs) {
    starts.push(at);
    joined.set(x, at);
    at += x.length + gap;
  }
  const encoded = await runFfmpeg(
    ffmpeg,
    ['-f', 'f32le', '-ar', String(sr), '-ac', '1', '-i', 'pipe:0', ...spec.encode, 'pipe:1'],
    f32Buffer(joined),
  );
  const decoded = toFloat32(
    await runFfmpeg(ffmpeg, [...spec.decode, '-i', 'pipe:0', '-ac', '1', '-ar', String(sr), '-f', 'f32le', 'pipe:1'], encoded),
  );
  const lag = alignmentLag(joined, decoded);
  return inputs.map((x, k) => {
    const y = new Float32Array(x.length);
    const from = starts[k] + lag;
    for (let i = 0; i < x.length; i++) {
      const j = from + i;
      y[i] = j >= 0 && j < decoded.length ? decoded[j] : 0;
    }
    return y;
  });
}
