import { AnalysisEngine } from '../../analysis/engine.js';
import { CancelledError, MediaInputError } from '../../analysis/media/errors.js';
import { ensureClient } from '../../store/clients-repo.js';
import { openDatabase } from '../../store/db.js';
import { defaultDatabasePath } from '../../store/default-paths.js';
import { saveAnalysis } from '../../store/sessions-repo.js';
import { formatSummary } from '../format-summary.js';
import { parseCommandArgs, UsageError, writeLine, type CliIO } from '../io.js';
import { expandInputs } from '../media-files.js';
import { progressPrinter } from '../progress-line.js';

/**
 * affect analyze <file|dir…> [--db <path>] [--fps <n>] [--client <code>] [--json] [--threads <n>]
 * Each file is analysed, then stored in one transaction. A bad file gets one line on stderr naming it
 * and the problem; the others go on; the exit code is 1 if any file failed.
 */
export async function runAnalyze(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    db: { type: 'string' },
    fps: { type: 'string' },
    client: { type: 'string' },
    json: { type: 'boolean', default: false },
    threads: { type: 'string' },
    'no-store': { type: 'boolean', default: false },
  });
  if (positionals.length === 0) throw new UsageError('analyze needs at least one file or directory');
  const fps = values.fps === undefined ? 2 : Number(values.fps);
  if (!(fps > 0 && fps <= 60)) throw new UsageError(`--fps must be a number in (0, 60], got "${values.fps}"`);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) throw new UsageError(`--threads must be a positive integer`);

  const { files, emptyDirs } = expandInputs(positionals);
  for (const dir of emptyDirs) writeLine(io.stderr, `affect: ${dir}: is a directory with no audio or video files in it`);
  if (files.length === 0) return 1;
  const dbPath = values.db ?? defaultDatabasePath();
  const db = values['no-store'] ? null : openDatabase(dbPath);
  const engine = await AnalysisEngine.create({ threads });
  if (!values.json) writeLine(io.stderr, `ffmpeg: ${engine.ffmpeg.ffmpeg} (${engine.ffmpeg.source})${db ? `; database: ${dbPath}` : ''}`);
  let failures = emptyDirs.length;
  try {
    const clientId = db && values.client ? ensureClient(db, values.client).id : null;
    for (const [i, file] of files.entries()) {
      const label = files.length > 1 ? `[${i + 1}/${files.length}] ${file}` : file;
      const progress = progressPrinter(io.stderr, io.interactive, label);
      try {
        const result = await engine.analyze(file, { fps, signal: io.signal, onProgress: progress.print });
        progress.end();
        if (db) result.summary.session.id = saveAnalysis(db, result, { clientId });
        if (values.json) writeLine(io.stdout, JSON.stringify(result.summary));
        else writeLine(io.stdout, formatSummary(result.summary));
      } catch (err) {
        progress.end();
        if (err instanceof CancelledError) throw err;
        if (!(err instanceof MediaInputError)) throw err;
        failures++;
        writeLine(io.stderr, `affect: ${err.message}`);
      }
    }
  } finally {
    db?.close();
    await engine.close();
  }
  return failures > 0 ? 1 : 0;
}
