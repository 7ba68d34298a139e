import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatTimestamp } from '../../electron/analysis/transcript/cue.js';
import { prepareTranscript } from '../../electron/analysis/transcript/prepare.js';
import type { MappingTurn } from '../../electron/analysis/transcript/speaker-mapping.js';
import type { TextEmotionModel } from '../../electron/analysis/text/text-model.js';
import type { Db } from '../../electron/store/db.js';
import { saveTranscript } from '../../electron/store/transcripts-repo.js';

export type TestCue = [startS: number, endS: number, speaker: string | null, text: string];

const vttTime = (s: number) => {
  const t = formatTimestamp(s);
  return t.split(':').length === 2 ? `00:${t.padStart(9, '0')}` : t.padStart(12, '0');
};

/** A WebVTT file as Zoom writes it ("Name: text" cues, numbered). */
export function writeVtt(dir: string, name: string, cues: readonly TestCue[]): string {
  const body = cues.map(([a, b, who, text], i) => `${i + 1}\n${vttTime(a)} --> ${vttTime(b)}\n${who ? `${who}: ` : ''}${text}\n`).join('\n');
  const file = path.join(dir, name);
  writeFileSync(file, `WEBVTT\n\n${body}`);
  return file;
}

/** Read, estimate (with `model`, or none) and store a transcript file for a stored session. */
export async function attachTestTranscript(
  db: Db,
  sessionId: number,
  file: string,
  opts: { durationS: number; model?: TextEmotionModel | null; replace?: boolean; turns?: MappingTurn[] },
): Promise<number> {
  const prepared = await prepareTranscript(file, { durationS: opts.durationS, model: opts.model ?? null });
  return saveTranscript(db, sessionId, prepared, { replace: opts.replace, turns: opts.turns }).transcriptId;
}
