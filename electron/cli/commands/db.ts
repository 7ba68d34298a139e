import { existsSync } from 'node:fs';
import { defaultDatabasePath } from '../../store/default-paths.js';
import { backupDatabase, changePassphrase, encryptDatabase, restoreDatabase } from '../../store/db-maintenance.js';
import { compactAfterErasure } from '../../store/erase-repo.js';
import { inspectDatabase } from '../../store/open-database.js';
import { parseCommandArgs, UsageError, writeLine, type CliIO } from '../io.js';
import { openCliDatabase } from '../open-db.js';
import { canPrompt, NEW_PASSPHRASE_ENV, PASSPHRASE_ENV, passphraseFromEnv, promptHidden, promptNewPassphrase } from '../passphrase.js';

const SUBCOMMANDS = ['encrypt', 'rekey', 'backup', 'restore', 'compact'] as const;

async function newPassphrase(env: string, what: string): Promise<string> {
  const given = passphraseFromEnv(env) ?? (canPrompt() ? await promptNewPassphrase(what) : null);
  if (given === null) throw new Error(`a new passphrase is needed: set ${env} or run in a terminal to be asked`);
  return given;
}

async function currentPassphrase(dbPath: string): Promise<string> {
  const given = passphraseFromEnv() ?? (canPrompt() ? await promptHidden(`Current passphrase for ${dbPath}: `) : null);
  if (given === null)
    throw new Error(`${dbPath}: is encrypted; set ${PASSPHRASE_ENV} or run in a terminal to be asked for its passphrase (nothing was changed)`);
  return given;
}

/**
 * affect db encrypt [--db <path>]           encrypt a plain database in place (passphrase: AFFECT_PASSPHRASE or asked twice)
 * affect db rekey [--db <path>]             change the passphrase (current: AFFECT_PASSPHRASE or asked; new: AFFECT_NEW_PASSPHRASE or asked twice)
 * affect db backup --out <file> [--db <path>]  a consistent copy while in use, encrypted like the database (+ <file>.kdf.json)
 * affect db restore <file> [--db <path>]    replace the database with a backup (its passphrase: AFFECT_PASSPHRASE or asked)
 * affect db compact [--db <path>]           checkpoint the WAL away and vacuum (after erasures made while the file was in use)
 */
export async function runDb(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (!SUBCOMMANDS.includes(sub as (typeof SUBCOMMANDS)[number]))
    throw new UsageError(sub ? `unknown db subcommand "${sub}" (${SUBCOMMANDS.join(' | ')})` : `missing subcommand (${SUBCOMMANDS.join(' | ')})`);
  const { values, positionals } = parseCommandArgs(rest, { db: { type: 'string' }, out: { type: 'string' } });
  const dbPath = values.db ?? defaultDatabasePath();
  if (sub === 'restore') {
    if (positionals.length !== 1) throw new UsageError('db restore needs the backup file');
    const backup = positionals[0];
    const kind = existsSync(backup) ? inspectDatabase(backup) : 'new';
    const pass =
      kind === 'encrypted' ? (passphraseFromEnv() ?? (canPrompt() ? await promptHidden(`Passphrase of the backup ${backup}: `) : null)) : null;
    const { replaced } = await restoreDatabase(dbPath, backup, pass, { actor: 'cli' });
    writeLine(
      io.stderr,
      `affect db: restored ${dbPath} from ${backup}${replaced ? `; the database it replaced is kept as ${replaced} (delete it once you no longer need it)` : ''}`,
    );
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!existsSync(dbPath)) throw new Error(`${dbPath}: no such database`);
  if (sub === 'encrypt') {
    if (inspectDatabase(dbPath) === 'encrypted') throw new Error(`${dbPath}: is already encrypted (change its passphrase with affect db rekey)`);
    await encryptDatabase(dbPath, await newPassphrase(PASSPHRASE_ENV, dbPath), { actor: 'cli' });
    writeLine(io.stderr, `affect db: ${dbPath} is now encrypted; its key-derivation file is ${dbPath}.kdf.json — back up both (affect db backup)`);
    return 0;
  }
  if (sub === 'rekey') {
    if (inspectDatabase(dbPath) !== 'encrypted') throw new Error(`${dbPath}: is not encrypted; use affect db encrypt`);
    const current = await currentPassphrase(dbPath);
    await changePassphrase(dbPath, current, await newPassphrase(NEW_PASSPHRASE_ENV, dbPath), { actor: 'cli' });
    writeLine(io.stderr, `affect db: the passphrase of ${dbPath} is changed; backups made before keep the old one`);
    return 0;
  }
  const { db, key } = await openCliDatabase(dbPath, io, { mustExist: true });
  try {
    if (sub === 'backup') {
      if (!values.out) throw new UsageError('db backup needs --out <file>');
      const { bytes } = backupDatabase(db, dbPath, values.out, { key, actor: 'cli' });
      writeLine(io.stdout, values.out);
      writeLine(
        io.stderr,
        `affect db: backup of ${dbPath} written (${(bytes / 1048576).toFixed(1)} MiB, ${key ? `encrypted; keep ${values.out}.kdf.json with it` : 'NOT encrypted'})`,
      );
      return 0;
    }
    const r = compactAfterErasure(db);
    if (!r.ok) throw new Error(r.warning);
    writeLine(io.stderr, `affect db: ${dbPath} compacted`);
    return 0;
  } finally {
    db.close();
  }
}
