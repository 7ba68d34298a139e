/**
 * Export log-mel training features for native-models/voice-spectrogram-cnn with THE engine front end
 * (electron/analysis/voice/logmel.ts + windows.ts), so training and run time see identical features.
 *
 *   node --import tsx scripts/export-voice-features.ts [--corpus ravdess=../shared/datasets/ravdess-speech ...]
 *        [--out native-models/voice-spectrogram-cnn/train/cache] [--seed 1234] [--limit N]
 *
 * Default corpora: ravdess, emovo, turev (../shared/datasets/{ravdess-speech,emovo,turev-db}). Each corpus gets its
 * own folder <out>/<corpus>/ (a finished corpus is skipped on a rerun; delete its folder to redo it):
 *   full.f32       log-mel of each whole clean file, mel-major [nMels, frames] (training crops come from here)
 *   aug.f32        the same for each augmented copy, one per family in AUG_FAMILIES (see scripts/voice-augment.ts)
 *   windows.f32    the engine's own windows of each clean file ([nMels, framesPerWindow] each), for file-level votes
 *   callwin.f32    the engine's windows of each file after the held-out "call" channel (mild room, noise at
 *                  10–25 dB, telephone band, 8 kHz Speex: a codec no training copy uses), to test robustness
 *   index.json     front end, labels, the corpus label set, and per file: path, speaker, emotion, offsets/frames,
 *                  each augmented copy's recipe, windows (startS, endS, voiced)
 * Float32 little-endian throughout.
 */
import '../electron/privacy/no-telemetry.js';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, type WriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readAudio } from '../electron/analysis/media/decode.js';
import { seededRandom } from '../electron/analysis/random.js';
import { resolveFfmpeg, type ResolvedFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { EMOTION_LABELS, isEmotionLabel } from '../electron/contract/shared/labels.js';
import { LogMelExtractor } from '../electron/analysis/voice/logmel.js';
import { TRAINING_FRONT_END, framesPerWindow } from '../electron/analysis/voice/front-end.js';
import { windowSignal } from '../electron/analysis/voice/windows.js';
import { parseCsv } from '../electron/cli/commands/eval-voice.js';
import {
  CALL_TEST_CODEC,
  NOISE_KINDS,
  addNoise,
  codecRoundTrip,
  codecSpec,
  makeNoise,
  phoneSpec,
  pick,
  reverberate,
  runFfmpeg,
  toFloat32,
  type CodecSpec,
  type Rng,
} from './voice-augment.js';

const SHARED = path.resolve('../shared/datasets');
const DEFAULT_CORPORA = [`ravdess=${SHARED}/ravdess-speech`, `emovo=${SHARED}/emovo`, `turev=${SHARED}/turev-db`];

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', multiple: true },
    out: { type: 'string', default: 'native-models/voice-spectrogram-cnn/train/cache' },
    seed: { type: 'string', default: '1234' },
    limit: { type: 'string' },
  },
});
const outRoot = values.out!;
const seed = Number(values.seed);
const fe = TRAINING_FRONT_END;
const lm = new LogMelExtractor(fe);
const fpw = framesPerWindow(fe);
/** Utterances per ffmpeg codec round trip (one codec setting each). */
const GROUP = 40;

/**
 * Augmented copies per file, one per entry (a family can repeat). Each copy is made in this order, as a call
 * would be: room (reverb) → background noise → channel (telephone band / codec).
 */
const AUG_FAMILIES = ['noise', 'reverb', 'phone', 'codec', 'mix', 'mix'] as const;
type Family = (typeof AUG_FAMILIES)[number] | 'call';

interface Recipe {
  reverb?: { rt60S: number; drrDb: number };
  noise?: { kind: string; snrDb: number };
  channel?: 'phone' | 'codec' | 'call';
}

const round = (v: number, d = 2) => Number(v.toFixed(d));

/** A 31-bit hash of a corpus name, so each corpus draws its own augmentation recipes. */
const nameSeed = (name: string) => [...name].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0, 7) % 2 ** 31;

