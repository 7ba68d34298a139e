/**
 * Export the speech of every file of the speaker corpora for training the speaker embedding, cut with THE engine's
 * voice activity detection (electron/analysis/diarization/voice-activity.ts + speech-segments.ts), so the network
 * learns from the same kind of speech spans the diarizer embeds at run time.
 *
 *   node --import tsx native-models/speaker-embed/train/export-speech.ts [--data ../shared/datasets] [--out native-models/speaker-embed/train/cache]
 *
 * Writes into --out (git-ignored):
 *   speech.i16   16 kHz mono int16 little-endian: per file, the span from its first to its last speech segment
 *   index.json   per file: corpus, speaker, split, emotion, gender, offset/length (samples) in speech.i16, and the
 *                speech segments [start, end) in samples relative to that span
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readAudioFiles } from '../../../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../../../electron/analysis/media/ffmpeg-path.js';
import { VoiceActivityModel } from '../../../electron/analysis/diarization/voice-activity.js';
import { speechSegments } from '../../../electron/analysis/diarization/speech-segments.js';
import { corpusFiles } from './corpora.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: path.resolve('../shared/datasets') },
    out: { type: 'string', default: 'native-models/speaker-embed/train/cache' },
    limit: { type: 'string' },
  },
});
const outDir = values.out!;
mkdirSync(outDir, { recursive: true });
const files = corpusFiles(values.data!).slice(0, values.limit ? Number(values.limit) : undefined);
if (!files.length) throw new Error(`no corpus files under ${values.data}`);
const ff = resolveFfmpeg();
const vad = await VoiceActivityModel.load();
const sr = vad.sampleRate;
const wave = createWriteStream(path.join(outDir, 'speech.i16'));
const index: object[] = [];
let offset = 0;
let skipped = 0;
const t0 = performance.now();
const BATCH = 64;
let decoded: Float32Array[] = [];
for (const [i, f] of files.entries()) {
  if (i % BATCH === 0) decoded = readAudioFiles(files.slice(i, i + BATCH).map((g) => g.path), ff, BATCH);
  const x = decoded[i % BATCH];
  const stream = vad.stream(1);
  const probs = [...(await stream.push([x]))[0], ...(await stream.flush())[0]];
  const segs = speechSegments(probs, vad.frameSeconds).map((s) => [Math.round(s.startS * sr), Math.min(x.length, Math.round(s.endS * sr))]);
  if (!segs.length) {
    skipped++;
    continue;
  }
  const a = segs[0][0];
  const b = segs[segs.length - 1][1];
  const pcm = Buffer.alloc((b - a) * 2);
  for (let k = a; k < b; k++) pcm.writeInt16LE(Math.round(Math.max(-1, Math.min(1, x[k])) * 32767), (k - a) * 2);
  if (!wave.write(pcm)) await new Promise<void>((r) => wave.once('drain', () => r()));
  index.push({ corpus: f.corpus, file: path.relative(values.data!, f.path), speaker: f.speaker, split: f.split, emotion: f.emotion, gender: f.gender, offset, length: b - a, segments: segs.map(([s, e]) => [s - a, e - a]) });
  offset += b - a;
  if ((i + 1) % 200 === 0) console.log(`${i + 1}/${files.length} files, ${(offset / sr / 60).toFixed(1)} min of speech, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
await new Promise<void>((r) => wave.end(() => r()));
await vad.release();
writeFileSync(path.join(outDir, 'index.json'), JSON.stringify({ sampleRate: sr, files: index }));
console.log(`done: ${index.length} files (${skipped} without speech skipped), ${(offset / sr / 60).toFixed(1)} min of speech in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
