import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg } from '../../analysis/media/ffmpeg-path.js';
import { makeDirsPrivately, writePrivateFile } from '../../privacy/private-files.js';
import { ensureFrameTimes, listSegments } from '../../store/annotations-repo.js';
import { appendAudit } from '../../store/audit-repo.js';
import { openCliDatabase } from '../open-db.js';
import { defaultDatabasePath } from '../../store/default-paths.js';
import { getSession } from '../../store/sessions-repo.js';
import { importEaf, sessionToEaf } from '../../export/eaf-session.js';
import { buildSessionReport } from '../../export/report-data.js';
import { renderSessionReportPdf } from '../../export/report-pdf.js';
import { EXPORT_LEVELS, exportTable, tableToCsv, tableToJson, type ExportLevel } from '../../export/tables.js';
import { ExportTargetError, resolveSessions } from '../../export/targets.js';
import { resolveClients, selfcareTable, selfcareTableToJson } from '../../export/selfcare-table.js';
import { transcriptJson, transcriptTable } from '../../export/transcript-export.js';
import { parseCommandArgs, UsageError, writeLine, type CliIO } from '../io.js';

const FORMATS = ['csv', 'json', 'eaf', 'pdf'] as const;
type Format = (typeof FORMATS)[number];

async function openExisting(dbPath: string, io: CliIO, command: string) {
  if (!existsSync(dbPath)) {
    writeLine(io.stderr, `affect ${command}: ${dbPath}: no such database`);
    return null;
  }
  return (await openCliDatabase(dbPath, io)).db;
}

/**
 * affect export <session-id|client:<code>|all> --format csv|json|eaf|pdf --out <path> [--per frame|window|segment|participant|summary|transcript|selfcare] [--no-text] [--db <path>]
 * csv/json: one file with a session_id column (default --per summary). eaf/pdf: one file per session;
 * with several sessions --out is a folder (created), files named session-<id>.<format>.
 * --per transcript (csv/json): the sessions' transcripts, one row per line with its text estimate.
 * --no-text (pdf): no word of the transcript in the report (no lines, no file name, speakers by number).
 * --per selfcare (csv/json, client:<code> or all): the clients' self-care exercise runs, one row per run.
 */
export async function runExport(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    db: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    per: { type: 'string' },
    'no-text': { type: 'boolean', default: false },
  });
  if (positionals.length !== 1) throw new UsageError('export needs one target: a session id, client:<code> or all');
  const format = values.format as Format | undefined;
  if (!format || !FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  if (!values.out) throw new UsageError('export needs --out <path>');
  if (values.per !== undefined && (format === 'eaf' || format === 'pdf')) throw new UsageError(`--per applies to csv and json only`);
  if (values['no-text'] && format !== 'pdf')
    throw new UsageError('--no-text applies to the pdf report only (csv, json and eaf exports of a transcript are its words)');
  if (values.per === 'selfcare') return exportSelfCare(positionals[0], format, values.out, values.db, io);
  const per = (values.per ?? 'summary') as ExportLevel | 'transcript';
  if (per !== 'transcript' && !EXPORT_LEVELS.includes(per))
    throw new UsageError(`--per must be one of ${EXPORT_LEVELS.join(', ')}, transcript, selfcare`);
  const db = await openExisting(values.db ?? defaultDatabasePath(), io, 'export');
  if (!db) return 1;
  try {
    let ids: number[];
    try {
      ids = resolveSessions(db, positionals[0]);
    } catch (err) {
      if (!(err instanceof ExportTargetError)) throw err;
      writeLine(io.stderr, `affect export: ${err.message}`);
      return 1;
    }
    const out = path.resolve(values.out);
    if (per === 'transcript') {
      const table = transcriptTable(db, ids);
      if (table.rows.length === 0) {
        writeLine(
          io.stderr,
          `affect export: ${ids.length === 1 ? `session ${ids[0]} has no transcript` : 'none of these sessions has a transcript'}`,
        );
        return 1;
      }
      makeDirsPrivately(path.dirname(out));
      writePrivateFile(out, format === 'csv' ? tableToCsv(table) : transcriptJson(db, ids));
      for (const id of ids) appendAudit(db, { actor: 'cli', action: 'export', objectKind: 'session', objectId: id, details: { format, per } });
      writeLine(io.stdout, out);
      return 0;
    }
    if (format === 'csv' || format === 'json') {
      const table = exportTable(db, ids, per);
      makeDirsPrivately(path.dirname(out));
      writePrivateFile(out, format === 'csv' ? tableToCsv(table) : tableToJson(db, table, per));
      for (const id of ids) appendAudit(db, { actor: 'cli', action: 'export', objectKind: 'session', objectId: id, details: { format, per } });
      writeLine(io.stdout, out);
      return 0;
    }
    const isDir = ids.length > 1 || (existsSync(out) && statSync(out).isDirectory());
    makeDirsPrivately(isDir ? out : path.dirname(out));
    for (const id of ids) {
      const file = isDir ? path.join(out, `session-${id}.${format}`) : out;
      if (format === 'eaf') writePrivateFile(file, sessionToEaf(db, id));
      else await renderSessionReportPdf(buildSessionReport(db, id, { noText: values['no-text'] }), file);
      appendAudit(db, {
        actor: 'cli',
        action: 'export',
        objectKind: 'session',
        objectId: id,
        details: { format, ...(values['no-text'] ? { noText: true } : {}) },
      });
      writeLine(io.stdout, file);
    }
    return 0;
  } finally {
    db.close();
  }
}

