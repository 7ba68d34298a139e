import { dayOf } from '../contract/shared/date-axis.js';
import { ApiError, type ApiOutput } from '../contract/api.js';
import { buildClientReport } from '../export/client-report-data.js';
import { renderClientReportPdf } from '../export/client-report-pdf.js';
import { sessionToEaf } from '../export/eaf-session.js';
import { pdfToBuffer } from '../export/pdf-document.js';
import { buildSessionReport } from '../export/report-data.js';
import { renderSessionReportPdf } from '../export/report-pdf.js';
import { exportTable, tableToCsv, tableToJson, type ExportLevel } from '../export/tables.js';
import { clientCodeOf } from '../export/targets.js';
import { transcriptJson, transcriptTable } from '../export/transcript-export.js';
import { getClient } from '../store/clients-repo.js';
import type { Db } from '../store/db.js';
import { getSession, listSessions } from '../store/sessions-repo.js';

type ExportFile = ApiOutput<'export.session'>;

const MIME = { csv: 'text/csv', json: 'application/json', eaf: 'application/xml', pdf: 'application/pdf' } as const;

/** A file name a user can keep in a folder: letters, digits, - and _ from the parts, joined by _. */
export function exportFileName(parts: Array<string | null | undefined>, extension: string): string {
  const clean = parts
    .filter((p): p is string => Boolean(p))
    .map((p) =>
      p
        .normalize('NFKC')
        .replace(/[^\p{L}\p{N}_-]+/gu, '-')
        .replace(/^-+|-+$/g, ''),
    )
    .filter(Boolean);
  return `${clean.join('_') || 'export'}.${extension}`;
}

const file = (fileName: string, mime: string, content: string | Buffer): ExportFile => ({
  fileName,
  mime,
  base64: (typeof content === 'string' ? Buffer.from(content, 'utf8') : content).toString('base64'),
});

/** Transcripts, one row per cue (CSV) or per session with its speakers and cues (JSON). */
function transcriptFile(db: Db, ids: number[], stem: Array<string | null>, format: 'csv' | 'json' | 'eaf'): ExportFile {
  const table = transcriptTable(db, ids);
  if (table.rows.length === 0)
    throw new ApiError(ids.length === 1 ? `session ${ids[0]} has no transcript to export` : 'none of these sessions has a transcript', 'bad-request');
  if (format === 'eaf') throw new ApiError('transcripts export as csv or json (the .eaf export carries them as tiers)', 'bad-request');
  return file(exportFileName([...stem, 'transcript'], format), MIME[format], format === 'csv' ? tableToCsv(table) : transcriptJson(db, ids));
}

/**
 * Exports for the UI: the content and a suggested name (client code, session, recording date, level), never written
 * into a folder behind the user's back; the UI saves it where the user chooses (a save dialog, or a download).
 */
export function exportHandlers(db: Db) {
  return {
    'export.session': async (i: {
      sessionId: number;
      format: 'csv' | 'json' | 'eaf' | 'pdf';
      per?: ExportLevel | 'transcript';
      noText?: boolean;
    }): Promise<ExportFile> => {
      const s = getSession(db, i.sessionId);
      if (!s) throw new ApiError(`no session with id ${i.sessionId}`, 'not-found');
      const per = i.per ?? 'frame';
      const stem = [clientCodeOf(db, s.id), `session-${s.id}`, dayOf(s.recordedAt ?? s.analysedAt)];
      if (i.format === 'pdf')
        return file(
          exportFileName([...stem, 'report', i.noText ? 'no-text' : null], 'pdf'),
          MIME.pdf,
          await pdfToBuffer((out) => renderSessionReportPdf(buildSessionReport(db, s.id, { noText: i.noText }), out)),
        );
      if (i.format === 'eaf') return file(exportFileName(stem, 'eaf'), MIME.eaf, sessionToEaf(db, s.id));
      if (per === 'transcript') return transcriptFile(db, [s.id], stem, i.format);
      const table = exportTable(db, [s.id], per);
      return file(
        exportFileName([...stem, `per-${per}`], i.format),
        MIME[i.format],
        i.format === 'csv' ? tableToCsv(table) : tableToJson(db, table, per),
      );
    },
    'export.client': async (i: {
      clientId: number;
      format: 'pdf' | 'csv';
      per?: ExportLevel | 'transcript';
      noText?: boolean;
    }): Promise<ExportFile> => {
      const client = getClient(db, i.clientId);
      if (!client) throw new ApiError(`no client with id ${i.clientId}`, 'not-found');
      if (i.format === 'pdf')
        return file(
          exportFileName([client.code, 'client-report', i.noText ? 'no-text' : null], 'pdf'),
          MIME.pdf,
          await pdfToBuffer((out) => renderClientReportPdf(buildClientReport(db, i.clientId, { noText: i.noText }), out)),
        );
      const per = i.per ?? 'summary';
      const ids = listSessions(db, { clientId: i.clientId }).map((s) => s.id);
      if (ids.length === 0) throw new ApiError(`client ${client.code} has no sessions to export`, 'bad-request');
      if (per === 'transcript') return transcriptFile(db, ids, [client.code, 'sessions'], 'csv');
      return file(exportFileName([client.code, 'sessions', `per-${per}`], 'csv'), MIME.csv, tableToCsv(exportTable(db, ids, per)));
    },
  };
}
