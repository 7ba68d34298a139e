/**
 * Diarization error rate on conversations built from speakers the speaker network never saw.
 *
 *   node --import tsx scripts/eval-diarization.ts                 # test speakers → native-models/speaker-embed/evaluation.json
 *   node --import tsx scripts/eval-diarization.ts --split dev --tune   # dev speakers → choose clustering settings
 *                                                                   (native-models/speaker-embed/train/clustering.json)
 * Options: --data ../shared/datasets  --cache .cache/diarization-eval  --model speaker-embed  --per 10  --seed 2024
 *
 * Mixtures (electron/analysis/diarization/mixture.ts; deterministic per seed, written to --cache as WAV + reference
 * JSON, never committed): RAVDESS actors of the split, 1 (a monologue in several emotions), 2, 3 and 4 speakers;
 * EMOVO and TurEV-DB speakers of the split, 1, 2 and 3 speakers (within one corpus: a cross-language figure). Turns of 1-3 utterances (TurEV-DB: 3-6 single
 * words), pauses, gaps of 0.2-1.2 s between turns and a 15 % chance of 0.2-0.7 s overlap, speakers at ±3 dB levels,
 * noise at -60 dBFS. Each mixture is also scored as a telephone call: band-limited to 300-3400 Hz and coded with
 * GSM 06.10 at 8 kHz by ffmpeg.
 * Scores (diarization/der.ts): missed speech, false alarm, speaker confusion and DER over all mixtures of a
 * condition (time-weighted), without and with a 0.25 s collar; speaker-count accuracy when the count is estimated;
 * the same with the true count given (`speakers: N`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readAudioFiles } from '../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { seededRandom, shuffled } from '../electron/analysis/random.js';
import { diarizationError, type LabelledSpan } from '../electron/analysis/diarization/der.js';
import { Diarizer, type SpeechAnalysis } from '../electron/analysis/diarization/diarize.js';
import { buildConversation, trimSilence, writeWav } from '../electron/analysis/diarization/mixture.js';
import type { ClusteringSettings } from '../electron/analysis/diarization/speaker-embedder.js';
import { corpusFiles, type Corpus, type Split } from '../native-models/speaker-embed/train/corpora.js';

const { values } = parseArgs({
  options: {
    split: { type: 'string', default: 'test' },
    data: { type: 'string', default: path.resolve('../shared/datasets') },
    cache: { type: 'string', default: '.cache/diarization-eval' },
    model: { type: 'string', default: 'speaker-embed' },
    out: { type: 'string' },
    per: { type: 'string', default: '10' },
    seed: { type: 'string', default: '2024' },
    tune: { type: 'boolean', default: false },
    variants: { type: 'string', default: 'clean,telephone' },
  },
});
const split = values.split as Split;
const per = Number(values.per);
const seed = Number(values.seed);
const ff = resolveFfmpeg();
const variants = values.variants!.split(',') as Array<'clean' | 'telephone'>;
const cacheDir = path.join(values.cache!, split);
mkdirSync(cacheDir, { recursive: true });

interface Condition {
  corpus: Corpus;
  speakers: number;
  utterancesPerTurn: [number, number];
  pauseWithinTurnS: [number, number];
}
const CONDITIONS: Condition[] = [
  ...[1, 2, 3, 4].map((n) => ({
    corpus: 'ravdess-speech' as const,
    speakers: n,
    utterancesPerTurn: [1, 3] as [number, number],
    pauseWithinTurnS: [0.15, 0.6] as [number, number],
  })),
  ...[1, 2, 3].map((n) => ({
    corpus: 'emovo' as const,
    speakers: n,
    utterancesPerTurn: [1, 3] as [number, number],
    pauseWithinTurnS: [0.15, 0.6] as [number, number],
  })),
  ...[1, 2, 3].map((n) => ({
    corpus: 'turev-db' as const,
    speakers: n,
    utterancesPerTurn: [3, 6] as [number, number],
    pauseWithinTurnS: [0.1, 0.4] as [number, number],
  })),
];

interface Mixture {
  name: string;
  corpus: Corpus;
  speakers: number;
  variant: 'clean' | 'telephone';
  file: string;
  reference: LabelledSpan[];
}

/** Build (or reuse from the cache) every mixture of the split. */
function buildMixtures(): Mixture[] {
  const files = corpusFiles(values.data!).filter((f) => f.split === split);
  const out: Mixture[] = [];
  for (const corpus of [...new Set(CONDITIONS.map((c) => c.corpus))]) {
    const mine = files.filter((f) => f.corpus === corpus);
    const speakers = [...new Set(mine.map((f) => f.speaker))].sort();
    const conds = CONDITIONS.filter((c) => c.corpus === corpus && c.speakers <= speakers.length);
    if (!conds.length) continue;
    let audio: Map<string, Float32Array[]> | null = null;
    for (const cond of conds) {
      for (let i = 0; i < per; i++) {
        const name = `${corpus}-${cond.speakers}spk-${String(i).padStart(2, '0')}`;
        // Each mixture's speakers and layout depend only on the seed and its name (reproducible one by one).
        const rand = seededRandom(seed ^ stringHash(name));
        const pick = shuffled(speakers, rand).slice(0, cond.speakers);
        const mixSeed = Math.floor(rand() * 2 ** 31);
        const wav = path.join(cacheDir, `${name}.wav`);
        const refFile = path.join(cacheDir, `${name}.json`);
        if (!existsSync(wav) || !existsSync(refFile)) {
          if (!audio) {
            console.log(`decoding ${mine.length} ${corpus} files of the ${split} speakers…`);
            const decoded = readAudioFiles(
              mine.map((f) => f.path),
              ff,
            );
            audio = new Map();
            mine.forEach((f, k) => {
              const x = trimSilence(decoded[k]);
              if (x.length >= 0.2 * 16000) audio!.set(f.speaker, [...(audio!.get(f.speaker) ?? []), x]);
            });
          }
          const conv = buildConversation(new Map(pick.map((s) => [s, audio!.get(s)!])), {
            seed: mixSeed,
            turns: cond.speakers === 1 ? 4 : 4 + 2 * cond.speakers,
            utterancesPerTurn: cond.utterancesPerTurn,
            pauseWithinTurnS: cond.pauseWithinTurnS,
          });
          writeWav(wav, [conv.samples], conv.sampleRate);
          writeFileSync(refFile, JSON.stringify({ speakers: pick, reference: conv.reference }));
        }
        const reference = (JSON.parse(readFileSync(refFile, 'utf8')) as { reference: LabelledSpan[] }).reference;
        for (const variant of variants) {
          let file = wav;
          if (variant === 'telephone') {
            file = path.join(cacheDir, `${name}.gsm.wav`);
            if (!existsSync(file))
              execFileSync(ff.ffmpeg, [
                '-nostdin',
                '-v',
                'error',
                '-y',
                '-i',
                wav,
                '-af',
                'highpass=f=300,lowpass=f=3400',
                '-ar',
                '8000',
                '-ac',
                '1',
                '-c:a',
                'libgsm_ms',
                file,
              ]);
          }
          out.push({ name, corpus, speakers: cond.speakers, variant, file, reference });
        }
      }
    }
  }
  return out;
}

