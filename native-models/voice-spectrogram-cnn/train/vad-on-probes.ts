/**
 * How much of each non-speech probe signal (probe-signals.ts) Silero VAD takes for speech, beside the bundled sample:
 * the share of 32 ms chunks whose speech probability is above 0.5 (the model card's "Input check" section).
 *
 *   node --import tsx native-models/voice-spectrogram-cnn/train/vad-on-probes.ts     (from the repo root)
 */
import '../../../electron/privacy/no-telemetry.js';
import { VoiceActivityModel } from '../../../electron/analysis/diarization/voice-activity.js';
import { readAudio } from '../../../electron/analysis/media/decode.js';
import { resolveFfmpeg } from '../../../electron/analysis/media/ffmpeg-path.js';
import { PROBES } from './probe-signals.js';

const THRESHOLD = 0.5;
const vad = await VoiceActivityModel.load();

async function speechShare(signal: Float32Array): Promise<number> {
  const stream = vad.stream(1);
  const probs = [...(await stream.push([signal]))[0], ...(await stream.flush())[0]];
  return probs.filter((p) => p > THRESHOLD).length / probs.length;
}

for (const [name, make] of Object.entries(PROBES)) console.log(`${name.padEnd(34)} ${(100 * (await speechShare(make()))).toFixed(1)} %`);
const sample = await readAudio(new URL('../../../data/samples/sample.mp4', import.meta.url).pathname, resolveFfmpeg());
console.log(`${'sample.mp4 (speech and title music)'.padEnd(34)} ${(100 * (await speechShare(sample))).toFixed(1)} %`);
await vad.release();
