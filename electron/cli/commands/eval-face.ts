import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RgbImage } from '../../analysis/image.js';
import { FER2013_TO_LABEL, LABEL_TO_FER2013, type EmotionLabel } from '../../contract/shared/labels.js';
import { classificationReport, formatReport } from '../../analysis/metrics.js';
import { MediaInputError, throwIfAborted } from '../../analysis/media/errors.js';
import { DEFAULT_MODEL_IDS, resolveModelDir } from '../../analysis/models/registry.js';
import { formatDuration } from '../../analysis/progress.js';
import { cropFace, DEFAULT_CROP, expandBox } from '../../analysis/face/crop.js';
import { FaceDetector } from '../../analysis/face/detector.js';
import { FaceExpressionModel } from '../../analysis/face/expression-model.js';
import { isImageFile, readImageFile } from '../../analysis/face/image-io.js';
import { parseCommandArgs, UsageError, writeLine, type CliIO } from '../io.js';
import { threadsOption } from './eval-options.js';

/** FER2013's class folder names, the classes `affect eval face` reports in. */
export const FER2013_CLASSES = Object.keys(FER2013_TO_LABEL);

const BATCH = 64;
/** Crops are cut at about the face's own resolution (then area-averaged to the model input), within these bounds. */
const MIN_CROP_PX = 48;
const MAX_CROP_PX = 512;

interface LabelledImage {
  /** Relative to <dir>, with forward slashes. */
  rel: string;
  truth: string;
}

function listLabelledImages(dir: string, warn: (msg: string) => void): LabelledImage[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    throw new MediaInputError(dir, 'cannot read this folder');
  }
  const out: LabelledImage[] = [];
  for (const e of entries.filter((d) => d.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!FER2013_CLASSES.includes(e.name)) {
      warn(`skipped folder ${e.name}/: not one of the FER2013 class names (${FER2013_CLASSES.join(', ')})`);
      continue;
    }
    const files = readdirSync(path.join(dir, e.name)).filter(isImageFile).sort();
    for (const f of files) out.push({ rel: `${e.name}/${f}`, truth: e.name });
  }
  if (out.length === 0)
    throw new MediaInputError(dir, `no images found: expected subfolders named ${FER2013_CLASSES.join(', ')} holding .jpg/.png files`);
  return out;
}

