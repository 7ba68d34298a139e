import type { ModelManifest } from '../models/manifest.js';
import { VAD_DEFAULTS, withWindowingDefaults, type WindowingConfig } from './windows.js';
import { DEFAULT_LOG_FLOOR, type LogMelConfig } from './logmel.js';

/** The complete voice front end: log-mel parameters + windowing + energy gate. Lives in manifest.frontEnd. */
export type VoiceFrontEnd = Required<LogMelConfig> & Required<WindowingConfig>;

/**
 * Front end used to train native-models/voice-spectrogram-cnn (the exporter writes it into the feature cache,
 * and the manifest script copies it into manifest.json). The engine always reads it from the manifest.
 */
export const TRAINING_FRONT_END: VoiceFrontEnd = {
  sampleRate: 16000,
  nFft: 512,
  hopLength: 160,
  nMels: 64,
  fMin: 50,
  fMax: 8000,
  logFloor: DEFAULT_LOG_FLOOR,
  windowSeconds: 3,
  hopSeconds: 1,
  vadFrameSeconds: VAD_DEFAULTS.vadFrameSeconds,
  vadThresholdDbfs: VAD_DEFAULTS.vadThresholdDbfs,
  vadMinActiveSeconds: VAD_DEFAULTS.vadMinActiveSeconds,
  vadDynamicRangeDb: VAD_DEFAULTS.vadDynamicRangeDb,
};

/** manifest.frontEnd with defaults filled in for the optional fields. */
export function frontEndFromManifest(manifest: Pick<ModelManifest, 'id' | 'frontEnd'>): VoiceFrontEnd {
  const fe = manifest.frontEnd;
  if (!fe) throw new Error(`model ${manifest.id} has no frontEnd block: it is not a voice model`);
  return {
    nFft: fe.nFft,
    hopLength: fe.hopLength,
    nMels: fe.nMels,
    fMin: fe.fMin,
    fMax: fe.fMax,
    logFloor: fe.logFloor ?? DEFAULT_LOG_FLOOR,
    ...withWindowingDefaults(fe),
  };
}

/** Frames per window, the time axis of the model input. */
export function framesPerWindow(fe: VoiceFrontEnd): number {
  const n = Math.round(fe.windowSeconds * fe.sampleRate);
  return n < fe.nFft ? 0 : 1 + Math.floor((n - fe.nFft) / fe.hopLength);
}