function recipeFor(family: Family, r: Rng): Recipe {
  const reverb = (lo: number, hi: number, dLo: number, dHi: number) => ({
    rt60S: round(lo + (hi - lo) * r()),
    drrDb: round(dLo + (dHi - dLo) * r()),
  });
  const noise = (lo: number, hi: number, kinds: readonly string[] = NOISE_KINDS) => ({ kind: pick(r, kinds), snrDb: round(lo + (hi - lo) * r()) });
  switch (family) {
    case 'noise':
      return { noise: noise(3, 30) };
    case 'reverb':
      return { reverb: reverb(0.2, 1.0, -2, 10) };
    case 'phone':
      return { channel: 'phone' };
    case 'codec':
      return { channel: 'codec' };
    case 'mix': {
      const out: Recipe = {};
      if (r() < 0.5) out.reverb = reverb(0.2, 1.0, -2, 10);
      if (r() < 0.7) out.noise = noise(5, 30);
      const c = r();
      if (c < 0.35) out.channel = 'phone';
      else if (c < 0.7) out.channel = 'codec';
      return out;
    }
    case 'call':
      return { reverb: reverb(0.2, 0.5, 3, 10), noise: noise(10, 25, ['white', 'pink', 'babble']), channel: 'call' };
  }
}

interface Row {
  path: string;
  speaker: string;
  emotion: string;
}

function readRows(dir: string): Row[] {
  const [head, ...rows] = parseCsv(readFileSync(path.join(dir, 'labels.csv'), 'utf8'));
  const col = (name: string) => {
    const i = head.indexOf(name);
    if (i < 0) throw new Error(`${dir}/labels.csv has no ${name} column`);
    return i;
  };
  const [pi, si, ei] = [col('path'), col('speaker'), col('emotion')];
  return rows.map((r) => {
    if (!isEmotionLabel(r[ei])) throw new Error(`${dir}/labels.csv: ${r[pi]}: emotion ${r[ei]} is not in the vocabulary`);
    return { path: r[pi], speaker: r[si], emotion: r[ei] };
  });
}

/** Sample count of a 16 kHz mono FLAC file from its STREAMINFO block, or null when it is not one. */
function flacSamples(file: string): number | null {
  const b = readFileSync(file).subarray(0, 26);
  if (b.length < 26 || b.toString('latin1', 0, 4) !== 'fLaC' || (b[4] & 0x7f) !== 0) return null;
  const rate = (b[18] << 12) | (b[19] << 4) | (b[20] >> 4);
  const channels = ((b[20] >> 1) & 0x07) + 1;
  const total = (b[21] & 0x0f) * 2 ** 32 + b.readUInt32BE(22);
  return rate === fe.sampleRate && channels === 1 && total > 0 ? total : null;
}

/**
 * Decode many files with one ffmpeg process (concat demuxer), cut apart by their FLAC sample counts; starting one
 * ffmpeg per short file costs more than decoding it on a busy machine. Falls back to one process per file when a
 * file is not 16 kHz mono FLAC or the decoded total does not match.
 */
async function readAudioBatch(paths: string[], ff: ResolvedFfmpeg): Promise<Float32Array[]> {
  const counts = paths.map(flacSamples);
  if (counts.every((c) => c !== null) && !paths.some((p) => p.includes("'"))) {
    const list = path.join(os.tmpdir(), `voice-export-${process.pid}.txt`);
    writeFileSync(list, paths.map((p) => `file '${path.resolve(p)}'`).join('\n') + '\n');
    const all = toFloat32(
      await runFfmpeg(
        ff.ffmpeg,
        ['-f', 'concat', '-safe', '0', '-i', list, '-ac', '1', '-ar', String(fe.sampleRate), '-f', 'f32le', 'pipe:1'],
        Buffer.alloc(0),
      ),
    );
    const total = (counts as number[]).reduce((a, b) => a + b, 0);
    if (all.length === total) {
      let at = 0;
      return (counts as number[]).map((n) => all.slice(at, (at += n)));
    }
    process.stderr.write(`batch decode gave ${all.length} samples for ${total} expected; decoding file by file\n`);
  }
  return mapLimit(paths, 2, (p) => readAudio(p, ff));
}

