import { readFileSync } from 'node:fs';
import path from 'node:path';
import { toCsv } from '../../analysis/csv.js';
import { readResponsesCsv, type ResponseRow } from '../../analysis/dass/responses-csv.js';
import { SUBSCALES, scoreDass21 } from '../../contract/shared/dass-score.js';
import { estimateSeverity, loadSeverityEstimator } from '../../analysis/dass/severity-rf.js';
import { writePrivateFile } from '../../privacy/private-files.js';
import type { CliIO } from '../io.js';
import { UsageError, parseCommandArgs, writeLine } from '../io.js';

export const SCORE_COLUMNS = ['id', 'depression', 'anxiety', 'stress', 'depressionBand', 'anxietyBand', 'stressBand', 'complete'] as const;
export const ESTIMATE_COLUMNS = ['id', 'subscale', 'missingItems', 'estimatedBand', 'voteShare', 'status'] as const;
export const ESTIMATE_LABEL = 'ESTIMATE (random forest; not a DASS score)';

/**
 * `affect dass score --csv <in.csv> [--out <out.csv>]` and `affect dass estimate --csv <in.csv> [--out <out.csv>]`.
 *
 * Invalid input policy: the whole file is validated first; if ANY row is invalid, every problem is listed
 * on stderr (row id + item), NOTHING is written, and the exit code is 1. A clinician never receives a file
 * in which some rows were silently dropped or mis-scored.
 */
export async function runDass(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'score' && sub !== 'estimate')
    throw new UsageError(sub ? `unknown dass subcommand "${sub}" (score | estimate)` : 'missing subcommand (score | estimate)');
  const { values, positionals } = parseCommandArgs(rest, { csv: { type: 'string' }, out: { type: 'string' } }, false);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!values.csv) throw new UsageError('--csv <in.csv> is required');
  if (values.out && path.resolve(values.out) === path.resolve(values.csv)) throw new UsageError('--out must not be the input file');

  let text: string;
  try {
    text = readFileSync(values.csv, 'utf8');
  } catch (err) {
    writeLine(io.stderr, `affect dass: cannot read ${values.csv}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return 1;
  }
  let parsed;
  try {
    parsed = readResponsesCsv(text);
  } catch (err) {
    writeLine(io.stderr, `affect dass: ${values.csv}: ${(err as Error).message}; nothing was written`);
    return 1;
  }
  for (const w of parsed.warnings) writeLine(io.stderr, `affect dass: note: ${w}`);
  if (parsed.errors.length > 0) {
    for (const e of parsed.errors) writeLine(io.stderr, `affect dass: ${values.csv}: ${e}`);
    writeLine(io.stderr, `affect dass: ${parsed.errors.length} problem(s) found; nothing was scored or written. Fix the file and run again.`);
    return 1;
  }

  const output = sub === 'score' ? scoreCsv(parsed.rows, io) : estimateCsv(parsed.rows, io);
  if (values.out) {
    try {
      writePrivateFile(values.out, output);
    } catch (err) {
      writeLine(io.stderr, `affect dass: cannot write ${values.out}: ${(err as Error).message}`);
      return 1;
    }
    writeLine(io.stderr, `affect dass: wrote ${values.out}`);
  } else io.stdout.write(output);
  return 0;
}

function scoreCsv(rows: readonly ResponseRow[], io: CliIO): string {
  const prorated: string[] = [];
  const incomplete: string[] = [];
  const lines = rows.map((r) => {
    const s = scoreDass21(r.answers);
    for (const sub of SUBSCALES) {
      if (s[sub].prorated) prorated.push(`${r.id} ${sub} (item ${s[sub].missingItems[0]} missing)`);
      if (!s[sub].complete) incomplete.push(`${r.id} ${sub} (items ${s[sub].missingItems.join(', ')} missing)`);
    }
    return [r.id, s.depression.score, s.anxiety.score, s.stress.score, s.depression.band, s.anxiety.band, s.stress.band, s.complete];
  });
  writeLine(io.stderr, `affect dass: scored ${rows.length} row(s). DASS-21 scores (x2) for a clinician to interpret; not a diagnosis.`);
  if (prorated.length > 0) writeLine(io.stderr, `affect dass: prorated (one item missing, x7/6): ${prorated.join('; ')}`);
  if (incomplete.length > 0)
    writeLine(io.stderr, `affect dass: no score (two or more items missing): ${incomplete.join('; ')}. See \`affect dass estimate\`.`);
  return toCsv(SCORE_COLUMNS, lines);
}

function estimateCsv(rows: readonly ResponseRow[], io: CliIO): string {
  const estimator = loadSeverityEstimator();
  const lines: (string | number | null)[][] = [];
  for (const r of rows) {
    const s = scoreDass21(r.answers);
    for (const sub of SUBSCALES) {
      if (s[sub].complete) continue;
      const e = estimateSeverity(estimator, r.answers, sub);
      lines.push(
        e.kind === 'estimate'
          ? [r.id, sub, e.missingItems, e.band, Number(e.voteShare.toFixed(3)), ESTIMATE_LABEL]
          : [r.id, sub, e.missingItems, null, null, e.reason],
      );
    }
  }
  writeLine(
    io.stderr,
    `affect dass: ${lines.length} unscorable subscale(s) in ${rows.length} row(s). Band ESTIMATES from ${estimator.manifest.id} ${estimator.manifest.version}; ` +
      'not DASS scores, not a diagnosis; accuracy per number of missing items is in native-models/dass-severity-rf/MODEL_CARD.md.',
  );
  return toCsv(ESTIMATE_COLUMNS, lines);
}
