import type { CliIO, CommandRunner } from './io.js';
import { UsageError, writeLine } from './io.js';

const USAGE = `affect — offline expression estimates for recorded sessions

Usage:
  affect analyze <file|dir…> [--db <path>] [--fps <n>] [--client <code>] [--shard i/N] [--force] [--json]
                 [--face-model <id|dir>] [--voice-model <id|dir>] [--detector <id|dir>]   (see: affect models)
  affect merge <db…> --into <db> [--json]
  affect eval face <dir> [--model <id>] [--cropped] [--predictions <out.csv>] [--json]
  affect eval voice <dir> [--model <id>] [--labels a,b,c+d] [--predictions <out.csv>] [--json]
  affect dass score --csv <in.csv> [--out <out.csv>]
  affect dass estimate --csv <in.csv>
  affect models
  affect agreement (--session <id> | --all) --a <annotator> --b <annotator|model-face|model-voice|model-fused> [--slice 0.1] [--db <path>] [--json]
  affect export <session-id|client:<code>|all> --format csv|json|eaf|pdf --out <path> [--per frame|window|segment|summary] [--db <path>]
  affect import-eaf <file.eaf> --session <id> [--tier <id>…] [--db <path>] [--json]
  affect --help

All estimates are expression estimates, not diagnoses.`;

/** Commands are loaded lazily so `affect dass` never pays for onnxruntime start-up. */
const COMMANDS: Record<string, () => Promise<CommandRunner>> = {
  analyze: async () => (await import('./commands/analyze.js')).runAnalyze,
  eval: async () => (await import('./commands/eval.js')).runEval,
  dass: async () => (await import('./commands/dass.js')).runDass,
  models: async () => (await import('./commands/models.js')).runModels,
  agreement: async () => (await import('./commands/agreement.js')).runAgreement,
  export: async () => (await import('./commands/export.js')).runExport,
  'import-eaf': async () => (await import('./commands/export.js')).runImportEaf,
  merge: async () => (await import('./commands/merge.js')).runMerge,
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
