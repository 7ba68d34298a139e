import { FaceDetector } from './face/detector.js';
import { FaceExpressionModel } from './face/expression-model.js';
import { DEFAULT_FINDER, FaceFinder } from './face/face-finder.js';
import { FaceIdentityModel } from './face/identity-model.js';
import { runFaceTrack, type FaceTrackResult } from './face-track.js';
import { AUDIO_SAMPLE_RATE, monoMix, streamAudioChannels, type AudioSource } from './media/decode.js';
import { hashFile } from './media/media-hash.js';
import { tee } from './media/tee.js';
import { resolveFfmpeg, type ResolvedFfmpeg } from './media/ffmpeg-path.js';
import { probeMedia } from './media/probe.js';
import { throwIfAborted } from './media/errors.js';
import { heldOutUar, type LoadedManifest } from './models/manifest.js';
import { DEFAULT_MODEL_IDS, PEOPLE_MODEL_IDS, defaultModelsRoot, resolveModelDir, resolveShippedModelDir } from './models/registry.js';
import { faceParticipants } from './people/face-participants.js';
import { DEFAULT_LINK_RULES, linkVoicesToFaces } from './people/link-voices.js';
import { assembleParticipants, describe, participantOutput, type SpeakerVoice } from './people/participants.js';
import { DiarizedSpeakerFinder, diarizationModelsPresent } from './people/diarized-speakers.js';
import { oneSpeakerFromWindows, type FoundSpeakers, type SpeakerFinder } from './people/speakers.js';
import { ProgressTracker, type ProgressListener } from './progress.js';
import {
  ESTIMATE_NOTE,
  type AnalysisResult,
  type AnalysisSummary,
  type ModelRef,
  type ParticipantResult,
  type SpeechTurn,
  type WindowResult,
} from './result.js';
import { VoiceEmotionModel } from './voice/voice-model.js';
import { runVoiceTrack, voiceBySpeaker } from './voice-track.js';

/** 0.3.0: a sampled frame is the last one at or before its time (was up to half a frame interval later). */
export const ENGINE_VERSION = '0.3.0';

/** See scripts/face-stability.ts for the flicker measurements behind this default. */
export const DEFAULT_SMOOTH_RADIUS = 1;

/**
 * Longest side of decoded frames (px). Measured against 1280 on 720p 3×3, speaker-view and re-arranged galleries
 * (README "Who is who"): the same participants, the same identity separation (descriptor distance between tiles of one
 * person at most 0.32, between two people at least 0.74, at both sizes) for about 1.1–1.6× the cost at 1280, so 640.
 */
export const DEFAULT_MAX_SIDE = 640;

/** Seconds of audio in each chunk of the engine's audio decode. */
const AUDIO_CHUNK_S = 4;

/** Seconds of audio the voice track and the speaker finder may be apart on their shared decode (a whole number of chunks). */
const AUDIO_TEE_AHEAD_S = 32;

/** Chunks of audio decoded ahead of the audio tracks, on a reading thread (media/spawn-stream.ts). */
const AUDIO_READ_AHEAD = 2;

export interface EngineOptions {
  modelsRoot?: string;
  /** Model ids or folders per role; defaults in DEFAULT_MODEL_IDS. */
  faceDetector?: string;
  faceExpression?: string;
  voiceEmotion?: string;
  /**
   * onnxruntime intra-op threads per model. Default: 1 for the models run on the engine's own thread (small ones: with
   * onnxruntime's default, blazeface-back-256 took about 30 % more CPU per frame for the same wall time, `npm run bench
   * -- --only detector`, while ffmpeg and the face-expression thread already use the other cores), onnxruntime's choice
   * for the face-expression model on its own thread.
   */
  threads?: number;
  ffmpeg?: ResolvedFfmpeg;
  /**
   * Who speaks when (people/speakers.ts). Default: the diarizer when its models are installed; null: no diarization,
   * all speech is one voice.
   */
  speakers?: SpeakerFinder | null;
}

export interface AnalyzeOptions {
  /** Frames per second sampled from video (default 2). */
  fps?: number;
  /** Longest side of decoded frames in pixels (default DEFAULT_MAX_SIDE). */
  maxSide?: number;
  /** Face-track smoothing radius in frames (default 1: ±1 frame, i.e. ±0.5 s at 2 fps; 0 = none). */
  smoothRadius?: number;
  /** The number of speakers, when known (`--speakers N`); estimated otherwise. */
  speakers?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** The file's sha256 when the caller has already computed it (batch resume does). */
  mediaSha256?: string;
}

