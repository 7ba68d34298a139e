/**
 * Where does BlazeFace put its box on FER2013-style crops? Gives manifest.crop.margin.
 *   node --import tsx native-models/face-cnn/train/measure-crop.ts [detector id]   (from the repo root)
 * Runs the project's detector on every 4th validation image of split.json; writes train/crop_measurement.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FaceDetector } from '../../../electron/analysis/face/detector.js';
import { readImageFile } from '../../../electron/analysis/face/image-io.js';
import { resolveModelDir } from '../../../electron/analysis/models/registry.js';

async function main(): Promise<void> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const fer = process.env.FER2013_DIR ?? path.resolve(here, '../../../../shared/datasets/fer2013');
  const split = JSON.parse(readFileSync(path.join(here, 'split.json'), 'utf8')) as { val: string[] };
  const detectorId = process.argv[2] ?? 'blazeface-front-128';
  const det = await FaceDetector.load(resolveModelDir(detectorId), { threads: 1 });
  const files = split.val.filter((_, i) => i % 4 === 0);
  const side: number[] = [];
  const cx: number[] = [];
  const cy: number[] = [];
  let none = 0;
  for (const rel of files) {
    const img = await readImageFile(path.join(fer, 'train', rel));
    const f = await det.detectLargest(img);
    if (!f) {
      none++;
      continue;
    }
    side.push(Math.max(f.box.width / img.width, f.box.height / img.height));
    cx.push((f.box.x + f.box.width / 2) / img.width - 0.5);
    cy.push((f.box.y + f.box.height / 2) / img.height - 0.5);
  }
  await det.release();
  const q = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) * p)];
  const medianSide = q(side, 0.5);
  const result = {
    detector: detectorId,
    images: files.length,
    noFace: none,
    boxSideOverImage: { q25: q(side, 0.25), median: medianSide, q75: q(side, 0.75) },
    boxCentreOffset: { x: q(cx, 0.5), y: q(cy, 0.5), unit: 'fraction of image side, + = right/down' },
    marginForFerCrop: (1 / medianSide - 1) / 2,
    yOffsetOfFerCropCentre: -q(cy, 0.5) / medianSide,
  };
  writeFileSync(path.join(here, 'crop_measurement.json'), JSON.stringify(result, null, 1) + '\n');
  console.log(result);
}

await main();
