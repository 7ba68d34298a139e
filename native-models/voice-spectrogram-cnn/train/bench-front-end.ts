/**
 * Front-end and engine speed on a synthetic, speech-like signal (0.5 s tone bursts each second over low noise, so
 * every window is voiced). Usage from the repo root:
 *   node --import tsx native-models/voice-spectrogram-cnn/train/bench-front-end.ts [minutes=60]
 */
import '../../../electron/privacy/no-telemetry.js'; // before anything loads onnxruntime: its telemetry off, network guard on
import { VoiceEmotionModel, classifyAudioChunks } from '../../../electron/analysis/voice/voice-model.js';
import { LogMelExtractor } from '../../../electron/analysis/voice/logmel.js';
import { StreamingWindower } from '../../../electron/analysis/voice/windows.js';
import { TRAINING_FRONT_END as fe, framesPerWindow } from '../../../electron/analysis/voice/front-end.js';
const minutes = Number(process.argv[2] ?? 60);
const SR = 16000;
// speech-like: 0.5 s tone bursts every second over low noise, so every window is voiced
const seconds: Float32Array[] = [];
let s = 1;
for (let c = 0; c < minutes * 60; c++) {
  const x = new Float32Array(SR);
  for (let i = 0; i < SR; i++) x[i] = (i < SR / 2 ? 0.05 * Math.sin((2 * Math.PI * (200 + (c % 7) * 50) * i) / SR) : 0) + ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.002;
  seconds.push(x);
}
let t0 = performance.now();
const w = new StreamingWindower(fe);
const lm = new LogMelExtractor(fe);
const out = new Float32Array(fe.nMels * framesPerWindow(fe));
let n = 0, voiced = 0;
for (const c of seconds) for (const win of w.push(c)) { lm.compute(win.samples, out); n++; voiced += +win.voiced; }
for (const win of w.flush()) { lm.compute(win.samples, out); n++; }
const tFeat = (performance.now() - t0) / 1000;
console.log(`${minutes} min audio: windowing + energy gate + log-mel for ${n} windows (${voiced} voiced): ${tFeat.toFixed(1)} s`);
const model = await VoiceEmotionModel.load(new URL('..', import.meta.url).pathname, { threads: 1 });
t0 = performance.now();
async function* ac() { yield* seconds; }
const r = await classifyAudioChunks(ac(), model);
const tAll = (performance.now() - t0) / 1000;
console.log(`full classify (features + ONNX, 1 thread) of ${minutes} min: ${tAll.toFixed(1)} s, RTF ${(tAll / (minutes * 60)).toFixed(4)}, ${r.windows.filter((x) => x.voiced).length}/${r.windows.length} windows voiced`);
