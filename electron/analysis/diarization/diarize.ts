import { streamAudioChannels, AUDIO_SAMPLE_RATE, type AudioSource } from '../media/decode.js';
import { CancelledError, MediaInputError } from '../media/errors.js';
import type { ResolvedFfmpeg } from '../media/ffmpeg-path.js';
import { probeMedia } from '../media/probe.js';
import { ProgressTracker, type ProgressListener } from '../progress.js';
import { DEFAULT_CHANNEL_RULES, type ChannelLayout, type ChannelLayoutRules, type ChannelStats } from './channel-layout.js';
import { centreVectors, clusterSpeakers, dot, normalise } from './clustering.js';
import { SpeakerEmbedder, DEFAULT_SPEAKER_MODEL_ID, type ClusteringSettings } from './speaker-embedder.js';
import { DEFAULT_SPEECH_RULES, type SpeechSegmentRules, type TimeSpan } from './speech-segments.js';
import { SpeechAnalyser, type SpeechAnalysis } from './speech-analysis.js';
import type { SpeechTrack } from './speech-track.js';
import { labelSpeech, smoothLabels, type SpeakerSpan } from './turns.js';
import { VoiceActivityModel, DEFAULT_VAD_MODEL_ID } from './voice-activity.js';

/**
 * Who speaks when, in one recording: THE entry point of the diarization modules.
 *
 *   const diarizer = await Diarizer.load();
 *   const r = await diarizer.diarizeFile('call.mp4', ffmpeg, { speakers: 2, signal, onProgress });
 *   r.speech    // [{ startS, endS, speaker }] in time order (overlap only where two channels speak at once)
 *   r.speakers  // [{ id, speechS, embedding, channel }] numbered by first speech
 *   await diarizer.release();
 *
 * Speech: Silero VAD (native-models/silero-vad). Speakers: where a stereo file carries one party per channel
 * (channel-layout.ts), each channel is one speaker; otherwise speech windows are embedded (native-models/speaker-embed),
 * clustered (clustering.ts; the number of speakers estimated, or `speakers` when given) and smoothed into turns
 * (turns.ts). Streaming: audio is decoded and processed 1 s at a time; memory holds the models, a 25 s buffer per
 * signal and ~1 KB per embedded second of speech, so a 60-minute call costs a few MB.
 */
export type { SpeechAnalysis } from './speech-analysis.js';

export interface DiarizeOptions {
  /** The number of speakers, when known (e.g. `--speakers 2`); estimated otherwise. */
  speakers?: number;
  /** Cluster by voice even when the channels carry one party each. */
  ignoreChannels?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface DiarizedSpeaker {
  /** 0-based, numbered by first speech. */
  id: number;
  speechS: number;
  /** L2-normalised mean speaker embedding of the speaker's windows (empty when the speech was too short). */
  embedding: number[];
  /** The channel (0 = left, 1 = right) when speakers come from channels, else null. */
  channel: number | null;
}

export interface DiarizationResult {
  speech: SpeakerSpan[];
  speakers: DiarizedSpeaker[];
  /** True when speakers were taken from the channels of a one-party-per-channel stereo file. */
  channelsUsed: boolean;
  /** Channels decoded (1 or 2) and what they were found to hold. */
  channels: number;
  layout: ChannelLayout['kind'];
  durationS: number;
  warnings: string[];
  models: { vad: { id: string; version: string; sha256: string }; speaker: { id: string; version: string; sha256: string } };
}

export interface DiarizerSettings {
  speech: SpeechSegmentRules;
  channels: ChannelLayoutRules;
  /** Speech segments shorter than this get no embedding of their own. */
  minEmbedSeconds: number;
  /** Pieces of a speech segment shorter than this are given to the neighbouring speaker. */
  minTurnS: number;
  /** Clustering settings; default: the speaker model's manifest. */
  clustering?: Partial<ClusteringSettings>;
  /** A channel's speech is dropped where it is this many dB below the other channel (the other party's echo). */
  echoDb: number;
  /** Windows embedded per channel to describe each channel's speaker. */
  channelProfileWindows: number;
}

export const DEFAULT_DIARIZER_SETTINGS: DiarizerSettings = {
  speech: { ...DEFAULT_SPEECH_RULES, maxSpeechS: 20 },
  channels: DEFAULT_CHANNEL_RULES,
  minEmbedSeconds: 0.3,
  minTurnS: 0.3,
  echoDb: 10,
  channelProfileWindows: 200,
};

const CHANNEL_NAMES = ['left', 'right'];

export class Diarizer {
  private constructor(
    readonly vad: VoiceActivityModel,
    readonly embedder: SpeakerEmbedder,
    readonly settings: DiarizerSettings,
  ) {}