function stringHash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

interface Scored {
  mixture: Mixture;
  estimated: ReturnType<typeof score>;
  given: ReturnType<typeof score>;
}

function score(
  m: Mixture,
  analysis: SpeechAnalysis,
  diarizer: Diarizer,
  speakers: number | undefined,
  clustering?: Partial<ClusteringSettings>,
  withCollar = true,
) {
  const r = diarizer.assign(analysis, { speakers, clustering });
  const noCollar = diarizationError(m.reference, r.speech);
  return { found: r.speakers.length, noCollar, collar: withCollar ? diarizationError(m.reference, r.speech, { collarS: 0.25 }) : noCollar };
}

/** Time-weighted totals over a group of scored mixtures. */
function summarise(rows: Array<{ mixture: Mixture; s: ReturnType<typeof score> }>) {
  const total = (key: 'noCollar' | 'collar') => {
    const sum = (f: (d: ReturnType<typeof diarizationError>) => number) => rows.reduce((a, r) => a + f(r.s[key]), 0);
    const ref = sum((d) => d.referenceS);
    const round = (x: number) => Math.round(x * 10000) / 10000;
    return {
      der: round((sum((d) => d.missedS) + sum((d) => d.falseAlarmS) + sum((d) => d.confusionS)) / ref),
      missed: round(sum((d) => d.missedS) / ref),
      falseAlarm: round(sum((d) => d.falseAlarmS) / ref),
      confusion: round(sum((d) => d.confusionS) / ref),
      referenceS: Math.round(ref),
    };
  };
  return {
    mixtures: rows.length,
    noCollar: total('noCollar'),
    collar025: total('collar'),
    speakerCountCorrect: Math.round((rows.filter((r) => r.s.found === r.mixture.speakers).length / rows.length) * 1000) / 1000,
    meanSpeakersFound: Math.round((rows.reduce((a, r) => a + r.s.found, 0) / rows.length) * 100) / 100,
  };
}

