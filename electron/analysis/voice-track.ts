import { streamAudio } from './media/decode.js';
import type { ResolvedFfmpeg } from './media/ffmpeg-path.js';
import type { WindowResult } from './result.js';
import { argmax } from './vote.js';
import { classifyAudioChunks, type VoiceEmotionModel } from './voice/voice-model.js';

export interface VoiceTrackOptions {
  /** When the audio stream starts on the file's timeline (s): window times are shifted by it. */
  startS?: number;
  signal?: AbortSignal;
  onTime?: (timeS: number) => void;
}

/**
 * The voice track: stream 16 kHz mono audio, cut fixed windows, skip silent ones (energy gate),
 * classify voiced windows in batches (voice/voice-model.ts). Windows whose top probability is below
 * the model's abstain threshold keep their probabilities but get no label.
 */
export async function runVoiceTrack(file: string, ff: ResolvedFfmpeg, model: VoiceEmotionModel, opts: VoiceTrackOptions): Promise<WindowResult[]> {
  const chunks = streamAudio(file, ff, { chunkSamples: model.frontEnd.sampleRate, signal: opts.signal });
  const offset = opts.startS ?? 0;
  const { windows } = await classifyAudioChunks(chunks, model, { signal: opts.signal, onWindow: (w) => opts.onTime?.(offset + w.endS) });
  const abstainBelow = model.manifest.abstainBelow;
  return windows.map((w) => {
    const top = w.probabilities ? argmax(w.probabilities) : -1;
    const confidence = w.probabilities ? w.probabilities[top] : null;
    return {
      index: w.index,
      startS: offset + w.startS,
      endS: offset + w.endS,
      voiced: w.voiced,
      label: confidence !== null && confidence >= abstainBelow ? model.labels[top] : null,
      confidence,
      probs: w.probabilities,
    };
  });
}
