import type { Box } from './image.js';
import type { MediaInfo } from './media/probe.js';

export interface ModelRef {
  role: 'face-detector' | 'face-expression' | 'voice-emotion';
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
  reason?: string;
}

/** The `--json` object of `affect analyze`, and what the UI shows as a session's summary. */
export interface AnalysisSummary {
  session: { id: number | null; file: string; durationS: number };
  face: FaceSummary;
  voice: VoiceSummary;
  fused: { label: string | null; confidence: number | null; rule: string; weights: { face: number; voice: number } };
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
}

export interface AnalysisResult {
  file: string;
  media: MediaInfo;
  mediaSha256: string;
  settings: AnalysisSettings;
  models: ModelRef[];
  frames: FrameResult[];
  windows: WindowResult[];
  summary: AnalysisSummary;
}

export const ESTIMATE_NOTE = 'Expression estimates from a model, not a diagnosis.';
