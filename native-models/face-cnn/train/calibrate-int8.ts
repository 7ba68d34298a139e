/**
 * Activation ranges for quantize_int8.py: runs the instrumented float graph (every Conv/Add/Relu output exposed) over
 * training images prepared exactly as the engine prepares a face crop, and writes each tensor's [min, max].
 *
 *   node --import tsx native-models/face-cnn/train/calibrate-int8.ts <instrumented.onnx> <image dir> <count> <out ranges.json>
 *
 * <image dir> holds <class>/<file> images (link_split.py <dir> train); `count` of them are taken in a seeded shuffle.
 */
import '../../../electron/privacy/no-telemetry.js';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readImageFile } from '../../../electron/analysis/face/image-io.js';
import { preprocessBatch } from '../../../electron/analysis/face/image-preprocess.js';
import { loadManifest } from '../../../electron/analysis/models/manifest.js';
import { openOnnxModel } from '../../../electron/analysis/models/onnx-runtime.js';
import { seededRandom, shuffled } from '../../../electron/analysis/random.js';

const [graphPath, imageDir, countArg, outPath] = process.argv.slice(2);
if (!outPath) throw new Error('usage: calibrate-int8.ts <instrumented.onnx> <image dir> <count> <out ranges.json>');
const manifest = loadManifest(path.resolve(import.meta.dirname, '..'));
const files = readdirSync(imageDir)
  .sort()
  .flatMap((c) => readdirSync(path.join(imageDir, c)).sort().map((f) => path.join(imageDir, c, f)));
const chosen = shuffled(files, seededRandom(20261202)).slice(0, Number(countArg));
const session = await openOnnxModel(graphPath, { threads: 2 });
const ranges: Record<string, [number, number]> = {};
const note = (name: string, data: Float32Array) => {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const r = (ranges[name] ??= [Infinity, -Infinity]);
  r[0] = Math.min(r[0], lo);
  r[1] = Math.max(r[1], hi);
};
for (let b = 0; b < chosen.length; b += 64) {
  const images = await Promise.all(chosen.slice(b, b + 64).map((f) => readImageFile(f)));
  const input = preprocessBatch(images, manifest);
  note('input', input.data);
  const out = await session.run({ input });
  for (const [name, t] of Object.entries(out)) note(name, t.data);
}
writeFileSync(outPath, JSON.stringify({ images: chosen.length, seed: 20261202, ranges }, null, 1) + '\n');
console.log(`${outPath}: ranges of ${Object.keys(ranges).length} tensors over ${chosen.length} training images`);
