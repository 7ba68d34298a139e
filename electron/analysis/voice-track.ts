import { AUDIO_SAMPLE_RATE, streamAudio } from './media/decode.js';
import type { ResolvedFfmpeg } from './media/ffmpeg-path.js';
import type { WindowResult } from './result.js';
import { argmax } from './vote.js';
import type { VoiceEmotionModel } from './voice/voice-model.js';
import { StreamingWindower, type AudioWindow } from './voice/windows.js';

const BATCH = 16;

export interface VoiceTrackOptions {
  signal?: AbortSignal;
  onTime?: (timeS: number) => void;
}

/**
 * The voice track: stream 16 kHz mono audio, cut fixed windows, skip silent ones (energy gate),
 * classify voiced windows in batches. Memory: two windows of samples plus one batch.
 */
export async function runVoiceTrack(file: string, ff: ResolvedFfmpeg, model: VoiceEmotionModel, opts: VoiceTrackOptions): Promise<WindowResult[]> {
  const fe = model.manifest.frontEnd;
  if (!fe) throw new Error(`model ${model.manifest.id}: manifest has no frontEnd block`);
  const windower = new StreamingWindower({ sampleRate: fe.sampleRate, windowSeconds: fe.windowSeconds, hopSeconds: fe.hopSeconds });
  const results: WindowResult[] = [];
  let pending: Array<{ result: WindowResult; window: AudioWindow }> = [];
  const abstainBelow = model.manifest.abstainBelow;

  const classifyPending = async () => {
    if (pending.length === 0) return;
    const probs = await model.classify(pending.map((p) => p.window));
    pending.forEach((p, i) => {
      const top = argmax(probs[i]);
      p.result.probs = probs[i];
      p.result.confidence = probs[i][top];
      p.result.label = probs[i][top] >= abstainBelow ? model.manifest.labels[top] : null;
    });
    pending = [];
  };

  const take = async (windows: AudioWindow[]) => {
    for (const w of windows) {
      const result: WindowResult = { index: w.index, startS: w.startS, endS: w.endS, voiced: w.voiced, label: null, confidence: null, probs: null };
      results.push(result);
      if (w.voiced) pending.push({ result, window: w });
    }
    if (pending.length >= BATCH) await classifyPending();
  };

  for await (const chunk of streamAudio(file, ff, { chunkSamples: AUDIO_SAMPLE_RATE, signal: opts.signal })) {
    await take(windower.push(chunk));
    opts.onTime?.(windower.totalSamples / AUDIO_SAMPLE_RATE);
  }
  await take(windower.flush());
  await classifyPending();
  return results;
}
