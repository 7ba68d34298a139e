import type { Box } from './image.js';
import type { MediaInfo } from './media/probe.js';

export interface ModelRef {
  /** face-detector: the whole frame; face-windows: the gallery window scan; face-identity: who is who; voice-activity and speaker-embedding: who speaks when. */
  role: 'face-detector' | 'face-windows' | 'face-identity' | 'face-expression' | 'voice-emotion' | 'voice-activity' | 'speaker-embedding';
  id: string;
  version: string;
  sha256: string;
  task: string;
  labels: string[];
}

export interface FrameResult {
  index: number;
  timeS: number;
  face: { box: Box; score: number } | null;
  /** Top label; null without a face or when the model abstained (top probability below its threshold). */
  label: string | null;
  confidence: number | null;
  probs: Float32Array | null;
}

export interface WindowResult {
  index: number;
  startS: number;
  endS: number;
  voiced: boolean;
  /** Top label; null when unvoiced or uncertain (top probability below the model's threshold, or input unlike the
   *  training audio: inputDistance above the model's input-check threshold). Uncertain windows keep their
   *  probabilities but take no part in the vote or the fusion. */
  label: string | null;
  confidence: number | null;
  probs: Float32Array | null;
  /** How far the input is from the training audio, in units of the model's input-check thresholds (above 1:
   *  unlike it; voice/input-check.ts); null when unvoiced or not checked. */
  inputDistance?: number | null;
}

export interface FaceSummary {
  framesAnalysed: number;
  framesWithFace: number;
  /** Frames with a face whose top probability was below the model's abstain threshold. */
  framesAbstained: number;
  majority: string | null;
  distribution: Record<string, number>;
  /** Mean probability per label over the frames with a face (fusion input; absent in summaries stored before it was kept). */
  meanProbs?: Record<string, number>;
  /** Why majority is null (no video stream, no face found…). */
  reason?: string;
}

export interface VoiceSummary {
  windows: number;
  voicedWindows: number;
  /** Voiced windows with no label: below the confidence threshold or unlike the training audio. */
  windowsUncertain?: number;
  /** Of those, windows whose input was unlike the training audio (input distance above `inputCheckThreshold`, 1). */
  windowsUnlikeTraining?: number;
  inputCheckThreshold?: number;
  majority: string | null;
  distribution: Record<string, number>;
  /** Mean probability per label over the windows with speech (as for the face). */
  meanProbs?: Record<string, number>;
  reason?: string;
}

/** One participant as `affect analyze --json` prints it (see ParticipantResult for what is stored). */
export interface ParticipantOutput {
  /** 1-based within the session; 1 is the main participant (see participants.ts). */
  id: number;
  name: string | null;
  face: { framesWithFace: number; majority: string | null; distribution: Record<string, number>; box: Box } | null;
  voice: { speechS: number; majority: string | null; distribution: Record<string, number> } | null;
  fused: { label: string | null; confidence: number | null } | null;
}

/** Who speaks when: `participant` is an id from `participants`. */
export interface SpeechTurn {
  startS: number;
  endS: number;
  participant: number;
}

/**
 * The `--json` object of `affect analyze`, and what the UI shows as a session's summary. The top-level `face`,
 * `voice` and `fused` describe ONE participant: the one marked as the client, else participant 1 (the main one).
 */
export interface AnalysisSummary {
  session: { id: number | null; file: string; durationS: number };
  face: FaceSummary;
  voice: VoiceSummary;
  fused: { label: string | null; confidence: number | null; rule: string; weights: { face: number; voice: number } };
  /** Absent in summaries stored before participants existed (read as one participant). */
  participants?: ParticipantOutput[];
  /** Who speaks when; kept in its own table when stored (speech_turns), so absent from stored summaries. */
  speech?: SpeechTurn[];
  models: Array<{ id: string; version: string; sha256: string }>;
  warnings: string[];
  elapsedS: number;
  /** Every label here is an expression estimate, not a diagnosis. */
  note: string;
}

export interface AnalysisSettings {
  fps: number;
  maxSide: number;
  smoothRadius: number;
  engineVersion: string;
  /** The number of speakers asked for (`--speakers N`); absent when estimated. */
  speakers?: number;
}

/** How a voice was linked to a face (link-voices.ts). */
export interface VoiceFaceLink {
  /** 0–1: how sure the link is. */
  confidence: number;
  /** 'mouth-speech': the face's mouth moved with this voice's speech; 'one-face-one-voice': the only face and the only voice. */
  evidence: 'mouth-speech' | 'one-face-one-voice';
  /** Correlation of mouth activity with speech activity over the frames the face was on screen (null: not measured). */
  correlation: number | null;
}

/** One person in a recording: a face, a voice, or both; with their own per-frame and per-window estimates. */
export interface ParticipantResult {
  /** 1-based within the session; 1 is the main participant. */
  id: number;
  name: string | null;
  face:
    | (FaceSummary & {
        /** Median face box in source-video pixels. */
        box: Box;
        firstSeenS: number;
        lastSeenS: number;
        /** Mostly a small face (a self-view thumbnail, someone far away). */
        small: boolean;
        /** The face hardly changed while on screen: a picture (a slide, a shared screen) rather than a person, most likely. */
        still: boolean;
      })
    | null;
  voice:
    | (VoiceSummary & { speechS: number; /** The diarizer's speaker index. */ speaker: number; channel: number | null; link: VoiceFaceLink | null })
    | null;
  fused: { label: string | null; confidence: number | null } | null;
  /** One per analysed frame of the recording while this participant has a face track (face null where not on screen). */
  frames: FrameResult[];
  /** The voice windows of this participant's speech. */
  windows: WindowResult[];
  /** A 96-px JPEG of the face (null for a voice-only participant). */
  thumbnail: { mime: 'image/jpeg'; width: number; height: number; data: Uint8Array } | null;
  /** Mean face-identity descriptor (biometric: stored with the session, erased with it). */
  embedding: { vector: Float32Array; count: number; model: string } | null;
}

export interface AnalysisResult {
  file: string;
  media: MediaInfo;
  mediaSha256: string;
  settings: AnalysisSettings;
  models: ModelRef[];
  /** Time (s, file clock) of every analysed video frame (every participant's frames are among these; empty without video). */
  frameTimes: number[];
  participants: ParticipantResult[];
  speech: SpeechTurn[];
  summary: AnalysisSummary;
}

export const ESTIMATE_NOTE = 'Expression estimates from a model, not a diagnosis.';
