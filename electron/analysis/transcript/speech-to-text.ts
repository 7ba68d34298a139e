import type { ProgressListener } from '../progress.js';
import type { Transcript } from './cue.js';

/**
 * The seam for speech to text, for recordings that come without a transcript: an engine turns a recording into the
 * same Transcript the file readers give (cues with times, speakers when it can tell them apart, text), so the text
 * lane, search and exports need not know where the words came from. The engine states its measured word error rate,
 * and the app shows it beside every transcript it made.
 *
 * No engine ships: the one obtainable here, PocketSphinx, gets 41–80 % of words wrong on speech with known text
 * (native-models/asr-pocketsphinx/MODEL_CARD.md). A future engine is a model folder filling the registry's `asr` role.
 */
export interface SpeechToText {
  /** The model folder id (native-models/<id>/). */
  readonly id: string;
  /** Word error rate measured on held-out speech with known text (0–1), as its model card states it. */
  readonly measuredWordErrorRate: number;
  transcribe(recording: string, opts?: { signal?: AbortSignal; onProgress?: ProgressListener; durationS?: number }): Promise<Transcript>;
}
