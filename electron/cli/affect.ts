import type { CliIO, CommandRunner } from './io.js';
import { UsageError, writeLine } from './io.js';

const USAGE = `affect — offline expression estimates for recorded sessions

Usage:
  affect analyze <file|dir…> [--db <path>] [--fps <n>] [--json]
  affect eval face <dir> [--model <id>] [--cropped] [--predictions <out.csv>] [--json]
  affect eval voice <dir> [--model <id>] [--predictions <out.csv>] [--json]
  affect dass score --csv <in.csv> [--out <out.csv>]
  affect dass estimate --csv <in.csv>
  affect models
  affect --help

All estimates are expression estimates, not diagnoses.`;

/** Commands are loaded lazily so `affect dass` never pays for onnxruntime start-up. */
const COMMANDS: Record<string, () => Promise<CommandRunner>> = {
  analyze: async () => (await import('./commands/analyze.js')).runAnalyze,
  eval: async () => (await import('./commands/eval.js')).runEval,
  dass: async () => (await import('./commands/dass.js')).runDass,
  models: async () => (await import('./commands/models.js')).runModels,
};

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    writeLine(name ? io.stdout : io.stderr, USAGE);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    writeLine(io.stderr, `affect: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await (await load())(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      writeLine(io.stderr, `affect ${name}: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}
