/**
 * Parity check: the engine's window features (logmel.ts on windows.ts windows of freshly decoded audio) must equal the
 * cached training windows exactly, for files of each corpus; prints the engine's ONNX probabilities and input
 * distances for comparison with PyTorch's on the same windows.
 *   node --import tsx native-models/voice-spectrogram-cnn/train/check-parity.ts   (from the repo root)
 */
import '../../../electron/privacy/no-telemetry.js'; // before anything loads onnxruntime: its telemetry off, network guard on
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { readAudio } from '../../../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../../../electron/analysis/media/ffmpeg-path.js';
import { VoiceEmotionModel } from '../../../electron/analysis/voice/voice-model.js';
import { LogMelExtractor } from '../../../electron/analysis/voice/logmel.js';
import { windowSignal } from '../../../electron/analysis/voice/windows.js';

const shared = process.env.AFFECT_SHARED_DATASETS ?? '../shared/datasets';
const CORPUS_DIRS: Record<string, string> = { ravdess: 'ravdess-speech', emovo: 'emovo', turev: 'turev-db' };
const model = await VoiceEmotionModel.load(new URL('..', import.meta.url).pathname);
const lm = new LogMelExtractor(model.frontEnd);
let maxDiff = 0;
for (const [corpus, dir] of Object.entries(CORPUS_DIRS)) {
  const cache = new URL(`cache/${corpus}/`, import.meta.url).pathname;
  const index = JSON.parse(readFileSync(cache + 'index.json', 'utf8'));
  const buf = readFileSync(cache + 'windows.f32');
  const win = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  for (const k of [0, Math.floor(index.files.length / 2), index.files.length - 1]) {
    const f = index.files[k];
    const audio = await readAudio(path.join(shared, dir, f.path), resolveFfmpeg());
    const ws = windowSignal(audio, model.frontEnd);
    ws.forEach((w, j) => {
      const feat = lm.compute(w.samples).data;
      const ref = win.subarray(f.windows[j].offset, f.windows[j].offset + feat.length);
      for (let i = 0; i < feat.length; i++) maxDiff = Math.max(maxDiff, Math.abs(feat[i] - ref[i]));
      if (w.voiced !== f.windows[j].voiced) console.log('voiced mismatch');
    });
    const scores = await model.score(ws);
    console.log(corpus, f.path, f.emotion, scores.map((s) => `${Array.from(s.probabilities, (v) => v.toFixed(4)).join(' ')} (distance ${s.inputDistance?.toFixed(3)})`).join(' | '));
  }
}
console.log('max feature diff', maxDiff);