const mixtures = buildMixtures();
console.log(`${mixtures.length} mixtures (${split} speakers) in ${cacheDir}`);
const diarizer = await Diarizer.load({ speakerModel: values.model });
const analyses: Array<{ mixture: Mixture; analysis: SpeechAnalysis }> = [];
const t0 = performance.now();
let audioS = 0;
for (const [i, m] of mixtures.entries()) {
  const analysis = await diarizer.analyseFile(m.file, ff);
  audioS += analysis.durationS;
  analyses.push({ mixture: m, analysis });
  if ((i + 1) % 10 === 0) console.log(`analysed ${i + 1}/${mixtures.length} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}
const analyseS = (performance.now() - t0) / 1000;
console.log(`analysis: ${audioS.toFixed(0)} s of audio in ${analyseS.toFixed(0)} s (real-time factor ${(analyseS / audioS).toFixed(3)})`);

if (values.tune) {
  // Choose clustering settings on these (dev) mixtures: lowest mean DER (no collar) with the count estimated,
  // clean and telephone together.
  const grid: ClusteringSettings[] = [];
  for (const centre of [false, true])
    for (const threshold of [0.2, 0.3, 0.4, 0.5, 0.6, 0.7])
      for (const switchPenalty of [0.2, 0.4])
        for (const minSpeakerShare of [0.1, 0.15, 0.2])
          for (const mergeAbove of [1, 0.5, 0.6, 0.7, 0.8, 0.9]) grid.push({ centre, threshold, switchPenalty, minSpeakerShare, mergeAbove });
  // Objective: the mean over conditions (corpus × speakers × variant) of each condition's DER, so that one-speaker
  // recordings weigh as much as four-speaker ones.
  const conditionKey = (m: Mixture) => `${m.corpus} ${m.speakers} speakers ${m.variant}`;
  const keys = [...new Set(mixtures.map(conditionKey))];
  let best: { settings: ClusteringSettings; der: number } | null = null;
  for (const settings of grid) {
    const rows = analyses.map(({ mixture, analysis }) => ({ mixture, s: score(mixture, analysis, diarizer, undefined, settings, false) }));
    const der = keys.reduce((a, k) => a + summarise(rows.filter((r) => conditionKey(r.mixture) === k)).noCollar.der, 0) / keys.length;
    if (!best || der < best.der) best = { settings, der };
  }
  const rows = analyses.map(({ mixture, analysis }) => ({ mixture, s: score(mixture, analysis, diarizer, undefined, best!.settings) }));
  const given = analyses.map(({ mixture, analysis }) => ({ mixture, s: score(mixture, analysis, diarizer, mixture.speakers, best!.settings) }));
  const byCondition: Record<string, unknown> = {};
  for (const key of [...new Set(mixtures.map((m) => `${m.corpus} ${m.speakers} speakers ${m.variant}`))]) {
    const pick = (r: typeof rows) => r.filter((x) => `${x.mixture.corpus} ${x.mixture.speakers} speakers ${x.mixture.variant}` === key);
    byCondition[key] = { estimated: summarise(pick(rows)), given: summarise(pick(given)) };
  }
  const result = {
    settings: best!.settings,
    chosenOn: `${mixtures.length} mixtures of the dev speakers (splits.json), seed ${seed}: lowest mean over conditions of the time-weighted DER without collar (${best!.der.toFixed(4)}), speaker count estimated, clean and GSM telephone variants; grid of ${grid.length} settings`,
    dev: { estimated: summarise(rows), given: summarise(given), byCondition },
  };
  const out = values.out ?? 'native-models/speaker-embed/train/clustering.json';
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
  console.log(`wrote ${out}`);
} else {
  const scored: Scored[] = analyses.map(({ mixture, analysis }) => ({
    mixture,
    estimated: score(mixture, analysis, diarizer, undefined),
    given: score(mixture, analysis, diarizer, mixture.speakers),
  }));
  const groups: Record<string, unknown> = {};
  const keyOf = (m: Mixture) => `${m.corpus} ${m.speakers} speakers ${m.variant}`;
  for (const key of [...new Set(scored.map((s) => keyOf(s.mixture)))]) {
    const g = scored.filter((s) => keyOf(s.mixture) === key);
    groups[key] = {
      estimated: summarise(g.map((s) => ({ mixture: s.mixture, s: s.estimated }))),
      given: summarise(g.map((s) => ({ mixture: s.mixture, s: s.given }))),
    };
  }
  const pooled = (filter: (m: Mixture) => boolean) => {
    const g = scored.filter((s) => filter(s.mixture));
    return g.length
      ? {
          estimated: summarise(g.map((s) => ({ mixture: s.mixture, s: s.estimated }))),
          given: summarise(g.map((s) => ({ mixture: s.mixture, s: s.given }))),
        }
      : null;
  };
  const result = {
    protocol:
      `speaker-embed ${diarizer.embedder.manifest.version} (${diarizer.embedder.manifest.sha256.slice(0, 12)}), silero-vad; ${split} speakers of splits.json ` +
      `(never used for training or for choosing settings); ${per} mixtures per condition, seed ${seed}; DER time-weighted over the mixtures of a condition`,
    clustering: diarizer.clustering,
    speed: { audioS: Math.round(audioS), analyseS: Math.round(analyseS), realTimeFactor: Math.round((analyseS / audioS) * 10000) / 10000 },
    pooled: {
      'ravdess-speech clean': pooled((m) => m.corpus === 'ravdess-speech' && m.variant === 'clean'),
      'ravdess-speech telephone': pooled((m) => m.corpus === 'ravdess-speech' && m.variant === 'telephone'),
      'emovo + turev-db clean': pooled((m) => m.corpus !== 'ravdess-speech' && m.variant === 'clean'),
      'emovo + turev-db telephone': pooled((m) => m.corpus !== 'ravdess-speech' && m.variant === 'telephone'),
    },
    conditions: groups,
    mixtures: scored.map((s) => ({
      name: s.mixture.name,
      variant: s.mixture.variant,
      speakers: s.mixture.speakers,
      found: s.estimated.found,
      der: Math.round(s.estimated.noCollar.der * 1000) / 1000,
      confusion: Math.round(s.estimated.noCollar.confusion * 1000) / 1000,
      derGiven: Math.round(s.given.noCollar.der * 1000) / 1000,
    })),
  };
  const out = values.out ?? (split === 'test' ? 'native-models/speaker-embed/evaluation.json' : `${cacheDir}/evaluation.json`);
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify({ pooled: result.pooled, speed: result.speed }, null, 2));
  console.log(`wrote ${out}`);
}
await diarizer.release();
