import { existsSync } from 'node:fs';
import { inspectDatabase, openWithPassphrase, type OpenedDatabase } from '../store/open-database.js';
import { writeLine, type CliIO } from './io.js';
import { canPrompt, passphraseFromEnv, PASSPHRASE_ENV, promptHidden, promptNewPassphrase } from './passphrase.js';

/**
 * How every CLI command opens its database: the passphrase from AFFECT_PASSPHRASE or, on a terminal, a prompt.
 * An encrypted database without (or with a wrong) passphrase, or a plain one given a passphrase, throws one
 * line naming the database and nothing is changed; a plain database without one opens with a warning on stderr.
 * A new database is created encrypted when there is a passphrase (on a terminal one is asked for).
 */
export async function openCliDatabase(dbPath: string, io: CliIO, { mustExist = false, plain = false } = {}): Promise<OpenedDatabase> {
  if (mustExist && !existsSync(dbPath)) throw new Error(`${dbPath}: no such database`);
  const kind = inspectDatabase(dbPath);
  // --plain (the demo on the bundled public sample): never ask, never encrypt; an encrypted database is refused.
  if (plain && kind === 'encrypted') throw new Error(`${dbPath}: is encrypted; --plain is only for unencrypted databases (nothing was changed)`);
  let passphrase = plain ? null : passphraseFromEnv();
  if (passphrase === null && !plain && canPrompt()) {
    if (kind === 'encrypted') passphrase = await promptHidden(`Passphrase for ${dbPath}: `);
    else if (kind === 'new') passphrase = await promptNewPassphrase(`the new database ${dbPath}`);
  }
  if (kind === 'encrypted' && passphrase === null)
    throw new Error(`${dbPath}: is encrypted; set ${PASSPHRASE_ENV} or run in a terminal to be asked for its passphrase (nothing was changed)`);
  const opened = await openWithPassphrase(dbPath, passphrase);
  if (!opened.key)
    writeLine(
      io.stderr,
      `warning: ${dbPath} is not encrypted; \`affect db encrypt --db ${dbPath}\` encrypts it (set ${PASSPHRASE_ENV} to create new databases encrypted)`,
    );
  return opened;
}
