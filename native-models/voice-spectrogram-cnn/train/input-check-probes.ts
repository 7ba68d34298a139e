/**
 * Non-speech probe signals for validating the voice input check (electron/analysis/voice/input-check.ts): what a
 * call recording can hold besides speech. Each is 60 s at 16 kHz, seeded, made here (no music corpus is available
 * offline, so the music is synthesised: harmonic notes with decaying or sustained envelopes, chords, drums).
 * Writes train/cache/probes/{index.json,logmel.f32}: the log-mel of every voiced window, [n, nMels, framesPerWindow]
 * (the energy gate skips steady noise before any model runs, so only gated-in windows matter).
 *
 *   node --import tsx native-models/voice-spectrogram-cnn/train/input-check-probes.ts     (from the repo root)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { TRAINING_FRONT_END as fe, framesPerWindow } from '../../../electron/analysis/voice/front-end.js';
import { LogMelExtractor } from '../../../electron/analysis/voice/logmel.js';
import { windowSignal } from '../../../electron/analysis/voice/windows.js';
import { PROBES, SECONDS } from './probe-signals.js';

const out = new URL('cache/probes/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const lm = new LogMelExtractor(fe);
const fpw = framesPerWindow(fe);
const logmels: Float32Array[] = [];
const index: Record<string, { windows: number; voiced: number; first: number }> = {};
for (const [name, make] of Object.entries(PROBES)) {
  const ws = windowSignal(make(), fe);
  const voiced = ws.filter((w) => w.voiced);
  index[name] = { windows: ws.length, voiced: voiced.length, first: logmels.length };
  for (const w of voiced) logmels.push(lm.compute(w.samples).data);
  console.log(`${name}: ${voiced.length}/${ws.length} windows voiced`);
}
const mels = new Float32Array(logmels.length * fe.nMels * fpw);
logmels.forEach((m, i) => mels.set(m, i * fe.nMels * fpw));
writeFileSync(out + 'logmel.f32', Buffer.from(mels.buffer));
writeFileSync(out + 'index.json', JSON.stringify({ createdBy: 'input-check-probes.ts', seconds: SECONDS, nMels: fe.nMels, framesPerWindow: fpw, probes: index }, null, 1));
