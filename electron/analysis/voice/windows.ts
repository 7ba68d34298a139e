/**
 * Streaming windower: push 16 kHz mono chunks of any size, get fixed-length windows back.
 *
 * - Windows are `windowSeconds` long and start every `hopSeconds` (hop ≤ window).
 * - Memory is bounded: at most 2 windows of samples are held, whatever the length of the stream.
 * - Each window carries an energy gate computed on its own samples only (so it cannot depend on chunking):
 *   RMS of non-overlapping `vadFrameSeconds` frames in dBFS; a frame is active when it is above the absolute floor
 *   `vadThresholdDbfs` AND at least `vadDynamicRangeDb` above the window's quietest frames (10th percentile), so a
 *   steady hum or hiss at any level is not "voice" while quiet speech still is (RAVDESS has calm/sad takes that peak
 *   near -54 dBFS). The window is voiced when at least `vadMinActiveSeconds` of its frames are active.
 * - Tail policy (flush): if the stream is longer than one window and at least a quarter hop at its end is not yet
 *   covered by a window, one last window is emitted RIGHT-ALIGNED to the end of the stream (it overlaps the previous
 *   window; no padding). A stream shorter than one window yields exactly one window, zero-padded at the end
 *   (`padded: true`, `endS` = real end), voiced or not by the same gate on its real samples.
 * Windows are the same whatever the chunking (tests/voice-windows.test.ts checks this).
 */
export interface WindowingConfig {
  sampleRate: number;
  windowSeconds: number;
  hopSeconds: number;
  vadFrameSeconds?: number;
  vadThresholdDbfs?: number;
  vadMinActiveSeconds?: number;
  vadDynamicRangeDb?: number;
}

export const VAD_DEFAULTS = { vadFrameSeconds: 0.02, vadThresholdDbfs: -70, vadMinActiveSeconds: 0.25, vadDynamicRangeDb: 10 } as const;

export interface AudioWindow {
  index: number;
  startS: number;
  /** Index in the stream of `samples[0]` (startS × sampleRate, exact). */
  startSample: number;
  /** Real end of the audio in this window (for a padded window: the end of the stream). */
  endS: number;
  /** windowSeconds * sampleRate samples (zero-padded when `padded`). Owned by the caller until handed back with
   *  `StreamingWindower.recycle`. */
  samples: Float32Array;
  voiced: boolean;
  /** Seconds of frames above the energy threshold. */
  activeSeconds: number;
  padded: boolean;
}

export function energyGate(samples: Float32Array, length: number, cfg: Required<WindowingConfig>): { voiced: boolean; activeSeconds: number } {
  const frame = Math.max(1, Math.round(cfg.vadFrameSeconds * cfg.sampleRate));
  const nFrames = Math.floor(length / frame);
  if (nFrames === 0) return { voiced: false, activeSeconds: 0 };
  const db = new Float64Array(nFrames);
  for (let f = 0; f < nFrames; f++) {
    let sum = 0;
    for (let i = f * frame; i < (f + 1) * frame; i++) sum += samples[i] * samples[i];
    db[f] = 10 * Math.log10(sum / frame + 1e-20);
  }
  const quiet = Float64Array.from(db).sort()[Math.floor(0.1 * (nFrames - 1))];
  const threshold = Math.max(cfg.vadThresholdDbfs, quiet + cfg.vadDynamicRangeDb);
  let active = 0;
  for (let f = 0; f < nFrames; f++) if (db[f] > threshold) active++;
  const activeSeconds = (active * frame) / cfg.sampleRate;
  return { voiced: activeSeconds >= cfg.vadMinActiveSeconds - 1e-9, activeSeconds };
}

/** A windowing config with the energy-gate defaults filled in where it leaves them out. */
export function withWindowingDefaults(cfg: WindowingConfig): Required<WindowingConfig> {
  return {
    sampleRate: cfg.sampleRate,
    windowSeconds: cfg.windowSeconds,
    hopSeconds: cfg.hopSeconds,
    vadFrameSeconds: cfg.vadFrameSeconds ?? VAD_DEFAULTS.vadFrameSeconds,
    vadThresholdDbfs: cfg.vadThresholdDbfs ?? VAD_DEFAULTS.vadThresholdDbfs,
    vadMinActiveSeconds: cfg.vadMinActiveSeconds ?? VAD_DEFAULTS.vadMinActiveSeconds,
    vadDynamicRangeDb: cfg.vadDynamicRangeDb ?? VAD_DEFAULTS.vadDynamicRangeDb,
  };
}

