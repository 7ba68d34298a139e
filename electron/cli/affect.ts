import type { CliIO, CommandRunner } from './io.js';
import { UsageError, writeLine } from './io.js';

const USAGE = `affect — offline expression estimates for recorded sessions

Usage:
  affect analyze <file|dir…> [--db <path>] [--fps <n>] [--client <code>] [--speakers <n>] [--shard i/N] [--force] [--json] [--plain]
                 [--face-model <id|dir>] [--voice-model <id|dir>] [--detector <id|dir>]   (see: affect models)
  affect participants <session-id> [--name <pid>=<name>…] [--unname <pid>…] [--client <pid>|none] [--db <path>] [--json]
                 [--transcript <file>] [--no-transcript] [--text-model <id|dir>]   (talk.vtt/.srt/.eaf/.txt beside talk.mp4 is picked up)
  affect transcript attach <session-id> <file> [--replace] [--format webvtt|srt|timestamped-text|eaf] [--tier <id>…] [--json] [--db <path>]
  affect transcript show <session-id> [--json] [--db <path>]
  affect transcript search client:<code> <words…> [--limit <n>] [--json] [--db <path>]
  affect transcript speaker <session-id> <name in the file> [--name <name> | --clear-name] [--participant <n> | --unmap] [--db <path>]
  affect merge <db…> --into <db> [--json]
  affect eval face <dir> [--model <id>] [--cropped] [--predictions <out.csv>] [--json]
  affect eval voice <dir> [--model <id>] [--labels a,b,c+d] [--predictions <out.csv>] [--json]
  affect eval text <csv with id,text,emotion> [--model <id|dir>] [--predictions <out.csv>] [--json]
  affect dass score --csv <in.csv> [--out <out.csv>]
  affect dass estimate --csv <in.csv>
  affect models
  affect agreement (--session <id> | --all) --a <annotator> --b <annotator|model-face|model-voice|model-fused> [--slice 0.1] [--db <path>] [--json]
                 (model-face-p2 … for participant 2's estimates; plain model-face is the participant the summary describes)
  affect export <session-id|client:<code>|all> --format csv|json|eaf|pdf --out <path> [--per frame|window|segment|participant|summary|transcript|selfcare] [--no-text] [--db <path>]
  affect import-eaf <file.eaf> --session <id> [--tier <id>…] [--db <path>] [--json]
  affect erase client <code> | session <id> | transcript <session-id> [--yes] [--db <path>]
  affect audit [verify] [--json] [--db <path>]
  affect db encrypt | rekey | compact [--db <path>]
  affect db backup --out <file> [--db <path>]
  affect db restore <backup-file> [--db <path>]
  affect --help

Encrypted databases: the passphrase comes from AFFECT_PASSPHRASE, or is asked for on a terminal
(AFFECT_NEW_PASSPHRASE for the new one of \`db rekey\`). All estimates are expression estimates, not diagnoses.`;

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
  participants: async () => (await import('./commands/participants.js')).runParticipants,
  erase: async () => (await import('./commands/erase.js')).runErase,
  audit: async () => (await import('./commands/audit.js')).runAudit,
  db: async () => (await import('./commands/db.js')).runDb,
  transcript: async () => (await import('./commands/transcript.js')).runTranscript,
};

/** The usage lines of one command (with their continuation lines), and the closing note. */
export function commandUsage(name: string): string {
  const lines = USAGE.split('\n');
  const out: string[] = [];
  let inCommand = false;
  for (const line of lines) {
    if (/^  affect /.test(line)) inCommand = line.startsWith(`  affect ${name} `) || line === `  affect ${name}`;
    else if (!/^\s{4,}/.test(line)) inCommand = false;
    if (inCommand) out.push(line);
  }
  return `Usage:\n${out.join('\n')}\n\nAll estimates are expression estimates, not diagnoses.`;
}

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
  if (rest.includes('--help') || rest.includes('-h') || (rest[0] === 'help' && rest.length === 1)) {
    writeLine(io.stdout, commandUsage(name));
    return 0;
  }
  try {
    return await (
      await load()
    )(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      writeLine(io.stderr, `affect ${name}: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}
