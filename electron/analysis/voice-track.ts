import { streamAudio } from './media/decode.js';
import type { ResolvedFfmpeg } from './media/ffmpeg-path.js';
import type { WindowResult } from './result.js';
import { argmax } from './vote.js';
import { classifyAudioChunks, type VoiceEmotionModel } from './voice/voice-model.js';

export interface VoiceTrackOptions {
  signal?: AbortSignal;
  onTime?: (timeS: number) => void;
}

/**
 * The voice track: stream 16 kHz mono audio, cut fixed windows, skip silent ones (energy gate),
 * classify voiced windows in batches (voice/voice-model.ts). Windows whose top probability is below
 * the model's abstain threshold, or whose input is unlike the training audio (input distance above 1, i.e. beyond
 * one of the manifest's inputCheck thresholds), keep their probabilities but get no label (uncertain).
 */
export async function runVoiceTrack(file: string, ff: ResolvedFfmpeg, model: VoiceEmotionModel, opts: VoiceTrackOptions): Promise<WindowResult[]> {
  const chunks = streamAudio(file, ff, { chunkSamples: model.frontEnd.sampleRate, signal: opts.signal });
  const { windows } = await classifyAudioChunks(chunks, model, { signal: opts.signal, onWindow: (w) => opts.onTime?.(w.endS) });
  const abstainBelow = model.manifest.abstainBelow;
  const maxDistance = model.inputCheck ? 1 : Infinity; // inputDistance is in units of the model's thresholds
  return windows.map((w) => {
    const top = w.probabilities ? argmax(w.probabilities) : -1;
    const confidence = w.probabilities ? w.probabilities[top] : null;
    const familiar = w.inputDistance === null || w.inputDistance <= maxDistance;
    return {
      index: w.index,
      startS: w.startS,
      endS: w.endS,
      voiced: w.voiced,
      label: confidence !== null && confidence >= abstainBelow && familiar ? model.labels[top] : null,
      confidence,
      probs: w.probabilities,
      inputDistance: w.inputDistance,
    };
  });
}