/** Window buffers a windower keeps for reuse (a batch of windows and the next chunk's). */
const MAX_SPARE = 32;

export class StreamingWindower {
  readonly cfg: Required<WindowingConfig>;
  readonly windowSamples: number;
  readonly hopSamples: number;
  private buf: Float32Array;
  private len = 0;
  /** Absolute sample index of buf[0]. */
  private bufStart = 0;
  private nextStart = 0;
  private emitted = 0;
  private flushed = false;
  /** Sample buffers of windows handed back (`recycle`), reused for the next windows instead of allocating. */
  private readonly spare: Float32Array[] = [];

  constructor(cfg: WindowingConfig) {
    this.cfg = withWindowingDefaults(cfg);
    this.windowSamples = Math.round(cfg.windowSeconds * cfg.sampleRate);
    this.hopSamples = Math.round(cfg.hopSeconds * cfg.sampleRate);
    if (this.hopSamples < 1 || this.hopSamples > this.windowSamples) throw new Error('hopSeconds must be in (0, windowSeconds]');
    this.buf = new Float32Array(2 * this.windowSamples);
  }

  /** Samples pushed so far. */
  get totalSamples(): number {
    return this.bufStart + this.len;
  }

  push(chunk: Float32Array): AudioWindow[] {
    if (this.flushed) throw new Error('push() after flush()');
    const out: AudioWindow[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.len === this.buf.length) this.compact();
      const n = Math.min(chunk.length - offset, this.buf.length - this.len);
      this.buf.set(chunk.subarray(offset, offset + n), this.len);
      this.len += n;
      offset += n;
      while (this.nextStart + this.windowSamples <= this.totalSamples) {
        out.push(this.makeWindow(this.nextStart, this.windowSamples, false));
        this.nextStart += this.hopSamples;
      }
    }
    return out;
  }

  flush(): AudioWindow[] {
    if (this.flushed) return [];
    this.flushed = true;
    const end = this.totalSamples;
    if (this.emitted === 0) return end > 0 ? [this.makeWindow(0, end, true)] : [];
    const lastEnd = this.nextStart - this.hopSamples + this.windowSamples;
    if (end - lastEnd >= this.hopSamples / 4) return [this.makeWindow(end - this.windowSamples, this.windowSamples, false)];
    return [];
  }

  /**
   * Hand a window's samples back for reuse once nothing reads them any more (the caller has computed its features):
   * a long stream then cuts its windows from a few buffers instead of allocating one per window.
   */
  recycle(windows: readonly AudioWindow[]): void {
    for (const w of windows) if (w.samples.length === this.windowSamples && this.spare.length < MAX_SPARE) this.spare.push(w.samples);
  }

  /** Drop samples no future window (including a right-aligned tail) can need. */
  private compact(): void {
    const keepFrom = Math.max(this.bufStart, Math.min(this.nextStart, this.totalSamples - this.windowSamples));
    const drop = keepFrom - this.bufStart;
    if (drop <= 0) throw new Error('windower buffer overflow'); // cannot happen: capacity is 2 windows
    this.buf.copyWithin(0, drop, this.len);
    this.len -= drop;
    this.bufStart = keepFrom;
  }

  private makeWindow(startAbs: number, realLength: number, padded: boolean): AudioWindow {
    const samples = this.spare.pop() ?? new Float32Array(this.windowSamples);
    const from = startAbs - this.bufStart;
    samples.set(this.buf.subarray(from, from + realLength));
    samples.fill(0, realLength);
    const gate = energyGate(samples, realLength, this.cfg);
    const sr = this.cfg.sampleRate;
    return {
      index: this.emitted++,
      startS: startAbs / sr,
      startSample: startAbs,
      endS: (startAbs + realLength) / sr,
      samples,
      voiced: gate.voiced,
      activeSeconds: gate.activeSeconds,
      padded,
    };
  }
}

/** All windows of an in-memory signal (same result as streaming it in any chunks). */
export function windowSignal(samples: Float32Array, cfg: WindowingConfig): AudioWindow[] {
  const w = new StreamingWindower(cfg);
  return [...w.push(samples), ...w.flush()];
}