const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** affect eval face <dir> [--model <id|dir>] [--cropped] [--predictions <out.csv>] [--json] [--threads <n>] [--detector <id|dir>] */
export async function runEvalFace(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    model: { type: 'string', default: DEFAULT_MODEL_IDS.faceExpression },
    detector: { type: 'string', default: DEFAULT_MODEL_IDS.faceDetector },
    cropped: { type: 'boolean', default: false },
    predictions: { type: 'string' },
    json: { type: 'boolean', default: false },
    threads: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('eval face needs exactly one <dir> with one subfolder per FER2013 class');
  const threads = threadsOption(values.threads);
  const dir = path.resolve(positionals[0]);
  let modelDir: string;
  let detectorDir: string | undefined;
  try {
    modelDir = resolveModelDir(values.model!);
    if (!values.cropped) detectorDir = resolveModelDir(values.detector!);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }

  const items = listLabelledImages(dir, (m) => writeLine(io.stderr, m));
  const model = await FaceExpressionModel.load(modelDir, { threads });
  const detector = detectorDir ? await FaceDetector.load(detectorDir, { threads }) : null;
  try {
    // Model outputs → FER2013 folder names; outputs without a FER2013 counterpart are never predicted.
    const outputClass = model.labels.map((l) => LABEL_TO_FER2013[l as EmotionLabel] ?? null);
    if (!outputClass.some((c) => c !== null)) throw new Error(`model ${model.manifest.id} has no output among the FER2013 classes`);
    const cropSpec = model.manifest.crop ?? DEFAULT_CROP;

    const predicted: string[] = [];
    const confidence: number[] = [];
    const noFace: string[] = [];
    const start = performance.now();
    let lastProgress = 0;
    for (let b = 0; b < items.length; b += BATCH) {
      throwIfAborted(io.signal, 'evaluation');
      const batch = items.slice(b, b + BATCH);
      const crops: RgbImage[] = [];
      for (const item of batch) {
        const image = await readImageFile(path.join(dir, item.rel));
        if (!detector) {
          crops.push(image);
          continue;
        }
        const face = await detector.detectLargest(image);
        if (!face) {
          noFace.push(item.rel);
          crops.push(image);
          continue;
        }
        const region = expandBox(face.box, cropSpec);
        const px = (v: number) => Math.min(MAX_CROP_PX, Math.max(MIN_CROP_PX, Math.round(v)));
        crops.push(cropFace(image, face.box, cropSpec, px(region.width), px(region.height)));
      }
      const probs = await model.classify(crops);
      for (const p of probs) {
        let best = -1;
        for (let i = 0; i < p.length; i++) if (outputClass[i] !== null && (best < 0 || p[i] > p[best])) best = i;
        predicted.push(outputClass[best]!);
        confidence.push(p[best]);
      }
      const done = b + batch.length;
      const now = performance.now();
      if (io.interactive || now - lastProgress > 5000 || done === items.length) {
        lastProgress = now;
        const elapsed = (now - start) / 1000;
        const line = `eval face: ${done}/${items.length} images, ${formatDuration(elapsed)} elapsed, ETA ${formatDuration((elapsed / done) * (items.length - done))}`;
        io.stderr.write(io.interactive ? `\r${line}${done === items.length ? '\n' : ''}` : line + '\n');
      }
    }
    const seconds = (performance.now() - start) / 1000;
    const imagesPerSecond = items.length / Math.max(seconds, 1e-9);
    const report = classificationReport(
      FER2013_CLASSES,
      items.map((i) => i.truth),
      predicted,
    );

    if (values.predictions) {
      const out = path.resolve(values.predictions);
      const lines = ['path,predicted,confidence', ...items.map((it, i) => `${csvField(it.rel)},${predicted[i]},${confidence[i].toFixed(6)}`)];
      writeFileSync(out + '.partial', lines.join('\n') + '\n');
      renameSync(out + '.partial', out);
    }
    const detection = detector
      ? { detector: detector.manifest.id, noFaceDetected: noFace.length, noFaceFallback: 'whole image classified' }
      : { detector: null, noFaceDetected: 0, noFaceFallback: null };
    if (values.json) {
      const { abstained: _abstained, ...metrics } = report;
      writeLine(
        io.stdout,
        JSON.stringify({
          ...metrics,
          imagesPerSecond,
          cropped: values.cropped,
          ...detection,
          model: { id: model.manifest.id, version: model.manifest.version, dir: modelDir, tinyRandomWeights: model.manifest.tinyRandomWeights },
        }),
      );
    } else {
      if (model.manifest.tinyRandomWeights) writeLine(io.stdout, 'WARNING: this model has random weights (test fixture); its figures mean nothing.');
      writeLine(
        io.stdout,
        `model ${model.manifest.id} ${model.manifest.version}; ${items.length} images from ${dir}` +
          (values.cropped ? ' (already cropped)' : ` (faces found by ${detector!.manifest.id})`),
      );
      if (noFace.length)
        writeLine(io.stdout, `no face detected in ${noFace.length} images: the whole image was classified (e.g. ${noFace.slice(0, 3).join(', ')})`);
      writeLine(io.stdout, formatReport(report));
      writeLine(io.stdout, `\n${imagesPerSecond.toFixed(1)} images/s (${seconds.toFixed(1)} s); forced choice, no abstaining`);
      writeLine(io.stdout, 'Labels are expression estimates, not diagnoses.');
    }
    return 0;
  } finally {
    await model.release();
    await detector?.release();
  }
}
