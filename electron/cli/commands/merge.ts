import { existsSync } from 'node:fs';
import path from 'node:path';
import { openCliDatabase } from '../open-db.js';
import { passphraseFromEnv } from '../passphrase.js';
import { inspectDatabase, openWithPassphrase } from '../../store/open-database.js';
import { mergeDatabase } from '../../store/merge.js';
import { parseCommandArgs, UsageError, writeLine, type CliIO } from '../io.js';

/** affect merge <db…> --into <db> [--json]: combine shard databases without duplicates. */
export async function runMerge(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { into: { type: 'string' }, json: { type: 'boolean', default: false } });
  if (!values.into) throw new UsageError('merge needs --into <db>');
  if (positionals.length === 0) throw new UsageError('merge needs at least one source database');
  const { db: target } = await openCliDatabase(values.into, io);
  const reports = [];
  let failures = 0;
  try {
    for (const source of positionals) {
      if (path.resolve(source) === path.resolve(values.into)) {
        writeLine(io.stderr, `affect: ${source}: is the target database; skipped`);
        continue;
      }
      if (!existsSync(source)) {
        writeLine(io.stderr, `affect: ${source}: no such file`);
        failures++;
        continue;
      }
      try {
        // An encrypted source opens with AFFECT_PASSPHRASE (each file with its own key-derivation record).
        const src = await openWithPassphrase(source, inspectDatabase(source) === 'encrypted' ? passphraseFromEnv() : null, { create: false });
        src.db.close();
        const r = mergeDatabase(target, source, src.key);
        reports.push(r);
        if (!values.json)
          writeLine(
            io.stderr,
            `${source}: ${r.sessionsAdded} sessions (${r.participantsAdded} participants) added, ${r.sessionsSkipped} already there, ${r.clientsAdded} clients, ${r.dassAdded} DASS-21 administrations and ${r.selfCareRunsAdded} self-care runs added`,
          );
      } catch (err) {
        failures++;
        writeLine(io.stderr, `affect: ${source}: ${(err as Error).message}; nothing from it was merged`);
      }
    }
  } finally {
    target.close();
  }
  if (values.json) writeLine(io.stdout, JSON.stringify({ into: values.into, sources: reports }));
  return failures > 0 ? 1 : 0;
}
