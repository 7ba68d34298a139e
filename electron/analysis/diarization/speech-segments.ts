/**
 * Speech probabilities (one per VAD frame) → speech segments, streaming, with hysteresis and minimum durations
 * (the rules of Silero's own get_speech_timestamps):
 * - speech starts at a frame with probability ≥ `threshold`;
 * - it ends only once the probability has stayed below `negThreshold` (< threshold) for `minSilenceS`;
 * - segments shorter than `minSpeechS` are dropped;
 * - a segment that reaches `maxSpeechS` is cut there (at the start of a pending silence, if one has begun) and the
 *   speech goes on in a new segment, so no segment is longer than that (downstream buffers stay bounded);
 * - each kept segment is widened by `padS` on both sides, never across the neighbouring segment (gaps shorter
 *   than two pads are split in the middle) nor before 0 / after the end of the stream.
 * Memory: one open segment and one finished segment waiting for its right-hand neighbour.
 */
export interface SpeechSegmentRules {
  threshold: number;
  negThreshold: number;
  minSpeechS: number;
  minSilenceS: number;
  padS: number;
  maxSpeechS: number;
}

export const DEFAULT_SPEECH_RULES: SpeechSegmentRules = {
  threshold: 0.5,
  negThreshold: 0.35,
  minSpeechS: 0.25,
  minSilenceS: 0.1,
  padS: 0.03,
  maxSpeechS: Infinity,
};

export interface TimeSpan {
  startS: number;
  endS: number;
}

export class SpeechSegmenter {
  readonly rules: SpeechSegmentRules;
  private frame = 0;
  private speechStart = -1;
  /** First frame of the current run below negThreshold while in speech (-1: none). */
  private silenceStart = -1;
  /** The open segment continues one cut at maxSpeechS (it is kept however short). */
  private continued = false;
  /** A finished segment (unpadded, in frames) whose right pad waits for the next segment. */
  private held: { start: number; end: number; padStartS: number } | null = null;
  private flushed = false;

  constructor(
    readonly frameSeconds: number,
    rules: Partial<SpeechSegmentRules> = {},
  ) {
    this.rules = { ...DEFAULT_SPEECH_RULES, ...rules };
    if (!(this.rules.negThreshold <= this.rules.threshold)) throw new Error('negThreshold must not exceed threshold');
    if (!(frameSeconds > 0)) throw new Error('frameSeconds must be positive');
  }

  /** Frames pushed so far. */
  get frames(): number {
    return this.frame;
  }

  push(probabilities: ArrayLike<number>): TimeSpan[] {
    if (this.flushed) throw new Error('push() after flush()');
    const out: TimeSpan[] = [];
    const minSilence = Math.max(1, Math.round(this.rules.minSilenceS / this.frameSeconds));
    const maxSpeech = Math.max(1, Math.round(this.rules.maxSpeechS / this.frameSeconds));
    for (let i = 0; i < probabilities.length; i++, this.frame++) {
      const p = probabilities[i];
      if (this.speechStart < 0) {
        if (p >= this.rules.threshold) {
          this.speechStart = this.frame;
          this.silenceStart = -1;
          this.continued = false;
        }
        continue;
      }
      if (p >= this.rules.threshold) this.silenceStart = -1;
      else if (p < this.rules.negThreshold) {
        if (this.silenceStart < 0) this.silenceStart = this.frame;
        if (this.frame + 1 - this.silenceStart >= minSilence) {
          this.close(this.silenceStart, out);
          continue;
        }
      }
      if (this.frame + 1 - this.speechStart >= maxSpeech) {
        const cut = this.silenceStart >= 0 ? this.silenceStart : this.frame + 1;
        this.close(cut, out);
        if (cut === this.frame + 1) {
          this.speechStart = cut;
          this.continued = true;
        }
      }
    }
    return out;
  }

  flush(): TimeSpan[] {
    if (this.flushed) return [];
    const out: TimeSpan[] = [];
    if (this.speechStart >= 0) this.close(this.silenceStart >= 0 ? this.silenceStart : this.frame, out);
    this.flushed = true;
    if (this.held) out.push(this.release(this.frame));
    return out;
  }

  private close(endFrame: number, out: TimeSpan[]): void {
    const start = this.speechStart;
    const continued = this.continued;
    this.speechStart = -1;
    this.silenceStart = -1;
    this.continued = false;
    if (endFrame <= start || (!continued && (endFrame - start) * this.frameSeconds < this.rules.minSpeechS)) return;
    const f = this.frameSeconds;
    const pad = this.rules.padS;
    let padStartS = Math.max(0, start * f - pad);
    if (this.held) {
      const gapMid = ((this.held.end + start) * f) / 2;
      out.push(this.release(Math.min(this.held.end * f + pad, gapMid) / f));
      padStartS = Math.max(padStartS, gapMid);
    }
    this.held = { start, end: endFrame, padStartS };
  }

  /** The held segment, its right edge padded up to `limitFrame` (fractional frames allowed). */
  private release(limitFrame: number): TimeSpan {
    const h = this.held!;
    this.held = null;
    const f = this.frameSeconds;
    const endS = Math.min(h.end * f + this.rules.padS, limitFrame * f);
    return { startS: h.padStartS, endS: Math.max(endS, h.end * f) };
  }
}

/** All segments of an in-memory probability sequence. */
export function speechSegments(probabilities: ArrayLike<number>, frameSeconds: number, rules: Partial<SpeechSegmentRules> = {}): TimeSpan[] {
  const s = new SpeechSegmenter(frameSeconds, rules);
  return [...s.push(probabilities), ...s.flush()];
}
