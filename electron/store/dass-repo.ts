import type Database from 'better-sqlite3-multiple-ciphers';
import { compareScores, type SubscaleChange } from '../analysis/dass/compare.js';
import { ITEM_COUNT, parseAnswers, scoreDass21, type Answer, type Band, type DassScore, type Subscale } from '../contract/shared/dass-score.js';

export interface DassAdministrationInput {
  clientId: number;
  /** Calendar date the questionnaire was filled in, YYYY-MM-DD. */
  administeredOn: string;
  /** 21 answers in item order; null / undefined / '' = not answered. Validated: anything but 0..3 throws. */
  answers: readonly unknown[];
  sessionId?: number | null;
  notes?: string | null;
}

export interface DassAdministration {
  id: number;
  clientId: number;
  sessionId: number | null;
  administeredOn: string;
  answers: Answer[];
  scores: Record<Subscale, { score: number | null; band: Band | null }>;
  complete: boolean;
  scoringVersion: string;
  notes: string | null;
  createdAt: string;
}

const Q = Array.from({ length: ITEM_COUNT }, (_, i) => `q${i + 1}`);

interface Row {
  id: number;
  client_id: number;
  session_id: number | null;
  administered_on: string;
  depression: number | null;
  anxiety: number | null;
  stress: number | null;
  depression_band: Band | null;
  anxiety_band: Band | null;
  stress_band: Band | null;
  complete: number;
  scoring_version: string;
  notes: string | null;
  created_at: string;
  [q: string]: unknown;
}

function fromRow(r: Row): DassAdministration {
  return {
    id: r.id,
    clientId: r.client_id,
    sessionId: r.session_id,
    administeredOn: r.administered_on,
    answers: Q.map((q) => r[q] as Answer),
    scores: {
      depression: { score: r.depression, band: r.depression_band },
      anxiety: { score: r.anxiety, band: r.anxiety_band },
      stress: { score: r.stress, band: r.stress_band },
    },
    complete: r.complete === 1,
    scoringVersion: r.scoring_version,
    notes: r.notes,
    createdAt: r.created_at,
  };
}

export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Today's date on this computer, YYYY-MM-DD (local time: what the clinician's calendar says). */
export function localToday(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/** A date a questionnaire can have been filled in on: a real calendar date, not in the future, not before 1900. */
export function checkAdministeredOn(text: string, today = localToday()): void {
  if (!isCalendarDate(text)) throw new Error(`administeredOn "${text}" is not a calendar date YYYY-MM-DD`);
  if (text > today) throw new Error(`administeredOn ${text} is in the future (today is ${today})`);
  if (text < '1900-01-01') throw new Error(`administeredOn ${text} is before 1900`);
}

/** The stored columns of one validated, dated set of answers: the date, the 21 answers and their scores as scored now. */
function scoredColumns(administeredOn: string, rawAnswers: readonly unknown[]): { columns: string[]; values: unknown[] } {
  checkAdministeredOn(administeredOn);
  const answers = parseAnswers(rawAnswers);
  const scored: DassScore = scoreDass21(answers);
  return {
    columns: [
      'administered_on',
      ...Q,
      'depression',
      'anxiety',
      'stress',
      'depression_band',
      'anxiety_band',
      'stress_band',
      'complete',
      'scoring_version',
    ],
    values: [
      administeredOn,
      ...answers,
      scored.depression.score,
      scored.anxiety.score,
      scored.stress.score,
      scored.depression.band,
      scored.anxiety.band,
      scored.stress.band,
      scored.complete ? 1 : 0,
      scored.scoringVersion,
    ],
  };
}

/**
 * Validates, scores and stores one administration in a single transaction; returns it as stored.
 * Throws (storing nothing) on an invalid answer (DassAnswerError names the item), a bad date, an unknown
 * client, or a session that belongs to another client.
 */
export function saveDassAdministration(db: Database.Database, input: DassAdministrationInput): DassAdministration {
  const scored = scoredColumns(input.administeredOn, input.answers);
  const save = db.transaction((): number => {
    if (!db.prepare('SELECT 1 FROM clients WHERE id = ?').get(input.clientId)) throw new Error(`no client with id ${input.clientId}`);
    if (input.sessionId !== undefined && input.sessionId !== null) {
      const session = db.prepare('SELECT client_id AS clientId FROM sessions WHERE id = ?').get(input.sessionId) as
        { clientId: number | null } | undefined;
      if (!session) throw new Error(`no session with id ${input.sessionId}`);
      if (session.clientId !== null && session.clientId !== input.clientId)
        throw new Error(`session ${input.sessionId} belongs to client ${session.clientId}, not ${input.clientId}`);
    }
    const columns = ['client_id', 'session_id', ...scored.columns, 'notes'];
    const values = [input.clientId, input.sessionId ?? null, ...scored.values, input.notes ?? null];
    const info = db.prepare(`INSERT INTO dass_administrations (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...values);
    return Number(info.lastInsertRowid);
  });
  const id = save();
  return getDassAdministration(db, id)!;
}

/**
 * Correct an administration's date and answers: validated like a new one, rescored with the current scoring
 * (its scoring_version updated), in one transaction; the client, session link and notes stay. Returns it as stored.
 */
export function updateDassAdministration(
  db: Database.Database,
  id: number,
  input: { administeredOn: string; answers: readonly unknown[] },
): DassAdministration {
  const { columns, values } = scoredColumns(input.administeredOn, input.answers);
  const changed = db.prepare(`UPDATE dass_administrations SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...values, id).changes;
  if (changed !== 1) throw new Error(`no DASS administration with id ${id}`);
  return getDassAdministration(db, id)!;
}

export function getDassAdministration(db: Database.Database, id: number): DassAdministration | undefined {
  const row = db.prepare('SELECT * FROM dass_administrations WHERE id = ?').get(id) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

/** A client's administrations, oldest first (same date: in the order they were saved). */
export function listDassAdministrations(db: Database.Database, clientId: number): DassAdministration[] {
  return (db.prepare('SELECT * FROM dass_administrations WHERE client_id = ? ORDER BY administered_on, id').all(clientId) as Row[]).map(fromRow);
}

export interface DassComparison {
  from: DassAdministration;
  to: DassAdministration;
  changes: SubscaleChange[];
  /** Set when the two were scored under different scoring versions (compare with care). */
  scoringVersionsDiffer: boolean;
}

/**
 * Compares two administrations of the same client, `fromId` as the earlier one: per subscale the
 * difference (to − from), the band change, and a flag when |difference| >= 5 points.
 */
export function compareDassAdministrations(db: Database.Database, fromId: number, toId: number): DassComparison {
  const from = getDassAdministration(db, fromId);
  const to = getDassAdministration(db, toId);
  if (!from) throw new Error(`no DASS administration with id ${fromId}`);
  if (!to) throw new Error(`no DASS administration with id ${toId}`);
  if (from.clientId !== to.clientId) throw new Error(`administrations ${fromId} and ${toId} belong to different clients`);
  return { from, to, changes: compareScores(from.scores, to.scores), scoringVersionsDiffer: from.scoringVersion !== to.scoringVersion };
}
