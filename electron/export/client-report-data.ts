import path from 'node:path';
import { compareScores, type SubscaleChange } from '../analysis/dass/compare.js';
import { loadDass21Items } from '../analysis/dass/items.js';
import { evaluateNextSteps, loadNextSteps } from '../analysis/dass/next-steps.js';
import { scoreDass21, type Band, type Subscale } from '../contract/shared/dass-score.js';
import type { Coverage } from '../analysis/coverage.js';
import { ESTIMATE_NOTE } from '../analysis/result.js';
import { getClient } from '../store/clients-repo.js';
import { listDassAdministrations } from '../store/dass-repo.js';
import type { Db } from '../store/db.js';
import { coverageRule, sessionCoverage } from '../store/session-coverage.js';
import { listSessions } from '../store/sessions-repo.js';
import { REPORT_DISCLAIMER } from './report-data.js';
import { buildClientTranscripts, type ClientReportTranscriptRow } from './report-transcript.js';

export interface ClientReportSession {
  sessionId: number;
  /** The recording date (ISO or YYYY-MM-DD), else the analysis date. */
  date: string;
  dateSource: 'container' | 'user' | 'analysed';
  title: string | null;
  recording: string;
  durationS: number;
  face: { label: string | null; why: string | null; shares: Record<string, number> };
  voice: { label: string | null; why: string | null; shares: Record<string, number> };
  fused: string | null;
  coverage: Coverage;
}

export interface ClientReportDass {
  administeredOn: string;
  scores: Record<Subscale, { score: number | null; band: Band | null }>;
  complete: boolean;
  /** Against the previous administration (null for the first). */
  changes: SubscaleChange[] | null;
  itemsOfNote: Array<{ item: number; text: string; answer: number; message: string }>;
}

export interface ClientReport {
  client: { code: string; displayName: string | null };
  sessions: ClientReportSession[];
  dass: ClientReportDass[];
  /** Text estimates of the sessions with a transcript. */
  transcripts: ClientReportTranscriptRow[];
  /** Speaker names are left out (transcripts' words never reach the client report). */
  noText: boolean;
  disclaimer: string;
  note: string;
}

/** Everything the client report shows, read from the database: every session (oldest first), every DASS-21. */
export function buildClientReport(db: Db, clientId: number, { noText = false }: { noText?: boolean } = {}): ClientReport {
  const client = getClient(db, clientId);
  if (!client) throw new Error(`no client with id ${clientId}`);
  const rule = coverageRule(db);
  const sessions = listSessions(db, { clientId }).map((s): ClientReportSession => {
    const c = sessionCoverage(db, s, rule);
    return {
      sessionId: s.id,
      date: s.recordedAt ?? s.analysedAt,
      dateSource: s.recordedAt ? (s.recordedAtSource ?? 'user') : 'analysed',
      title: s.title,
      recording: path.basename(s.file),
      durationS: s.durationS,
      face: { label: c.face.enough ? s.summary.face.majority : null, why: c.face.why, shares: s.summary.face.distribution },
      voice: { label: c.voice.enough ? s.summary.voice.majority : null, why: c.voice.why, shares: s.summary.voice.distribution },
      fused: c.fused.label,
      coverage: c,
    };
  });
  const items = loadDass21Items();
  const table = loadNextSteps();
  const all = listDassAdministrations(db, clientId);
  const dass = all.map((a, i): ClientReportDass => {
    const notes = evaluateNextSteps(table, scoreDass21(a.answers), a.answers);
    return {
      administeredOn: a.administeredOn,
      scores: a.scores,
      complete: a.complete,
      changes: i > 0 ? compareScores(all[i - 1].scores, a.scores) : null,
      itemsOfNote: notes.itemsOfNote.map((n) => ({ item: n.item, text: items.items[n.item - 1].text, answer: n.answer, message: n.message })),
    };
  });
  return {
    client: { code: client.code, displayName: client.displayName },
    sessions,
    dass,
    transcripts: buildClientTranscripts(db, clientId, { noText }),
    noText,
    disclaimer: REPORT_DISCLAIMER,
    note: ESTIMATE_NOTE,
  };
}
