/**
 * Export log-mel training features for native-models/voice-spectrogram-cnn with THE engine front end
 * (electron/analysis/voice/logmel.ts + windows.ts), so training and run time see identical features.
 *
 *   node --import tsx scripts/export-voice-features.ts [--data ../shared/datasets/ravdess-speech]
 *        [--out native-models/voice-spectrogram-cnn/train/cache] [--aug-copies 2] [--seed 1234]
 *
 * Writes into --out:
 *   full.f32     log-mel of each whole clean file, mel-major [nMels, frames] (training crops come from here)
 *   aug.f32      the same for each seeded waveform-domain augmented copy (additive noise at a random SNR)
 *   windows.f32  the engine's own windows of each clean file ([nMels, framesPerWindow] each), for file-level votes
 *   index.json   front end, labels, and per file: path, speaker, emotion, offsets/frames, windows (startS, endS, voiced)
 * Float32 little-endian throughout.
 */
import '../electron/privacy/no-telemetry.js';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readAudio } from '../electron/analysis/media/decode.js';
import { seededRandom } from '../electron/analysis/random.js';
import { resolveFfmpeg } from '../electron/analysis/media/ffmpeg-path.js';
import { EMOTION_LABELS, isEmotionLabel } from '../electron/analysis/labels.js';
import { LogMelExtractor } from '../electron/analysis/voice/logmel.js';
import { TRAINING_FRONT_END, framesPerWindow } from '../electron/analysis/voice/front-end.js';
import { energyGate, windowSignal } from '../electron/analysis/voice/windows.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: path.resolve('../shared/datasets/ravdess-speech') },
    out: { type: 'string', default: 'native-models/voice-spectrogram-cnn/train/cache' },
    'aug-copies': { type: 'string', default: '2' },
    seed: { type: 'string', default: '1234' },
    limit: { type: 'string' },
  },
});
const dataDir = values.data!;
const outDir = values.out!;
const augCopies = Number(values['aug-copies']);
const seed = Number(values.seed);
mkdirSync(outDir, { recursive: true });

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** Speech power: mean square over the 20 ms frames within 20 dB of the loudest frame (independent of recording level). */
function speechPower(x: Float32Array): number {
  const frame = Math.round(TRAINING_FRONT_END.vadFrameSeconds * TRAINING_FRONT_END.sampleRate);
  const energies: number[] = [];
  for (let s = 0; s + frame <= x.length; s += frame) {
    let e = 0;
    for (let i = s; i < s + frame; i++) e += x[i] * x[i];
    energies.push(e / frame);
  }
  const loudest = Math.max(...energies, 1e-20);
  const speech = energies.filter((e) => e >= loudest / 100);
  return speech.reduce((a, b) => a + b, 0) / Math.max(1, speech.length);
}

/** Additive noise at a random SNR (5–30 dB re speech power): white, or brown-ish (leaky-integrated) for low-frequency hum/rumble. */
function augment(x: Float32Array, r: () => number): { y: Float32Array; snrDb: number; kind: string } {
  const snrDb = 5 + 25 * r();
  const kind = r() < 0.5 ? 'white' : 'brown';
  const noise = new Float32Array(x.length);
  let state = 0;
  let np = 0;
  for (let i = 0; i < x.length; i++) {
    const g = gaussian(r);
    state = kind === 'white' ? g : 0.98 * state + g;
    noise[i] = state;
    np += state * state;
  }
  np /= Math.max(1, x.length);
  const gain = Math.sqrt((speechPower(x) / 10 ** (snrDb / 10)) / Math.max(np, 1e-20));
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i] + gain * noise[i];
  return { y, snrDb, kind };
}

function parseCsv(text: string): Record<string, string>[] {
  const [head, ...rows] = text.trim().split(/\r?\n/);
  const cols = head.split(',');
  return rows.map((row) => Object.fromEntries(row.split(',').map((v, i) => [cols[i], v])));
}

async function main() {
  const ff = resolveFfmpeg();
  let rows = parseCsv(readFileSync(path.join(dataDir, 'labels.csv'), 'utf8'));
  if (values.limit) rows = rows.slice(0, Number(values.limit));
  const fe = TRAINING_FRONT_END;
  const lm = new LogMelExtractor(fe);
  const fpw = framesPerWindow(fe);
  const sinks: Record<string, { stream: WriteStream; offset: number }> = {};
  for (const name of ['full', 'aug', 'windows']) sinks[name] = { stream: createWriteStream(path.join(outDir, `${name}.f32`)), offset: 0 };
  const write = async (name: string, data: Float32Array): Promise<number> => {
    const sink = sinks[name];
    const at = sink.offset;
    sink.offset += data.length;
    const ok = sink.stream.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    if (!ok) await new Promise<void>((res) => sink.stream.once('drain', () => res()));
    return at; // offset in float32 values
  };
  const files: unknown[] = [];
  const t0 = performance.now();
  let audioSeconds = 0, featureMs = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!isEmotionLabel(row.emotion)) throw new Error(`${row.path}: emotion ${row.emotion} is not in the vocabulary`);
    const audio = await readAudio(path.join(dataDir, row.path), ff);
    audioSeconds += audio.length / fe.sampleRate;
    const tf = performance.now();
    const full = lm.compute(audio);
    const fullOffset = await write('full', full.data);
    const aug: unknown[] = [];
    const r = seededRandom(seed * 1000003 + i);
    for (let c = 0; c < augCopies; c++) {
      const a = augment(audio, r);
      const feat = lm.compute(a.y);
      aug.push({ offset: await write('aug', feat.data), frames: feat.frames, snrDb: Number(a.snrDb.toFixed(2)), kind: a.kind });
    }
    const windows: unknown[] = [];
    for (const w of windowSignal(audio, fe)) {
      const feat = lm.compute(w.samples);
      if (feat.frames !== fpw) throw new Error('window frame count mismatch');
      windows.push({ offset: await write('windows', feat.data), startS: w.startS, endS: w.endS, voiced: w.voiced, padded: w.padded });
    }
    featureMs += performance.now() - tf;
    files.push({
      path: row.path,
      speaker: row.speaker,
      emotion: row.emotion,
      label: EMOTION_LABELS.indexOf(row.emotion),
      seconds: audio.length / fe.sampleRate,
      full: { offset: fullOffset, frames: full.frames },
      aug,
      windows,
      gate: energyGate(audio, audio.length, fe),
    });
    if ((i + 1) % 100 === 0 || i + 1 === rows.length) {
      const el = (performance.now() - t0) / 1000;
      process.stderr.write(`${i + 1}/${rows.length} files, ${el.toFixed(0)} s elapsed, ETA ${((el / (i + 1)) * (rows.length - i - 1)).toFixed(0)} s\n`);
    }
  }
  await Promise.all(Object.values(sinks).map((s) => new Promise<void>((res) => s.stream.end(() => res()))));
  const index = {
    createdBy: 'scripts/export-voice-features.ts',
    data: path.relative(process.cwd(), dataDir),
    seed,
    augCopies,
    frontEnd: fe,
    framesPerWindow: fpw,
    labels: EMOTION_LABELS,
    audioSeconds,
    featureSeconds: featureMs / 1000,
    files,
  };
  writeFileSync(path.join(outDir, 'index.json'), JSON.stringify(index));
  process.stderr.write(
    `done: ${files.length} files, ${audioSeconds.toFixed(0)} s audio; features (clean + ${augCopies} aug + windows) ${(featureMs / 1000).toFixed(1)} s\n`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