/** `--per selfcare`: one CSV or JSON file of the target clients' self-care runs (a client with none gives a header only). */
async function exportSelfCare(target: string, format: Format, outPath: string, dbPath: string | undefined, io: CliIO): Promise<number> {
  if (format !== 'csv' && format !== 'json') throw new UsageError('--per selfcare applies to csv and json only');
  const db = await openExisting(dbPath ?? defaultDatabasePath(), io, 'export');
  if (!db) return 1;
  try {
    let clients;
    try {
      clients = resolveClients(db, target);
    } catch (err) {
      if (!(err instanceof ExportTargetError)) throw err;
      writeLine(io.stderr, `affect export: ${err.message}`);
      return 1;
    }
    const table = selfcareTable(db, clients);
    const out = path.resolve(outPath);
    makeDirsPrivately(path.dirname(out));
    writePrivateFile(out, format === 'csv' ? tableToCsv(table) : selfcareTableToJson(table));
    writeLine(io.stdout, out);
    return 0;
  } finally {
    db.close();
  }
}

/**
 * affect import-eaf <file.eaf> --session <id> [--tier <id>…] [--db <path>] [--json]
 * Imports an ELAN file's time-aligned tiers as annotation tracks of a stored session (one transaction).
 */
export async function runImportEaf(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    db: { type: 'string' },
    session: { type: 'string' },
    tier: { type: 'string', multiple: true },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length !== 1) throw new UsageError('import-eaf needs one .eaf file');
  const sessionId = Number(values.session);
  if (!Number.isInteger(sessionId) || sessionId <= 0) throw new UsageError('import-eaf needs --session <id>');
  let xml: string;
  try {
    xml = readFileSync(positionals[0], 'utf8');
  } catch (err) {
    writeLine(
      io.stderr,
      `affect import-eaf: ${positionals[0]}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
    return 1;
  }
  const db = await openExisting(values.db ?? defaultDatabasePath(), io, 'import-eaf');
  if (!db) return 1;
  try {
    if (!getSession(db, sessionId)) {
      writeLine(io.stderr, `affect import-eaf: no session with id ${sessionId}`);
      return 1;
    }
    const warnings: string[] = [];
    try {
      await ensureFrameTimes(db, sessionId, resolveFfmpeg(), io.signal);
    } catch (err) {
      warnings.push(`frame times unavailable (${(err as Error).message}); times kept as the file's milliseconds`);
    }
    let result;
    try {
      result = importEaf(db, sessionId, xml, values.tier ? { tiers: values.tier } : {});
    } catch (err) {
      writeLine(io.stderr, `affect import-eaf: ${positionals[0]}: ${(err as Error).message}`);
      return 1;
    }
    warnings.push(...result.warnings);
    const tracks = result.tracks.map((t) => ({ id: t.id, annotator: t.annotator, scheme: t.scheme.name, segments: listSegments(db, t.id).length }));
    if (values.json) writeLine(io.stdout, JSON.stringify({ sessionId, tracks, warnings }));
    else {
      for (const t of tracks) writeLine(io.stdout, `track ${t.id} "${t.annotator}": ${t.segments} segments (scheme ${t.scheme})`);
      for (const w of warnings) writeLine(io.stderr, `affect import-eaf: ${w}`);
    }
    return 0;
  } finally {
    db.close();
  }
}