export const FUSION_RULE =
  "weighted mean of the face and voice tracks' mean probabilities, weights = each model's expected UAR on new data (cross-corpus where its manifest states one), over the tracks with usable input; uncertain voice windows left out";

function modelRef(role: ModelRef['role'], m: LoadedManifest): ModelRef {
  return { role, id: m.id, version: m.version, sha256: m.sha256, task: m.task, labels: [...m.labels] };
}

/**
 * A model's fusion weight: the UAR to expect on new data from its manifest (the cross-corpus figure where the
 * manifest states one, else the held-out one; 1 when it states none).
 */
function fusionWeight(m: LoadedManifest): number {
  return heldOutUar(m) ?? 1;
}

/**
 * The analysis engine: plain Node, no Electron. The CLI, the tests, the browser-mode server and the
 * Electron utility process all use this class. Models load once and are reused across files.
 *
 * Per person: every face is found and followed (face-track.ts, people/), each face participant gets its own
 * expression track; speech is split by speaker (people/speakers.ts) and each speaker's speech classified
 * (voice-track.ts); voices are linked to faces where the recording shows it (people/link-voices.ts); the participants
 * are numbered with the main one first (people/participants.ts), whom the top-level summary describes.
 */
export class AnalysisEngine {
  private constructor(
    readonly ffmpeg: ResolvedFfmpeg,
    readonly detector: FaceDetector,
    readonly windowDetector: FaceDetector,
    readonly identity: FaceIdentityModel,
    readonly faceModel: FaceExpressionModel,
    readonly voiceModel: VoiceEmotionModel,
    readonly speakers: SpeakerFinder | null,
  ) {}

  static async create(opts: EngineOptions = {}): Promise<AnalysisEngine> {
    const root = opts.modelsRoot ?? defaultModelsRoot();
    const ffmpeg = opts.ffmpeg ?? resolveFfmpeg();
    const threads = opts.threads ?? 1; // see EngineOptions.threads
    const [detector, windowDetector, identity, faceModel, voiceModel, speakers] = await Promise.all([
      FaceDetector.load(resolveModelDir(opts.faceDetector ?? DEFAULT_MODEL_IDS.faceDetector, root), { threads }),
      FaceDetector.load(resolveShippedModelDir(PEOPLE_MODEL_IDS.faceWindows, root), { threads }),
      FaceIdentityModel.load(resolveShippedModelDir(PEOPLE_MODEL_IDS.faceIdentity, root), { threads }),
      // The largest model per frame: it classifies one batch of faces on its own thread while this one finds the next.
      FaceExpressionModel.load(resolveModelDir(opts.faceExpression ?? DEFAULT_MODEL_IDS.faceExpression, root), {
        threads: opts.threads,
        offThread: true,
      }),
      VoiceEmotionModel.load(resolveModelDir(opts.voiceEmotion ?? DEFAULT_MODEL_IDS.voiceEmotion, root), { threads }),
      opts.speakers === undefined ? defaultSpeakerFinder(root, threads) : Promise.resolve(opts.speakers),
    ]);
    return new AnalysisEngine(ffmpeg, detector, windowDetector, identity, faceModel, voiceModel, speakers);
  }

  get models(): ModelRef[] {
    return [
      modelRef('face-detector', this.detector.manifest),
      modelRef('face-windows', this.windowDetector.manifest),
      modelRef('face-identity', this.identity.manifest),
      modelRef('face-expression', this.faceModel.manifest),
      modelRef('voice-emotion', this.voiceModel.manifest),
      ...(this.speakers?.models ?? []),
    ];
  }

