/**
 * The speech corpora under ../shared/datasets and their speaker splits (splits.json beside this file), shared by the
 * feature export (training) and scripts/eval-diarization.ts (the diarization figures), so both agree on who is held out.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Split = 'train' | 'dev' | 'test';
export const CORPORA = ['ravdess-speech', 'emovo', 'turev-db'] as const;
export type Corpus = (typeof CORPORA)[number];

export interface CorpusFile {
  corpus: Corpus;
  /** Absolute path of the audio file. */
  path: string;
  /** Corpus-qualified speaker id, e.g. "ravdess-speech/07". */
  speaker: string;
  emotion: string;
  gender: string;
  split: Split;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SPLITS: Record<Corpus, Record<Split, string[]>> = JSON.parse(readFileSync(path.join(HERE, 'splits.json'), 'utf8'));

/** Every file of the corpora found under `datasetsDir` (a missing corpus is skipped), with its speaker's split. */
export function corpusFiles(datasetsDir: string, corpora: readonly Corpus[] = CORPORA): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (const corpus of corpora) {
    const csv = path.join(datasetsDir, corpus, 'labels.csv');
    if (!existsSync(csv)) continue;
    const [header, ...rows] = readFileSync(csv, 'utf8').trim().split(/\r?\n/);
    const cols = header.split(',');
    const col = (name: string) => {
      const i = cols.indexOf(name);
      if (i < 0) throw new Error(`${csv}: no "${name}" column`);
      return i;
    };
    const [iPath, iSpeaker, iEmotion, iGender] = [col('path'), col('speaker'), col('emotion'), col('gender')];
    const splitOf = new Map<string, Split>();
    for (const split of ['train', 'dev', 'test'] as const) for (const s of SPLITS[corpus][split]) splitOf.set(s, split);
    for (const row of rows) {
      const f = row.split(',');
      const split = splitOf.get(f[iSpeaker]);
      if (!split) throw new Error(`${csv}: speaker ${f[iSpeaker]} is in no split of splits.json`);
      out.push({ corpus, path: path.join(datasetsDir, corpus, f[iPath]), speaker: `${corpus}/${f[iSpeaker]}`, emotion: f[iEmotion], gender: f[iGender], split });
    }
  }
  return out;
}
