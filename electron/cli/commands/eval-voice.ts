import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { classificationReport, formatReport } from '../../analysis/metrics.js';
import { MediaInputError, throwIfAborted } from '../../analysis/media/errors.js';
import { resolveFfmpeg } from '../../analysis/media/ffmpeg-path.js';
import { DEFAULT_MODEL_IDS } from '../../analysis/models/registry.js';
import { classifyAudioFile, voteWindows, VoiceEmotionModel } from '../../analysis/voice/voice-model.js';
import { groupOfLabel, groupProbabilities, LabelGroupsError, parseLabelGroups, type LabelGroups } from '../../analysis/voice/label-groups.js';
import { parseCommandArgs, UsageError, writeLine, type CliIO } from '../io.js';
import { modelOption, threadsOption } from './eval-options.js';

/** Minimal RFC-4180 CSV: quoted fields, doubled quotes, CRLF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(field), (field = ''));
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      (row.push(field), rows.push(row), (row = []), (field = ''));
    } else field += c;
  }
  if (field !== '' || row.length) (row.push(field), rows.push(row));
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

interface LabelledFile {
  path: string;
  emotion: string;
}

function readLabels(dir: string): LabelledFile[] {
  const file = path.join(dir, 'labels.csv');
  if (!existsSync(file)) throw new MediaInputError(file, 'labels.csv is missing (needs at least the columns path,emotion)');
  const [head, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const cols = (head ?? []).map((c) => c.trim());
  const pi = cols.indexOf('path');
  const ei = cols.indexOf('emotion');
  if (pi < 0 || ei < 0) throw new MediaInputError(file, `needs columns path,emotion; has ${cols.join(',')}`);
  return rows.map((r) => ({ path: (r[pi] ?? '').trim(), emotion: (r[ei] ?? '').trim() }));
}

function formatSeconds(s: number): string {
  return s >= 90 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

export async function runEvalVoice(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    model: { type: 'string', default: DEFAULT_MODEL_IDS.voiceEmotion },
    predictions: { type: 'string' },
    json: { type: 'boolean', default: false },
    threads: { type: 'string' },
    labels: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('eval voice needs exactly one <dir> holding audio files and labels.csv');
  const dir = path.resolve(positionals[0]);
  const modelDir = modelOption(values.model!);
  const threads = threadsOption(values.threads);

  const rows = readLabels(dir);
  const ff = resolveFfmpeg();
  const model = await VoiceEmotionModel.load(modelDir, { threads });
  try {
    // --labels a,b,c+d: score on these classes only (c+d merges two of the model's labels); files of other emotions are skipped.
    let groups: LabelGroups | null = null;
    try {
      groups = values.labels ? parseLabelGroups(values.labels, model.labels) : null;
    } catch (err) {
      if (err instanceof LabelGroupsError) throw new UsageError(err.message);
      throw err;
    }
    const classOf = (emotion: string) => (groups ? groupOfLabel(groups, model.labels, emotion) : model.labels.includes(emotion) ? emotion : null);
    const classes = groups ? groups.names : model.labels;
    const usable: LabelledFile[] = [];
    for (const row of rows) {
      if (classOf(row.emotion) === null) {
        writeLine(
          io.stderr,
          `skipped ${row.path}: emotion "${row.emotion}" is not one of the ${groups ? 'classes of --labels' : "model's labels"} (${classes.join(', ')})`,
        );
        continue;
      }
      const file = path.resolve(dir, row.path);
      if (!existsSync(file)) throw new MediaInputError(file, 'listed in labels.csv but not found');
      usable.push(row);
    }
    if (usable.length === 0) throw new MediaInputError(path.join(dir, 'labels.csv'), 'no rows with a label the model knows');

    const truth: string[] = [];
    const predicted: (string | null)[] = [];
    const confidences: number[] = [];
    let audioSeconds = 0;
    const start = performance.now();
    let lastProgress = 0;
    for (let i = 0; i < usable.length; i++) {
      throwIfAborted(io.signal, 'evaluation');
      const result = await classifyAudioFile(path.resolve(dir, usable[i].path), ff, model, io.signal);
      const vote = groups
        ? voteWindows(
            result.windows.map((w) => groupProbabilities(w.probabilities, groups)),
            groups.names,
          )
        : result.vote;
      truth.push(classOf(usable[i].emotion)!);
      predicted.push(vote.label);
      confidences.push(vote.confidence);
      audioSeconds += result.audioSeconds;
      const now = performance.now();
      if (io.interactive || now - lastProgress > 5000 || i + 1 === usable.length) {
        lastProgress = now;
        const elapsed = (now - start) / 1000;
        const eta = (elapsed / (i + 1)) * (usable.length - i - 1);
        const line = `eval voice: ${i + 1}/${usable.length} files, ${formatSeconds(elapsed)} elapsed, ETA ${formatSeconds(eta)}`;
        io.stderr.write(io.interactive ? `\r${line}${i + 1 === usable.length ? '\n' : ''}` : line + '\n');
      }
    }
    const processingSeconds = (performance.now() - start) / 1000;
    const report = classificationReport(classes, truth, predicted);
    const realTimeFactor = audioSeconds > 0 ? processingSeconds / audioSeconds : 0;

    if (values.predictions) {
      const out = path.resolve(values.predictions);
      const lines = [
        'path,predicted,confidence',
        ...usable.map((r, i) => [csvField(r.path), csvField(predicted[i] ?? ''), confidences[i].toFixed(4)].join(',')),
      ];
      writeFileSync(out + '.partial', lines.join('\n') + '\n');
      renameSync(out + '.partial', out);
    }
    const { abstained, ...metrics } = report;
    if (values.json) {
      writeLine(
        io.stdout,
        JSON.stringify({
          ...metrics,
          realTimeFactor,
          abstained,
          skipped: rows.length - usable.length,
          audioSeconds,
          model: { id: model.manifest.id, version: model.manifest.version, dir: modelDir, tinyRandomWeights: model.manifest.tinyRandomWeights },
        }),
      );
    } else {
      if (model.manifest.tinyRandomWeights) writeLine(io.stdout, 'WARNING: this model has random weights (test fixture); its figures mean nothing.');
      writeLine(
        io.stdout,
        `model ${model.manifest.id} ${model.manifest.version}; ${usable.length} files from ${dir}` +
          (rows.length > usable.length ? ` (${rows.length - usable.length} skipped)` : ''),
      );
      writeLine(io.stdout, formatReport(report));
      writeLine(
        io.stdout,
        `\nreal-time factor ${realTimeFactor.toFixed(4)} (${processingSeconds.toFixed(1)} s for ${audioSeconds.toFixed(1)} s of audio)`,
      );
      writeLine(io.stdout, 'Labels are expression estimates, not diagnoses.');
    }
    return 0;
  } finally {
    await model.release();
  }
}