  /** Analyse one recording. Throws MediaInputError for unusable input, CancelledError when aborted. */
  async analyze(file: string, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
    const started = performance.now();
    const fps = opts.fps ?? 2;
    const maxSide = opts.maxSide ?? DEFAULT_MAX_SIDE;
    const smoothRadius = opts.smoothRadius ?? DEFAULT_SMOOTH_RADIUS;
    if (!(fps > 0 && fps <= 60)) throw new Error(`fps must be in (0, 60], got ${fps}`);
    if (opts.speakers !== undefined && !(Number.isInteger(opts.speakers) && opts.speakers >= 1 && opts.speakers <= 31))
      throw new Error(`speakers must be a whole number from 1 to 31, got ${opts.speakers}`);
    const progress = new ProgressTracker(opts.onProgress);
    progress.update('probing', 0, file, true);
    const media = await probeMedia(file, this.ffmpeg, opts.signal);
    const mediaSha256 = opts.mediaSha256 ?? (await hashFile(file, opts.signal));

    // Progress = media time covered by each pass, weighted by its expected cost; the voices' second pass is short.
    const reached = { face: 0, voice: 0, speakers: 0 };
    const faceCost = media.video ? 6 : 0;
    const voiceCost = media.audio ? 1 : 0;
    const speakerCost = media.audio && this.speakers ? 1 : 0;
    const total = (faceCost + voiceCost + speakerCost) * media.durationS || 1;
    const report = () =>
      progress.update(
        'analysing',
        (faceCost * reached.face + voiceCost * reached.voice + speakerCost * reached.speakers) / total,
        `${Math.min(...[reached.face, reached.voice, reached.speakers].filter((_, i) => [faceCost, voiceCost, speakerCost][i] > 0)).toFixed(0)}s of ${media.durationS.toFixed(0)}s`,
      );
    const audioStartS = media.audio?.startS ?? 0;
    const audio = media.audio ? this.decodeAudio(file, media.audio.channels, media.durationS, opts.signal) : null;

    const [faceTrack, mix, diarized] = await Promise.all([
      media.video
        ? runFaceTrack(
            file,
            media.video,
            this.ffmpeg,
            {
              finder: new FaceFinder({ frame: this.detector, windows: this.windowDetector }, DEFAULT_FINDER),
              identity: this.identity,
              expression: this.faceModel,
            },
            {
              fps,
              maxSide,
              signal: opts.signal,
              onTime: (t) => ((reached.face = t), report()),
            },
          )
        : Promise.resolve(null as FaceTrackResult | null),
      audio
        ? runVoiceTrack(audio.mono, this.voiceModel, {
            startS: audioStartS,
            signal: opts.signal,
            onTime: (t) => ((reached.voice = t), report()),
          })
        : Promise.resolve([] as WindowResult[]),
      audio?.forSpeakers && this.speakers
        ? this.speakers.find(audio.forSpeakers, {
            speakers: opts.speakers,
            startS: audioStartS,
            durationS: media.durationS - audioStartS,
            signal: opts.signal,
            onTime: (t) => ((reached.speakers = t), report()),
          })
        : Promise.resolve(null as FoundSpeakers | null),
    ]);
    throwIfAborted(opts.signal);

    // Voices: each speaker's own windows (a second, short pass over windows that several speakers share).
    const found = diarized ?? oneSpeakerFromWindows(mix, opts.speakers);
    progress.update('voices', 0.97, `${found.speakers.length} speaker(s)`, true);
    const bySpeaker = await voiceBySpeaker(
      file,
      this.ffmpeg,
      this.voiceModel,
      mix,
      found.speech,
      found.speakers.map((s) => s.id),
      { startS: audioStartS, signal: opts.signal },
    );
    const speakers: SpeakerVoice[] = found.speakers.map((s) => ({
      id: s.id,
      speechS: s.speechS,
      channel: s.channel,
      windows: bySpeaker.get(s.id) ?? [],
      firstSpeechS: found.speech.find((t) => t.speaker === s.id)?.startS ?? Infinity,
    }));

    // Faces: each participant's own expression track, then who speaks with which face.
    const labels = this.faceModel.manifest.labels;
    const faces = faceTrack ? faceParticipants(faceTrack, { labels, abstainBelow: this.faceModel.manifest.abstainBelow, smoothRadius }) : [];
    const { links } = linkVoicesToFaces(
      faces.map((f) => ({ key: f.key, mouth: f.mouth, seenAt: f.frames.filter((x) => x.face).map((x) => x.timeS), still: f.summary.still })),
      speakers,
      found.speech,
      { ...DEFAULT_LINK_RULES, frameStep: 1 / fps },
    );
    const weights = { face: fusionWeight(this.faceModel.manifest), voice: fusionWeight(this.voiceModel.manifest) };
    const participants = assembleParticipants({
      faces,
      speakers,
      links,
      voiceLabels: this.voiceModel.labels,
      voiceInputCheck: this.voiceModel.inputCheck !== null,
      windowsTotal: mix.length,
      weights,
      identityModel: `${this.identity.manifest.id}@${this.identity.manifest.version}`,
    });
    const participantOfSpeaker = new Map(participants.filter((p) => p.voice).map((p) => [p.voice!.speaker, p.id]));
    const speech: SpeechTurn[] = found.speech
      .filter((t) => participantOfSpeaker.has(t.speaker))
      .map((t) => ({ startS: round3(t.startS), endS: round3(t.endS), participant: participantOfSpeaker.get(t.speaker)! }));

    const framesAnalysed = faceTrack?.frameTimes.length ?? 0;
    const warnings = [...found.warnings, ...peopleWarnings(participants)];
    if (found.method === 'energy' && faces.length > 1 && speakers.length > 0)
      warnings.unshift('speakers were not told apart (no diarization model installed): all speech is given to one voice');
    const decodedVideoS = framesAnalysed / fps;
    const videoS = media.durationS - (media.video?.startS ?? 0);
    if (media.video && framesAnalysed > 0 && decodedVideoS < videoS * 0.9 - 1 / fps)
      warnings.unshift(`video decoded for ${decodedVideoS.toFixed(1)} s of ${videoS.toFixed(1)} s: the file looks truncated`);

    const described = describe(
      participants[0],
      {
        hasVideo: media.video !== null,
        hasAudio: media.audio !== null,
        framesAnalysed,
        windows: mix.length,
        voicedWindows: mix.filter((w) => w.voiced).length,
        anyFace: faces.length > 0,
        anyVoice: speakers.length > 0,
        faceLabels: labels,
        voiceLabels: this.voiceModel.labels,
      },
      weights,
      FUSION_RULE,
    );
    const models = this.models;
    const summary: AnalysisSummary = {
      session: { id: null, file, durationS: media.durationS },
      ...described,
      participants: participants.map(participantOutput),
      speech,
      models: models.map(({ id, version, sha256 }) => ({ id, version, sha256 })),
      warnings,
      elapsedS: (performance.now() - started) / 1000,
      note: ESTIMATE_NOTE,
    };
    progress.update('done', 1, undefined, true);
    return {
      file,
      media,
      mediaSha256,
      settings: { fps, maxSide, smoothRadius, engineVersion: ENGINE_VERSION, ...(opts.speakers !== undefined ? { speakers: opts.speakers } : {}) },
      models,
      frameTimes: faceTrack?.frameTimes ?? [],
      participants,
      speech,
      summary,
    };
  }

