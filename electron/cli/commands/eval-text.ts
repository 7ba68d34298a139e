import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CsvFormatError, parseCsv, toCsv } from '../../analysis/csv.js';
import { MediaInputError, throwIfAborted } from '../../analysis/media/errors.js';
import { classificationReport, formatReport } from '../../analysis/metrics.js';
import { DEFAULT_MODEL_IDS } from '../../analysis/models/registry.js';
import { ProgressTracker } from '../../analysis/progress.js';
import { TextEmotionModel, type TextEstimate } from '../../analysis/text/text-model.js';
import { progressPrinter } from '../progress-line.js';
import { parseCommandArgs, UsageError, writeLine, type CliIO } from '../io.js';
import { modelOption, threadsOption } from './eval-options.js';

/** Texts classified between two progress updates / cancellation checks. */
const CHUNK = 256;

interface LabelledText {
  id: string;
  text: string;
  emotion: string;
}

function readLabelledTexts(file: string): LabelledText[] {
  let table: string[][];
  try {
    table = parseCsv(readFileSync(file, 'utf8'));
  } catch (err) {
    if (err instanceof CsvFormatError) throw new MediaInputError(file, err.message);
    throw new MediaInputError(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const [head, ...rows] = table;
  const cols = (head ?? []).map((c) => c.trim());
  const at = (name: string) => cols.indexOf(name);
  if (at('id') < 0 || at('text') < 0 || at('emotion') < 0)
    throw new MediaInputError(file, `needs the columns id,text,emotion; has ${cols.join(',') || 'none'}`);
  return rows.map((r) => ({ id: (r[at('id')] ?? '').trim(), text: r[at('text')] ?? '', emotion: (r[at('emotion')] ?? '').trim() }));
}

/** affect eval text <csv> [--model <id|dir>] [--predictions out.csv] [--json] [--threads n] */
export async function runEvalText(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    model: { type: 'string', default: DEFAULT_MODEL_IDS.textEmotion },
    predictions: { type: 'string' },
    json: { type: 'boolean', default: false },
    threads: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('eval text needs exactly one <csv> with the columns id,text,emotion');
  const file = path.resolve(positionals[0]);
  const modelDir = modelOption(values.model!);
  const threads = threadsOption(values.threads);

  const rows = readLabelledTexts(file);
  const model = await TextEmotionModel.load(modelDir, { threads });
  try {
    const known = new Set(model.labels);
    const usable = rows.filter((r) => known.has(r.emotion));
    const skipped = rows.length - usable.length;
    if (skipped)
      writeLine(
        io.stderr,
        `skipped ${skipped} row${skipped > 1 ? 's' : ''} whose emotion is not one of the model's labels (${model.labels.join(', ')})`,
      );
    if (usable.length === 0) throw new MediaInputError(file, 'no rows with a label the model knows');

    const estimates: TextEstimate[] = [];
    const progress = progressPrinter(io.stderr, io.interactive, 'eval text');
    const tracker = new ProgressTracker(progress.print, io.interactive ? 200 : 0);
    const start = performance.now();
    for (let s = 0; s < usable.length; s += CHUNK) {
      throwIfAborted(io.signal, 'evaluation');
      estimates.push(
        ...(await model.classify(
          usable.slice(s, s + CHUNK).map((r) => r.text),
          io.signal,
        )),
      );
      tracker.update(
        'classifying',
        estimates.length / usable.length,
        `${estimates.length}/${usable.length} texts`,
        estimates.length === usable.length,
      );
    }
    progress.end();
    const seconds = (performance.now() - start) / 1000;

    const truth = usable.map((r) => r.emotion);
    const forced = estimates.map((e) => e.top);
    const report = classificationReport(model.labels, truth, forced);
    const kept = estimates.map((e, i) => [e, i] as const).filter(([e]) => e.label !== null);
    const abstain = {
      abstainBelow: model.manifest.abstainBelow,
      labelled: kept.length / usable.length,
      accuracyOfLabelled: kept.length ? kept.filter(([e, i]) => e.label === truth[i]).length / kept.length : 0,
    };
    const truncated = estimates.filter((e) => e.truncated).length;

    if (values.predictions) {
      const out = path.resolve(values.predictions);
      writeFileSync(
        out + '.partial',
        toCsv(
          ['id', 'predicted', 'confidence'],
          usable.map((r, i) => [r.id, estimates[i].top ?? '', estimates[i].confidence.toFixed(4)]),
        ),
      );
      renameSync(out + '.partial', out);
    }
    const { abstained, ...metrics } = report;
    if (values.json) {
      writeLine(
        io.stdout,
        JSON.stringify({
          ...metrics,
          noTokens: abstained,
          abstain,
          truncated,
          skipped,
          secondsPerThousandTexts: (1000 * seconds) / usable.length,
          model: { id: model.manifest.id, version: model.manifest.version, dir: modelDir, tinyRandomWeights: model.manifest.tinyRandomWeights },
        }),
      );
    } else {
      if (model.manifest.tinyRandomWeights) writeLine(io.stdout, 'WARNING: this model has random weights (test fixture); its figures mean nothing.');
      writeLine(
        io.stdout,
        `model ${model.manifest.id} ${model.manifest.version}; ${usable.length} texts from ${file}` + (skipped ? ` (${skipped} skipped)` : ''),
      );
      writeLine(io.stdout, formatReport(report));
      writeLine(
        io.stdout,
        `\nforced choice above (every text gets its top label${abstained ? `; ${abstained} without any token count as wrong` : ''}). ` +
          `With abstaining below ${abstain.abstainBelow}: ${(100 * abstain.labelled).toFixed(1)}% labelled, ${(100 * abstain.accuracyOfLabelled).toFixed(1)}% of those right.`,
      );
      if (truncated)
        writeLine(
          io.stdout,
          `${truncated} text${truncated > 1 ? 's were' : ' was'} longer than ${model.manifest.tokenizer.maxTokens} tokens and read from the start only.`,
        );
      writeLine(io.stdout, `${seconds.toFixed(1)} s (${((1000 * seconds) / usable.length).toFixed(2)} ms a text)`);
      writeLine(io.stdout, 'Labels are expression estimates, not diagnoses.');
    }
    return 0;
  } finally {
    await model.release();
  }
}
