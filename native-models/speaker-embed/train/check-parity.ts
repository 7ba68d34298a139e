/**
 * Parity of the Python training front end (logmel.py) with THE engine's (electron/analysis/voice/logmel.ts):
 * writes the engine's log-mel of the first files of train/cache to cache/parity.json; check_parity.py compares.
 *   node --import tsx native-models/speaker-embed/train/check-parity.ts && /usr/bin/python3 native-models/speaker-embed/train/check_parity.py
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogMelExtractor } from '../../../electron/analysis/voice/logmel.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(readFileSync(path.join(here, '..', 'manifest.json'), 'utf8'));
const index = JSON.parse(readFileSync(path.join(here, 'cache/index.json'), 'utf8'));
const pcm = readFileSync(path.join(here, 'cache/speech.i16'));
const fe = new LogMelExtractor(manifest.frontEnd);
const out = index.files.slice(0, 5).map((f: { offset: number; length: number }) => {
  const x = new Float32Array(f.length);
  for (let i = 0; i < f.length; i++) x[i] = pcm.readInt16LE((f.offset + i) * 2) / 32767;
  const m = fe.compute(x);
  return { frames: m.frames, data: Array.from(m.data) };
});
writeFileSync(path.join(here, 'cache/parity.json'), JSON.stringify(out));
console.log(`wrote ${out.length} files' log-mel to cache/parity.json`);