  static async load(
    opts: { vadModel?: string; speakerModel?: string; threads?: number; settings?: Partial<DiarizerSettings> } = {},
  ): Promise<Diarizer> {
    const [vad, embedder] = await Promise.all([
      VoiceActivityModel.load(opts.vadModel ?? DEFAULT_VAD_MODEL_ID, { threads: opts.threads ?? 1 }),
      SpeakerEmbedder.load(opts.speakerModel ?? DEFAULT_SPEAKER_MODEL_ID, { threads: opts.threads ?? 1 }),
    ]);
    if (vad.sampleRate !== embedder.frontEnd.sampleRate)
      throw new Error(`voice-activity model runs at ${vad.sampleRate} Hz but the speaker model at ${embedder.frontEnd.sampleRate} Hz`);
    return new Diarizer(vad, embedder, { ...DEFAULT_DIARIZER_SETTINGS, ...opts.settings });
  }

  get clustering(): ClusteringSettings {
    return { ...this.embedder.clustering, ...this.settings.clustering };
  }

  /** Diarize a media file's first audio stream (stereo kept apart when it has two or more channels). */
  async diarizeFile(file: string, ff: ResolvedFfmpeg, opts: DiarizeOptions = {}): Promise<DiarizationResult> {
    checkSpeakers(opts.speakers);
    return this.assign(await this.analyseFile(file, ff, opts), opts);
  }

  async analyseFile(file: string, ff: ResolvedFfmpeg, opts: Pick<DiarizeOptions, 'signal' | 'onProgress'> = {}): Promise<SpeechAnalysis> {
    const media = await probeMedia(file, ff, opts.signal);
    if (!media.audio) throw new MediaInputError(file, 'has no audio stream to diarize');
    const channels = media.audio.channels >= 2 ? 2 : 1;
    const chunks = streamAudioChannels(file, ff, { channels, chunkSamples: AUDIO_SAMPLE_RATE, signal: opts.signal });
    return this.analyseStream({ channels, sampleRate: AUDIO_SAMPLE_RATE, chunks, durationS: media.durationS }, opts);
  }

  async diarizeStream(source: AudioSource, opts: DiarizeOptions = {}): Promise<DiarizationResult> {
    checkSpeakers(opts.speakers); // before the long pass
    return this.assign(await this.analyseStream(source, opts), opts);
  }

  /**
   * The streaming half: speech, embeddings and channel statistics of the whole recording. `assign` turns it into
   * speakers; the evaluation calls `assign` many times on one analysis to choose clustering settings.
   */
  async analyseStream(source: AudioSource, opts: Pick<DiarizeOptions, 'signal' | 'onProgress'> = {}): Promise<SpeechAnalysis> {
    if (source.sampleRate !== this.vad.sampleRate) throw new Error(`audio must be ${this.vad.sampleRate} Hz, got ${source.sampleRate}`);
    const progress = new ProgressTracker(opts.onProgress);
    const analyser = this.begin(source.channels);
    for await (const chunk of source.chunks) {
      if (opts.signal?.aborted) throw new CancelledError('diarization');
      await analyser.push(chunk);
      if (source.durationS)
        progress.update('diarizing', analyser.seconds / source.durationS, `${analyser.seconds.toFixed(0)}s of ${source.durationS.toFixed(0)}s`);
    }
    if (opts.signal?.aborted) throw new CancelledError('diarization');
    const analysis = await analyser.finish();
    progress.update('done', 1, undefined, true);
    return analysis;
  }

