import { ChannelStats } from './channel-layout.js';
import type { DiarizerSettings } from './diarize.js';
import type { SpeakerEmbedder } from './speaker-embedder.js';
import { SpeechTrack } from './speech-track.js';
import type { VoiceActivityModel } from './voice-activity.js';

/** What the streaming pass found, before speakers are assigned (diarize.ts `assign`). */
export interface SpeechAnalysis {
  channels: number;
  durationS: number;
  /** Speech and embeddings of the mix (the only signal of a mono file). */
  mix: SpeechTrack;
  /** Per channel of a stereo file (embeddings capped at channelProfileWindows). */
  channelTracks: SpeechTrack[];
  stats: ChannelStats | null;
}

/**
 * The streaming pass of diarization over one recording, fed chunk by chunk: the VAD runs on the mix and (stereo)
 * on each channel as one batch; each signal's SpeechTrack cuts and embeds its speech; ChannelStats gathers the
 * cross-channel figures. Memory does not grow with the length beyond the speech found (see SpeechTrack).
 */
export class SpeechAnalyser {
  private readonly stereo: boolean;
  private readonly mix: SpeechTrack;
  private readonly channelTracks: SpeechTrack[];
  private readonly vadStream;
  private readonly frameSamples: number;
  private readonly stats: ChannelStats | null;
  private statsPending: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
  private samples = 0;
  private finished = false;

  constructor(
    vad: VoiceActivityModel,
    embedder: SpeakerEmbedder,
    settings: DiarizerSettings,
    readonly channels: number,
  ) {
    if (channels !== 1 && channels !== 2) throw new Error(`audio must have 1 or 2 channels, got ${channels}`);
    this.stereo = channels === 2;
    const embed = (logmel: Float32Array, frames: number) => embedder.embed(logmel, frames);
    const trackOpts = {
      frontEnd: embedder.frontEnd,
      vadFrameSeconds: vad.frameSeconds,
      rules: settings.speech,
      minEmbedSeconds: settings.minEmbedSeconds,
      embed,
    };
    this.mix = new SpeechTrack(trackOpts);
    this.channelTracks = this.stereo ? [0, 1].map(() => new SpeechTrack({ ...trackOpts, maxWindows: settings.channelProfileWindows })) : [];
    this.vadStream = vad.stream(this.stereo ? 3 : 1);
    this.frameSamples = vad.manifest.streaming!.chunkSamples;
    this.stats = this.stereo ? new ChannelStats(this.frameSamples, settings.channels) : null;
  }

  /** Seconds of audio pushed so far. */
  get seconds(): number {
    return this.samples / this.vadStream.sampleRate;
  }

  /** The next chunk: one Float32Array per channel, equal lengths. */
  async push(chunk: readonly Float32Array[]): Promise<void> {
    if (this.finished) throw new Error('push() after finish()');
    if (chunk.length !== this.channels) throw new Error(`expected ${this.channels} channels per chunk, got ${chunk.length}`);
    const mix = this.stereo ? chunk[0].map((v, i) => (v + chunk[1][i]) / 2) : chunk[0];
    const probs = await this.vadStream.push(this.stereo ? [chunk[0], chunk[1], mix] : [mix]);
    await this.feed(chunk, mix, probs);
    this.samples += chunk[0].length;
  }

  async finish(): Promise<SpeechAnalysis> {
    if (this.finished) throw new Error('finish() called twice');
    this.finished = true;
    const empty = Array.from({ length: this.channels }, () => new Float32Array(0));
    await this.feed(empty, empty[0], await this.vadStream.flush());
    await this.mix.finish();
    for (const t of this.channelTracks) await t.finish();
    return { channels: this.channels, durationS: this.seconds, mix: this.mix, channelTracks: this.channelTracks, stats: this.stats };
  }

  private async feed(chunk: readonly Float32Array[], mix: Float32Array, probs: Float32Array[]): Promise<void> {
    await this.mix.push(mix, probs[this.stereo ? 2 : 0]);
    for (let c = 0; c < this.channelTracks.length; c++) await this.channelTracks[c].push(chunk[c], probs[c]);
    if (!this.stats) return;
    // Channel statistics per VAD frame, with the mix's speech probability for that frame.
    this.statsPending = this.statsPending.map((p, c) => concat(p, chunk[c]));
    for (const p of probs[2]) {
      const n = Math.min(this.frameSamples, this.statsPending[0].length);
      this.stats.pushFrame(this.statsPending[0].subarray(0, n), this.statsPending[1].subarray(0, n), p);
      this.statsPending = this.statsPending.map((x) => x.subarray(n));
    }
  }
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  if (!a.length) return b;
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
