import { LogMelExtractor } from '../voice/logmel.js';
import type { VoiceFrontEnd } from '../voice/front-end.js';
import { SpeechSegmenter, type SpeechSegmentRules, type TimeSpan } from './speech-segments.js';

/** One embedded stretch of speech: a sub-window of a VAD speech segment. */
export interface SpeechWindow {
  /** Index of its speech segment in the track's `segments`. */
  segment: number;
  startS: number;
  endS: number;
  /** L2-normalised speaker embedding. */
  embedding: Float32Array;
}

export type EmbedFn = (logmel: Float32Array, frames: number) => Promise<Float32Array>;

export interface SpeechTrackOptions {
  frontEnd: VoiceFrontEnd;
  /** VAD frame length (seconds per probability). */
  vadFrameSeconds: number;
  rules: Partial<SpeechSegmentRules> & { maxSpeechS: number };
  /** Segments shorter than this get no embedding of their own (they take a neighbour's speaker). */
  minEmbedSeconds: number;
  /** At most this many windows are embedded (later ones are skipped; null: no limit). */
  maxWindows?: number | null;
  embed: EmbedFn;
}

/**
 * One signal's speech and speaker embeddings, computed as the audio streams in:
 * - samples → log-mel frames (the embedder's front end) kept in a ring buffer of maxSpeechS + 5 s;
 * - VAD probabilities → speech segments (hysteresis; no segment longer than maxSpeechS);
 * - each finished segment is cut into windows of the front end's windowSeconds, spread evenly with about
 *   hopSeconds between starts (a segment up to 1.5 windows long is one window), and each window is embedded.
 * Memory: the ring buffer, plus the segments and windows found (a few hundred bytes per second of speech).
 */
export class SpeechTrack {
  readonly segments: TimeSpan[] = [];
  readonly windows: SpeechWindow[] = [];
  private readonly segmenter: SpeechSegmenter;
  private readonly logmel: LogMelExtractor;
  private readonly nMels: number;
  private readonly hop: number;
  private readonly nFft: number;
  private readonly sr: number;
  private readonly ring: Float32Array;
  private readonly ringFrames: number;
  /** Log-mel frames computed so far (absolute frame count). */
  private frames = 0;
  /** Samples not yet fully consumed by log-mel frames (the first `pendingLength`), starting at absolute sample
   *  `pendingStart`; the buffer grows to the largest push and is reused. */
  private pending = new Float32Array(0);
  private pendingLength = 0;
  private pendingStart = 0;
  skippedWindows = 0;

  constructor(private readonly opts: SpeechTrackOptions) {
    const fe = opts.frontEnd;
    this.segmenter = new SpeechSegmenter(opts.vadFrameSeconds, opts.rules);
    this.logmel = new LogMelExtractor(fe);
    this.nMels = fe.nMels;
    this.hop = fe.hopLength;
    this.nFft = fe.nFft;
    this.sr = fe.sampleRate;
    this.ringFrames = Math.ceil(((opts.rules.maxSpeechS + 5) * this.sr) / this.hop);
    this.ring = new Float32Array(this.ringFrames * this.nMels);
  }

  /** Feed the next samples and the VAD probabilities computed for them (either may run ahead of the other). */
  async push(samples: Float32Array, probabilities: ArrayLike<number>): Promise<void> {
    this.addSamples(samples);
    for (const seg of this.segmenter.push(probabilities)) await this.addSegment(seg);
  }

  async finish(): Promise<void> {
    for (const seg of this.segmenter.flush()) await this.addSegment(seg);
  }

  /** Seconds of speech found so far. */
  get speechS(): number {
    return this.segments.reduce((a, s) => a + s.endS - s.startS, 0);
  }

  private addSamples(samples: Float32Array): void {
    const total = this.pendingLength + samples.length;
    if (total > this.pending.length) {
      const grown = new Float32Array(Math.max(total, 2 * this.pending.length));
      grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
    this.pending.set(samples, this.pendingLength);
    const n = this.logmel.frameCount(total);
    for (let t = 0; t < n; t++) this.logmel.frameInto(this.pending, t * this.hop, this.ring, ((this.frames + t) % this.ringFrames) * this.nMels, 1);
    this.frames += n;
    const used = n * this.hop;
    this.pending.copyWithin(0, used, total);
    this.pendingLength = total - used;
    this.pendingStart += used;
  }

  /** Frames whose centre lies in [startS, endS), clipped to what the ring still holds. */
  private frameRange(startS: number, endS: number): [number, number] {
    const centre = this.nFft / 2;
    const first = Math.max(this.frames - this.ringFrames, Math.ceil((startS * this.sr - centre) / this.hop), 0);
    const last = Math.min(this.frames, Math.floor((endS * this.sr - centre) / this.hop) + 1);
    return [first, Math.max(first, last)];
  }

  private async addSegment(seg: TimeSpan): Promise<void> {
    const index = this.segments.length;
    this.segments.push(seg);
    const [a, b] = this.frameRange(seg.startS, seg.endS);
    const n = b - a;
    const fps = this.sr / this.hop;
    if (n < this.opts.minEmbedSeconds * fps) return;
    const w = Math.round(this.opts.frontEnd.windowSeconds * fps);
    const h = Math.round(this.opts.frontEnd.hopSeconds * fps);
    const starts: number[] = [];
    if (n <= w * 1.5) starts.push(a);
    else {
      const k = Math.max(2, Math.round((n - w) / h) + 1);
      for (let i = 0; i < k; i++) starts.push(a + Math.round((i * (n - w)) / (k - 1)));
    }
    for (const s of starts) {
      if (this.opts.maxWindows != null && this.windows.length >= this.opts.maxWindows) {
        this.skippedWindows++;
        continue;
      }
      const len = n <= w * 1.5 ? n : w;
      const data = new Float32Array(this.nMels * len);
      for (let t = 0; t < len; t++) {
        const slot = ((s + t) % this.ringFrames) * this.nMels;
        for (let m = 0; m < this.nMels; m++) data[m * len + t] = this.ring[slot + m];
      }
      const embedding = await this.opts.embed(data, len);
      const toS = (f: number) => (f * this.hop + this.nFft / 2) / this.sr;
      this.windows.push({
        segment: index,
        startS: Math.max(seg.startS, toS(s) - this.hop / this.sr / 2),
        endS: Math.min(seg.endS, toS(s + len) - this.hop / this.sr / 2),
        embedding,
      });
    }
  }
}
