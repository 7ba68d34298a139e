import { streamAudio } from './media/decode.js';
import { throwIfAborted } from './media/errors.js';
import type { ResolvedFfmpeg } from './media/ffmpeg-path.js';
import { speechWithin, type SpeakerTurn } from './people/speakers.js';
import type { WindowResult } from './result.js';
import { argmax } from './vote.js';
import { classifyAudioChunks, type VoiceEmotionModel, type WindowScore } from './voice/voice-model.js';
import { energyGate, StreamingWindower, type AudioWindow } from './voice/windows.js';

export interface VoiceTrackOptions {
  /** When the audio stream starts on the file's timeline (s): window times are shifted by it. */
  startS?: number;
  signal?: AbortSignal;
  onTime?: (timeS: number) => void;
}

/**
 * The voice track of the whole mix: 16 kHz mono audio in chunks (`mono`), cut into fixed windows, silent ones skipped (energy gate),
 * classify voiced windows in batches (voice/voice-model.ts). Windows whose top probability is below the model's
 * abstain threshold, or whose input is unlike the training audio (input distance above 1, i.e. beyond one of the
 * manifest's inputCheck thresholds), keep their probabilities but get no label (uncertain).
 */
export async function runVoiceTrack(mono: AsyncIterable<Float32Array>, model: VoiceEmotionModel, opts: VoiceTrackOptions): Promise<WindowResult[]> {
  const offset = opts.startS ?? 0;
  const { windows } = await classifyAudioChunks(mono, model, { signal: opts.signal, onWindow: (w) => opts.onTime?.(offset + w.endS) });
  return windows.map((w) =>
    labelled(
      model,
      { index: w.index, startS: offset + w.startS, endS: offset + w.endS, voiced: w.voiced },
      w.probabilities && { probabilities: w.probabilities, inputDistance: w.inputDistance },
    ),
  );
}

/** A window's estimate: labelled when confident and its input is like the training audio, else uncertain. */
function labelled(model: VoiceEmotionModel, w: Pick<WindowResult, 'index' | 'startS' | 'endS' | 'voiced'>, score: WindowScore | null): WindowResult {
  const probs = score?.probabilities ?? null;
  const inputDistance = score?.inputDistance ?? null;
  const top = probs ? argmax(probs) : -1;
  const confidence = probs ? probs[top] : null;
  const familiar = inputDistance === null || !model.inputCheck || inputDistance <= 1; // distance in units of the model's thresholds
  return {
    ...w,
    label: confidence !== null && confidence >= model.manifest.abstainBelow && familiar ? model.labels[top] : null,
    confidence,
    probs,
    inputDistance,
  };
}

/** A speaker is in a window with at least this much speech … */
export const PRESENT_S = 0.25;
/** … and the window is theirs (classified for them) with at least this much. */
export const OWN_S = 0.5;

/**
 * Each speaker's voice windows, from the mix's windows and who speaks when:
 *  - a window where exactly one speaker speaks keeps the mix's estimate: it is the same audio;
 *  - a window two or more speakers share is classified again once for each of them with the others' speech silenced
 *    (their turns zeroed, except where both speak at once): a second decode of the audio, classifying only those
 *    windows, so one speaker costs nothing more;
 *  - a window in which nobody speaks is nobody's (music, noise, a cough the energy gate let through).
 * Returns speaker → windows (voiced with probabilities, or unvoiced when silencing the others left too little).
 */
export async function voiceBySpeaker(
  file: string,
  ff: ResolvedFfmpeg,
  model: VoiceEmotionModel,
  mix: readonly WindowResult[],
  turns: readonly SpeakerTurn[],
  speakers: readonly number[],
  opts: VoiceTrackOptions,
): Promise<Map<number, WindowResult[]>> {
  const out = new Map<number, WindowResult[]>(speakers.map((s) => [s, []]));
  const shared = new Map<number, number[]>(); // window index → speakers to classify it for
  for (const w of mix) {
    const present = speakers.filter((s) => speechWithin(turns, s, w.startS, w.endS) >= PRESENT_S);
    const own = present.filter((s) => speechWithin(turns, s, w.startS, w.endS) >= OWN_S);
    if (own.length === 0 || !w.voiced) continue; // silencing others never makes a quiet window voiced
    if (present.length === 1) out.get(own[0])!.push(w);
    else shared.set(w.index, own);
  }
  if (shared.size > 0) {
    const again = await classifySilencingOthers(file, ff, model, shared, turns, opts);
    for (const [speaker, ws] of again) out.get(speaker)!.push(...ws);
    for (const ws of out.values()) ws.sort((a, b) => a.index - b.index);
  }
  return out;
}

async function classifySilencingOthers(
  file: string,
  ff: ResolvedFfmpeg,
  model: VoiceEmotionModel,
  wanted: Map<number, number[]>,
  turns: readonly SpeakerTurn[],
  opts: VoiceTrackOptions,
): Promise<Map<number, WindowResult[]>> {
  const offset = opts.startS ?? 0;
  const windower = new StreamingWindower(model.frontEnd);
  const sr = model.frontEnd.sampleRate;
  const out = new Map<number, WindowResult[]>();
  let batch: Array<{ speaker: number; window: Pick<WindowResult, 'index' | 'startS' | 'endS'>; samples: Float32Array }> = [];
  const drain = async () => {
    const voiced = batch.filter((b) => energyGate(b.samples, Math.round((b.window.endS - b.window.startS) * sr), windower.cfg).voiced);
    const scores = await model.score(voiced);
    for (const b of batch) {
      const k = voiced.indexOf(b);
      const list = out.get(b.speaker) ?? [];
      list.push(labelled(model, { ...b.window, voiced: k >= 0 }, k >= 0 ? scores[k] : null));
      out.set(b.speaker, list);
    }
    batch = [];
  };
  const take = async (windows: AudioWindow[]) => {
    for (const w of windows) {
      const speakers = wanted.get(w.index);
      if (!speakers) continue;
      const startS = offset + w.startS;
      for (const speaker of speakers) {
        const samples = Float32Array.from(w.samples);
        // Silence the other speakers' turns, except where this speaker talks at the same time.
        const silence = new Uint8Array(samples.length);
        const mark = (t: SpeakerTurn, v: 0 | 1) => {
          const i0 = Math.max(0, Math.floor((t.startS - startS) * sr));
          const i1 = Math.min(samples.length, Math.ceil((t.endS - startS) * sr));
          if (i1 > i0) silence.fill(v, i0, i1);
        };
        for (const t of turns) if (t.speaker !== speaker) mark(t, 1);
        for (const t of turns) if (t.speaker === speaker) mark(t, 0);
        for (let i = 0; i < samples.length; i++) if (silence[i]) samples[i] = 0;
        batch.push({ speaker, window: { index: w.index, startS, endS: offset + w.endS }, samples });
      }
      opts.onTime?.(offset + w.endS);
    }
    if (batch.length >= 16) await drain();
  };
  for await (const chunk of streamAudio(file, ff, { chunkSamples: sr, signal: opts.signal })) {
    throwIfAborted(opts.signal);
    await take(windower.push(chunk));
  }
  await take(windower.flush());
  await drain();
  return out;
}
