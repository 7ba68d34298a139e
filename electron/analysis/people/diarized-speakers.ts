import { Diarizer } from '../diarization/diarize.js';
import { DEFAULT_SPEAKER_MODEL_ID } from '../diarization/speaker-embedder.js';
import { DEFAULT_VAD_MODEL_ID } from '../diarization/voice-activity.js';
import type { AudioSource } from '../media/decode.js';
import { resolveShippedModelDir } from '../models/registry.js';
import type { ModelRef } from '../result.js';
import type { FoundSpeakers, SpeakerFinder, SpeakerFindOptions } from './speakers.js';

/** The models that tell speakers apart (native-models/silero-vad, native-models/speaker-embed). */
export const DIARIZATION_MODEL_IDS = { vad: DEFAULT_VAD_MODEL_ID, speaker: DEFAULT_SPEAKER_MODEL_ID } as const;

/**
 * Who speaks when, through the diarizer (diarization/diarize.ts): one party per channel where a stereo call
 * recording keeps them apart, otherwise speech clustered by voice (the number of speakers estimated, or given).
 * Turn times come back on the file's clock (shifted by where the audio stream starts).
 */
export class DiarizedSpeakerFinder implements SpeakerFinder {
  private constructor(private readonly diarizer: Diarizer) {}

  /** Models from `root`, or from the bundled folder when a custom root lacks them. */
  static async load(root: string | undefined, threads: number | undefined): Promise<DiarizedSpeakerFinder> {
    return new DiarizedSpeakerFinder(
      await Diarizer.load({
        vadModel: resolveShippedModelDir(DIARIZATION_MODEL_IDS.vad, root),
        speakerModel: resolveShippedModelDir(DIARIZATION_MODEL_IDS.speaker, root),
        threads: threads ?? 1,
      }),
    );
  }

  get models(): ModelRef[] {
    const ref = (role: ModelRef['role'], m: { id: string; version: string; sha256: string; task: string; labels?: string[] }): ModelRef => ({
      role,
      id: m.id,
      version: m.version,
      sha256: m.sha256,
      task: m.task,
      labels: m.labels ?? [],
    });
    return [ref('voice-activity', this.diarizer.vad.manifest), ref('speaker-embedding', this.diarizer.embedder.manifest)];
  }

  async find(audio: AudioSource, opts: SpeakerFindOptions): Promise<FoundSpeakers> {
    const r = await this.diarizer.diarizeStream(audio, {
      speakers: opts.speakers,
      signal: opts.signal,
      onProgress: (p) => opts.onTime?.(p.fraction * (opts.durationS ?? 0)),
    });
    return {
      speech: r.speech.map((t) => ({ startS: t.startS + opts.startS, endS: t.endS + opts.startS, speaker: t.speaker })),
      speakers: r.speakers.map((s) => ({ id: s.id, speechS: s.speechS, channel: s.channel })),
      warnings: r.warnings,
      method: r.channelsUsed ? 'channels' : 'voices',
    };
  }

  async release(): Promise<void> {
    await this.diarizer.release();
  }
}

/** Whether both diarization models can be found (under `root`, or bundled). */
export function diarizationModelsPresent(root?: string): boolean {
  try {
    resolveShippedModelDir(DIARIZATION_MODEL_IDS.vad, root);
    resolveShippedModelDir(DIARIZATION_MODEL_IDS.speaker, root);
    return true;
  } catch {
    return false;
  }
}