  /**
   * Push-based streaming, for a caller that already decodes the audio (the engine's own decode loop): push each
   * chunk (one Float32Array per channel, 16 kHz), then `finish()` and `assign()`.
   */
  begin(channels: number): SpeechAnalyser {
    return new SpeechAnalyser(this.vad, this.embedder, this.settings, channels);
  }

  /** Speakers and turns from an analysis. `clustering` overrides the model's clustering settings. */
  assign(
    analysis: SpeechAnalysis,
    opts: Pick<DiarizeOptions, 'speakers' | 'ignoreChannels'> & { clustering?: Partial<ClusteringSettings> } = {},
  ): DiarizationResult {
    checkSpeakers(opts.speakers);
    const { stats, channelTracks, durationS } = analysis;
    const warnings: string[] = [];
    let layout: ChannelLayout = { kind: 'mono' };
    if (stats) {
      layout = stats.decide();
      if (layout.kind === 'one-channel-silent') {
        const names = layout.silent.map((c) => CHANNEL_NAMES[c]);
        warnings.push(
          layout.silent.length === 2
            ? 'both audio channels are silent'
            : `the ${names[0]} audio channel is silent (${layout.levelsDbfs[layout.silent[0]].toFixed(0)} dBFS): speakers were told apart by voice on the ${CHANNEL_NAMES[1 - layout.silent[0]]} channel`,
        );
      }
    }
    let useChannels = layout.kind === 'one-party-per-channel' && !opts.ignoreChannels;
    if (useChannels && opts.speakers !== undefined && opts.speakers !== 2) {
      warnings.push(`the channels hold one party each, but ${opts.speakers} speaker(s) were asked for: speakers were told apart by voice instead`);
      useChannels = false;
    }

    const base = { channels: analysis.channels, layout: layout.kind, durationS, models: this.modelRefs() };
    let result: Pick<DiarizationResult, 'speech' | 'speakers'>;
    if (useChannels) result = this.fromChannels(channelTracks, stats!, warnings);
    else result = this.fromVoices(analysis.mix, opts.speakers, { ...this.clustering, ...opts.clustering }, warnings);
    if (result.speech.length === 0) warnings.push('no speech was found');
    return { ...result, ...base, channelsUsed: useChannels, warnings };
  }

  private modelRefs(): DiarizationResult['models'] {
    const ref = (m: { id: string; version: string; sha256: string }) => ({ id: m.id, version: m.version, sha256: m.sha256 });
    return { vad: ref(this.vad.manifest), speaker: ref(this.embedder.manifest) };
  }

  /** One speaker per channel; a channel's speech is dropped where the other channel is far louder (echo). */
  private fromChannels(tracks: SpeechTrack[], stats: ChannelStats, warnings: string[]): Pick<DiarizationResult, 'speech' | 'speakers'> {
    const frameS = this.vad.frameSeconds;
    const speech: SpeakerSpan[] = [];
    const speakers: DiarizedSpeaker[] = [];
    tracks.forEach((track, c) => {
      const own = c as 0 | 1;
      const other = (1 - c) as 0 | 1;
      const kept = new Set<number>();
      track.segments.forEach((seg, i) => {
        const diffs: number[] = [];
        for (let f = Math.floor(seg.startS / frameS); f < Math.ceil(seg.endS / frameS); f++) diffs.push(stats.level(own, f) - stats.level(other, f));
        if (median(diffs) > -this.settings.echoDb) kept.add(i);
      });
      const spans = track.segments.filter((_, i) => kept.has(i));
      if (!spans.length) {
        warnings.push(`no speech of its own on the ${CHANNEL_NAMES[c]} channel`);
        return;
      }
      const windows = track.windows.filter((w) => kept.has(w.segment));
      speakers.push({ id: -1, speechS: sumSpans(spans), embedding: meanEmbedding(windows.map((w) => w.embedding)), channel: c });
      for (const s of spans) speech.push({ ...s, speaker: speakers.length - 1 });
    });
    return renumber(speech, speakers);
  }