  /**
   * The recording's audio decoded once for both audio tracks: the speaker finder gets the channels (two for a stereo
   * call, which may hold one party each), the voice track their mono mix (media/decode.ts `monoMix`: what ffmpeg's own
   * mono decode gives). Neither track runs more than AUDIO_TEE_AHEAD_S seconds of audio ahead of the other.
   */
  private decodeAudio(
    file: string,
    sourceChannels: number,
    durationS: number,
    signal?: AbortSignal,
  ): { mono: AsyncIterable<Float32Array>; forSpeakers: AudioSource | null } {
    const channels = this.speakers && sourceChannels >= 2 ? 2 : 1;
    const decoded = streamAudioChannels(file, this.ffmpeg, {
      channels,
      chunkSamples: AUDIO_SAMPLE_RATE * AUDIO_CHUNK_S,
      signal,
      ahead: AUDIO_READ_AHEAD,
    });
    if (!this.speakers) return { mono: monoMix(decoded), forSpeakers: null };
    const [forVoice, forSpeakers] = tee(decoded, 2, AUDIO_TEE_AHEAD_S / AUDIO_CHUNK_S);
    return { mono: monoMix(forVoice), forSpeakers: { channels, sampleRate: AUDIO_SAMPLE_RATE, chunks: forSpeakers, durationS } };
  }

  async close(): Promise<void> {
    await Promise.all([
      this.detector.release(),
      this.windowDetector.release(),
      this.identity.release(),
      this.faceModel.release(),
      this.voiceModel.release(),
      this.speakers?.release(),
    ]);
  }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Who speaks when, by default: the diarizer when its models are installed, else none (all speech is one voice). */
async function defaultSpeakerFinder(root: string, threads: number | undefined): Promise<SpeakerFinder | null> {
  return diarizationModelsPresent(root) ? DiarizedSpeakerFinder.load(root, threads) : null;
}

/** Whether the engine tells speakers apart by default (the diarization models are installed). */
export function diarizationInstalled(root = defaultModelsRoot()): boolean {
  return diarizationModelsPresent(root);
}

/** What a reader should know about the participants found. */
function peopleWarnings(participants: readonly ParticipantResult[]): string[] {
  const out: string[] = [];
  for (const p of participants) {
    if (p.face?.still) out.push(`participant ${p.id}'s face did not move: most likely a picture (a slide, a shared screen), not a person on camera`);
    else if (p.face?.small)
      out.push(`participant ${p.id}'s face is small (a self-view thumbnail or someone far away): its expression estimates are less reliable`);
  }
  const voiceOnly = participants.filter((p) => p.voice && !p.face);
  if (voiceOnly.length > 0 && participants.some((p) => p.face))
    out.push(`${voiceOnly.map((p) => `participant ${p.id}`).join(', ')}: heard but not linked to a face with confidence (voice only)`);
  return out;
}
