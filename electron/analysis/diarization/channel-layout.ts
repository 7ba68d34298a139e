/**
 * Does a two-channel recording carry one party per channel (a call recorder's usual stereo layout), the same sound
 * on both (mono in a stereo file, or a room recorded in stereo), or one silent channel? Decided from statistics
 * gathered while the audio streams through (constant memory):
 * - each channel's level, over the whole file;
 * - the correlation of the two waveforms (≈ 1 for the same sound on both; ≈ 0 for different people);
 * - during speech (the VAD of the mixed channels), how often one channel is far louder than the other.
 * Per-frame levels are also kept (4 bytes per channel per 32 ms frame: under 1 MB per hour) so that a channel's
 * speech can be told from the other party's echo on it.
 */
export interface ChannelLayoutRules {
  /** A channel whose speech level stays below this (dBFS), or this far below the other channel, is silent. */
  silentDbfs: number;
  silentRelativeDb: number;
  /** One party per channel: waveform correlation below this … */
  maxCorrelation: number;
  /** … and during speech, one channel at least `dominanceDb` louder than the other for this share of the time … */
  dominanceDb: number;
  minDominantShare: number;
  /** … with each channel dominant for at least this share of the speech time. */
  minShareEach: number;
}

export const DEFAULT_CHANNEL_RULES: ChannelLayoutRules = {
  silentDbfs: -60,
  silentRelativeDb: 35,
  maxCorrelation: 0.5,
  dominanceDb: 10,
  minDominantShare: 0.6,
  minShareEach: 0.05,
};

export type ChannelLayout =
  | { kind: 'mono' }
  | { kind: 'one-channel-silent'; silent: number[]; levelsDbfs: number[] }
  | { kind: 'same-sound'; correlation: number; dominantShare: number }
  | { kind: 'one-party-per-channel'; correlation: number; dominantShare: number; shares: number[] };

const db = (power: number) => 10 * Math.log10(power + 1e-12);

export class ChannelStats {
  private sumLR = 0;
  private readonly sumSq: [number, number] = [0, 0];
  /** Speech-weighted power per channel (frames where the mix has speech). */
  private readonly speechPower: [number, number] = [0, 0];
  private speechFrames = 0;
  private readonly dominant: [number, number] = [0, 0];
  private levels: [Float32Array, Float32Array] = [new Float32Array(4096), new Float32Array(4096)];
  private frames = 0;

  constructor(
    readonly frameSamples: number,
    readonly rules: ChannelLayoutRules = DEFAULT_CHANNEL_RULES,
  ) {}

  /**
   * One VAD frame of both channels, with the mix's speech probability. Frames must be pushed in order.
   */
  pushFrame(left: Float32Array, right: Float32Array, speechProbability: number): void {
    let pl = 0;
    let pr = 0;
    let lr = 0;
    for (let i = 0; i < left.length; i++) {
      pl += left[i] * left[i];
      pr += right[i] * right[i];
      lr += left[i] * right[i];
    }
    this.sumSq[0] += pl;
    this.sumSq[1] += pr;
    this.sumLR += lr;
    const n = Math.max(1, left.length);
    const [dl, dr] = [db(pl / n), db(pr / n)];
    if (this.frames === this.levels[0].length)
      this.levels = this.levels.map((a) => {
        const b = new Float32Array(a.length * 2);
        b.set(a);
        return b;
      }) as [Float32Array, Float32Array];
    this.levels[0][this.frames] = dl;
    this.levels[1][this.frames] = dr;
    this.frames++;
    if (speechProbability >= 0.5) {
      this.speechFrames++;
      this.speechPower[0] += pl / n;
      this.speechPower[1] += pr / n;
      if (dl - dr >= this.rules.dominanceDb) this.dominant[0]++;
      else if (dr - dl >= this.rules.dominanceDb) this.dominant[1]++;
    }
  }

  /** Level (dBFS) of channel c in VAD frame f. */
  level(c: 0 | 1, frame: number): number {
    return frame < this.frames ? this.levels[c][frame] : -120;
  }

  decide(): ChannelLayout {
    const r = this.rules;
    const correlation = this.sumLR / Math.sqrt(this.sumSq[0] * this.sumSq[1] + 1e-20);
    const levels =
      this.speechFrames > 0
        ? this.speechPower.map((p) => db(p / this.speechFrames))
        : this.sumSq.map((p) => db(p / Math.max(1, this.frames * this.frameSamples)));
    const loudest = Math.max(...levels);
    const silent = [0, 1].filter((c) => levels[c] < r.silentDbfs || levels[c] < loudest - r.silentRelativeDb);
    if (silent.length) return { kind: 'one-channel-silent', silent, levelsDbfs: levels };
    const speech = Math.max(1, this.speechFrames);
    const shares = this.dominant.map((d) => d / speech);
    const dominantShare = shares[0] + shares[1];
    if (correlation < r.maxCorrelation && dominantShare >= r.minDominantShare && shares.every((s) => s >= r.minShareEach))
      return { kind: 'one-party-per-channel', correlation, dominantShare, shares };
    return { kind: 'same-sound', correlation, dominantShare };
  }
}