  private fromVoices(
    track: SpeechTrack,
    speakersWanted: number | undefined,
    cfg: ClusteringSettings,
    warnings: string[],
  ): Pick<DiarizationResult, 'speech' | 'speakers'> {
    const { windows, segments } = track;
    if (segments.length === 0) return { speech: [], speakers: [] };
    if (windows.length === 0) {
      warnings.push('the speech is too short to tell speakers apart: all of it is given to one speaker');
      return renumber(
        segments.map((s) => ({ ...s, speaker: 0 })),
        [{ id: -1, speechS: sumSpans(segments), embedding: [], channel: null }],
      );
    }
    const raw = windows.map((w) => w.embedding);
    const vectors = cfg.centre && windows.length > 1 ? centreVectors(raw) : raw;
    const clusters = clusterSpeakers(vectors, {
      threshold: cfg.threshold,
      clusters: speakersWanted,
      minShare: cfg.minSpeakerShare,
      minWindows: 2,
      mergeAbove: cfg.mergeAbove < 1 ? cfg.mergeAbove : undefined,
    });
    const scores = vectors.map((v) => Float64Array.from(clusters.centroids, (c) => dot(v, c)));
    let labels = clusters.centroids.length > 1 ? smoothLabels(windows, scores, cfg.switchPenalty) : clusters.labels;
    // Smoothing must not remove a speaker that was asked for.
    if (speakersWanted !== undefined && new Set(labels).size < new Set(clusters.labels).size) labels = clusters.labels;
    const found = new Set(labels).size;
    if (speakersWanted !== undefined && found < speakersWanted)
      warnings.push(`${speakersWanted} speakers were asked for, but the speech only supports ${found}`);
    const speech = labelSpeech(segments, windows, labels, { minTurnS: this.settings.minTurnS });
    const k = clusters.centroids.length;
    const speakers: DiarizedSpeaker[] = Array.from({ length: k }, (_, c) => ({
      id: -1,
      speechS: sumSpans(speech.filter((s) => s.speaker === c)),
      embedding: meanEmbedding(raw.filter((_, i) => labels[i] === c)),
      channel: null,
    }));
    return renumber(speech, speakers);
  }

  release(): Promise<void> {
    return Promise.all([this.vad.release(), this.embedder.release()]).then(() => undefined);
  }
}

function checkSpeakers(speakers: number | undefined): void {
  if (speakers !== undefined && !(Number.isInteger(speakers) && speakers >= 1 && speakers <= 31))
    throw new Error(`speakers must be a whole number from 1 to 31, got ${speakers}`);
}

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function sumSpans(spans: readonly TimeSpan[]): number {
  return spans.reduce((a, s) => a + s.endS - s.startS, 0);
}

function meanEmbedding(vectors: Float32Array[]): number[] {
  if (!vectors.length) return [];
  const sum = new Float32Array(vectors[0].length);
  for (const v of vectors) for (let i = 0; i < v.length; i++) sum[i] += v[i];
  return Array.from(normalise(sum));
}

/** Drop speakers without speech; number the rest 0.. by first speech; sort speech by time. */
function renumber(speech: SpeakerSpan[], speakers: DiarizedSpeaker[]): Pick<DiarizationResult, 'speech' | 'speakers'> {
  const sorted = speech.filter((s) => s.endS > s.startS).sort((a, b) => a.startS - b.startS || a.speaker - b.speaker);
  const order = new Map<number, number>();
  for (const s of sorted) if (!order.has(s.speaker)) order.set(s.speaker, order.size);
  return {
    speech: sorted.map((s) => ({ startS: s.startS, endS: s.endS, speaker: order.get(s.speaker)! })),
    speakers: [...order.entries()].sort((a, b) => a[1] - b[1]).map(([old, id]) => ({ ...speakers[old], id })),
  };
}
