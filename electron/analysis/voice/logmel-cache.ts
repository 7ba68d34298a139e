import type { LogMelExtractor } from './logmel.js';

/**
 * The log-mel frames of one continuous stream, by their index in it, so that overlapping windows of that stream
 * (3 s every 1 s for the voice model) compute each frame once instead of three times. A frame depends only on its
 * own samples, so a window's features assembled here are bit-identical to computing the window alone.
 *
 * Windows must come from the same stream (the samples at a stream position never change); a window that starts off the
 * hop grid, before the frames still held, or is longer than the cache is computed directly.
 * Memory: `capacity` frames (one window's worth).
 */
export class LogMelFrameCache {
  private readonly ring: Float32Array;
  private readonly nMels: number;
  private readonly hop: number;
  /** Frames computed since the last gap: stream frame indices [start, end); the ring holds the last `capacity`. */
  private start = 0;
  private end = 0;
  /** Frames computed so far (for tests and measurements). */
  computed = 0;

  constructor(
    private readonly extractor: LogMelExtractor,
    private readonly capacity: number,
  ) {
    this.nMels = extractor.cfg.nMels;
    this.hop = extractor.cfg.hopLength;
    this.ring = new Float32Array(capacity * this.nMels);
  }

  /** Log-mel features of the window whose first sample is the stream's `startSample`: mel-major into `out`. */
  compute(samples: Float32Array, startSample: number, out: Float32Array): void {
    const frames = this.extractor.frameCount(samples.length);
    const f0 = startSample / this.hop;
    const held = Math.max(this.start, this.end - this.capacity);
    if (!Number.isInteger(f0) || f0 < held || frames > this.capacity) {
      this.computed += frames;
      this.extractor.compute(samples, out);
      return;
    }
    if (f0 > this.end) this.start = this.end = f0; // a gap: nothing held is next to this window
    const { nMels, capacity, ring } = this;
    for (let t = 0; t < frames; t++) {
      const f = f0 + t;
      const slot = (f % capacity) * nMels;
      if (f >= this.end) {
        this.extractor.frameInto(samples, t * this.hop, ring, slot, 1);
        this.computed++;
        this.end = f + 1;
      }
      for (let m = 0; m < nMels; m++) out[m * frames + t] = ring[slot + m];
    }
  }
}
