import { unionSeconds } from '../coverage.js';
import type { AudioSource } from '../media/decode.js';
import type { ModelRef, WindowResult } from '../result.js';

/**
 * Who speaks when: the seam between the engine and a diarizer. A `SpeakerFinder` turns a recording's audio into
 * speech turns with a speaker index each (0-based, numbered by first speech); the engine then classifies each
 * speaker's speech with the voice-emotion model (voice-track.ts) and links speakers to faces (link-voices.ts).
 */
export interface SpeakerTurn {
  /** Seconds on the file's clock. */
  startS: number;
  endS: number;
  speaker: number;
}

export interface FoundSpeakers {
  /** In time order; turns of different speakers overlap only where both speak. */
  speech: SpeakerTurn[];
  speakers: Array<{ id: number; speechS: number; /** 0 = left, 1 = right when each channel carries one party. */ channel: number | null }>;
  warnings: string[];
  /** 'voices': speech clustered by voice; 'channels': one party per stereo channel; 'energy': no diarizer, all speech is one speaker. */
  method: 'voices' | 'channels' | 'energy';
}

export interface SpeakerFindOptions {
  /** The number of speakers when known (`--speakers N`). */
  speakers?: number;
  /** When the audio stream starts on the file's clock (s): turn times are shifted by it. */
  startS: number;
  /** Seconds of audio from startS, for progress (onTime). */
  durationS?: number;
  signal?: AbortSignal;
  onTime?: (timeS: number) => void;
}

export interface SpeakerFinder {
  readonly models: ModelRef[];
  /** Who speaks when in a recording's audio (the engine decodes it once for this and the voice track). */
  find(audio: AudioSource, opts: SpeakerFindOptions): Promise<FoundSpeakers>;
  release(): Promise<void>;
}

/**
 * Without a diarizer: all speech is one speaker, and its turns are the voice track's windows with speech (energy
 * gate) merged where they touch. A recording with several speakers then gives one voice participant, and says so.
 */
export function oneSpeakerFromWindows(windows: readonly WindowResult[], speakersWanted?: number): FoundSpeakers {
  const voiced = windows.filter((w) => w.voiced).map((w) => [w.startS, w.endS] as const);
  const speech: SpeakerTurn[] = [];
  for (const [a, b] of [...voiced].sort((x, y) => x[0] - y[0])) {
    const last = speech[speech.length - 1];
    if (last && a <= last.endS) last.endS = Math.max(last.endS, b);
    else speech.push({ startS: a, endS: b, speaker: 0 });
  }
  const warnings =
    speech.length && speakersWanted !== undefined && speakersWanted > 1
      ? [`${speakersWanted} speakers were asked for, but without diarization all speech is one voice`]
      : [];
  return { speech, speakers: speech.length ? [{ id: 0, speechS: unionSeconds(voiced), channel: null }] : [], warnings, method: 'energy' };
}

/** Seconds of speaker `speaker` inside [a, b). */
export function speechWithin(turns: readonly SpeakerTurn[], speaker: number, a: number, b: number): number {
  let s = 0;
  for (const t of turns) if (t.speaker === speaker && t.endS > a && t.startS < b) s += Math.min(b, t.endS) - Math.max(a, t.startS);
  return s;
}