/** Run `fn` over items with at most `n` in flight, keeping order. */
async function mapLimit<T, U>(items: readonly T[], n: number, fn: (item: T, i: number) => Promise<U>): Promise<U[]> {
  const out = new Array<U>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

class Sink {
  private stream: WriteStream;
  offset = 0;
  constructor(file: string) {
    this.stream = createWriteStream(file);
  }
  /** Append; returns the offset in float32 values. */
  async write(data: Float32Array): Promise<number> {
    const at = this.offset;
    this.offset += data.length;
    if (!this.stream.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength)))
      await new Promise<void>((res) => this.stream.once('drain', () => res()));
    return at;
  }
  close(): Promise<void> {
    return new Promise((res) => this.stream.end(() => res()));
  }
}

async function exportCorpus(name: string, dir: string, ff: ResolvedFfmpeg): Promise<void> {
  const outDir = path.join(outRoot, name);
  if (existsSync(path.join(outDir, 'index.json'))) {
    process.stderr.write(`${name}: ${outDir}/index.json exists, skipped\n`);
    return;
  }
  mkdirSync(outDir, { recursive: true });
  let rows = readRows(dir);
  if (values.limit) rows = rows.slice(0, Number(values.limit));
  const t0 = performance.now();
  const progress = (what: string, done: number, total: number) => {
    const el = (performance.now() - t0) / 1000;
    process.stderr.write(`${name}: ${what} ${done}/${total}, ${el.toFixed(0)} s elapsed\n`);
  };
  const audio: Float32Array[] = [];
  for (let s = 0; s < rows.length; s += 200) {
    audio.push(
      ...(await readAudioBatch(
        rows.slice(s, s + 200).map((r) => path.join(dir, r.path)),
        ff,
      )),
    );
    progress('decoded', audio.length, rows.length);
  }
  const sinks = Object.fromEntries(['full', 'aug', 'windows', 'callwin'].map((k) => [k, new Sink(path.join(outDir, `${k}.f32`))]));
  const files = rows.map((row, i) => ({
    path: row.path,
    speaker: row.speaker,
    emotion: row.emotion,
    label: EMOTION_LABELS.indexOf(row.emotion as (typeof EMOTION_LABELS)[number]),
    seconds: audio[i].length / fe.sampleRate,
    full: { offset: 0, frames: 0 },
    aug: [] as unknown[],
    windows: [] as unknown[],
    callWindows: [] as unknown[],
  }));
  const bySpeaker = new Map<string, number[]>();
  rows.forEach((r, i) => bySpeaker.set(r.speaker, [...(bySpeaker.get(r.speaker) ?? []), i]));
  /** Up to 8 utterances by other speakers of this corpus, for babble. */
  const othersFor = (i: number, r: Rng) => {
    const pool = rows.map((_, j) => j).filter((j) => rows[j].speaker !== rows[i].speaker);
    return Array.from({ length: Math.min(8, pool.length) }, () => audio[pick(r, pool)]);
  };

  /** The engine's windows of `x`, their features written to `sink`. */
  const windowsOf = async (x: Float32Array, sink: Sink) => {
    const out = [];
    for (const w of windowSignal(x, fe)) {
      const feat = lm.compute(w.samples);
      if (feat.frames !== fpw) throw new Error('window frame count mismatch');
      out.push({ offset: await sink.write(feat.data), startS: w.startS, endS: w.endS, voiced: w.voiced, padded: w.padded });
    }
    return out;
  };

  // Clean: whole-file features and the engine's windows.
  for (let i = 0; i < rows.length; i++) {
    const full = lm.compute(audio[i]);
    files[i].full = { offset: await sinks.full.write(full.data), frames: full.frames };
    files[i].windows = await windowsOf(audio[i], sinks.windows);
  }
  progress('clean features', rows.length, rows.length);

  // Augmented copies and the call test channel: room and noise per file, then channel codecs in groups.
  const families: Family[] = [...AUG_FAMILIES, 'call'];
  for (let c = 0; c < families.length; c++) {
    const family = families[c];
    const recipes = rows.map((_, i) => recipeFor(family, seededRandom(seed * 1000003 + i * 131 + c * 7 + nameSeed(name))));
    const pre = rows.map((_, i) => {
      const r = seededRandom(seed * 7919 + i * 17 + c * 3 + nameSeed(name));
      let x = audio[i];
      const rec = recipes[i];
      if (rec.reverb) x = reverberate(x, rec.reverb.rt60S, rec.reverb.drrDb, r);
      if (rec.noise) x = addNoise(x, makeNoise(rec.noise.kind as never, x.length, r, othersFor(i, r)), rec.noise.snrDb);
      return x;
    });
    const post = pre.slice();
    const codecNames = new Array<string | undefined>(rows.length);
    for (const channel of ['phone', 'codec', 'call'] as const) {
      const idx = rows.map((_, i) => i).filter((i) => recipes[i].channel === channel);
      const groups: number[][] = [];
      for (let g = 0; g < idx.length; g += GROUP) groups.push(idx.slice(g, g + GROUP));
      await mapLimit(groups, 2, async (group, g) => {
        const r = seededRandom(seed * 104729 + g * 31 + c * 5 + nameSeed(name));
        const spec: CodecSpec = channel === 'phone' ? phoneSpec(r) : channel === 'codec' ? codecSpec(r) : CALL_TEST_CODEC;
        const outs = await codecRoundTrip(
          ff.ffmpeg,
          spec,
          group.map((i) => pre[i]),
        );
        group.forEach((i, k) => ((post[i] = outs[k]), (codecNames[i] = spec.name)));
      });
    }
    for (let i = 0; i < rows.length; i++) {
      const recipe = { ...recipes[i], ...(codecNames[i] ? { channel: codecNames[i] } : {}) };
      if (family === 'call') {
        files[i].callWindows = await windowsOf(post[i], sinks.callwin);
        (files[i] as Record<string, unknown>).call = recipe;
      } else {
        const feat = lm.compute(post[i]);
        files[i].aug.push({ family, ...recipe, offset: await sinks.aug.write(feat.data), frames: feat.frames });
      }
    }
    progress(`copy ${c + 1}/${families.length} (${family})`, rows.length, rows.length);
  }
  await Promise.all(Object.values(sinks).map((s) => s.close()));
  const index = {
    createdBy: 'scripts/export-voice-features.ts',
    corpus: name,
    data: path.relative(process.cwd(), dir),
    seed,
    augFamilies: AUG_FAMILIES,
    frontEnd: fe,
    framesPerWindow: fpw,
    labels: EMOTION_LABELS,
    corpusLabels: EMOTION_LABELS.filter((l) => rows.some((r) => r.emotion === l)),
    audioSeconds: audio.reduce((s, a) => s + a.length, 0) / fe.sampleRate,
    exportSeconds: (performance.now() - t0) / 1000,
    files,
  };
  writeFileSync(path.join(outDir, 'index.json.partial'), JSON.stringify(index));
  renameSync(path.join(outDir, 'index.json.partial'), path.join(outDir, 'index.json'));
  process.stderr.write(`${name}: done, ${files.length} files, ${index.audioSeconds.toFixed(0)} s audio, ${index.exportSeconds.toFixed(0)} s\n`);
}

async function main() {
  const ff = resolveFfmpeg();
  for (const spec of values.corpus ?? DEFAULT_CORPORA) {
    const [name, dir] = spec.split('=');
    if (!name || !dir) throw new Error(`--corpus ${spec}: expected name=folder`);
    if (!existsSync(path.join(dir, 'labels.csv'))) throw new Error(`--corpus ${spec}: ${dir}/labels.csv not found`);
    await exportCorpus(name, dir, ff);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
