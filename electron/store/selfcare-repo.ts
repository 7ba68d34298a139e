import type { Db } from './db.js';

export type RunOutcome = 'completed' | 'left';
export type RunMode = 'clinician' | 'client';

export interface SelfCareRun {
  id: number;
  clientId: number;
  exercise: string;
  level: number;
  mode: RunMode;
  startedAt: string;
  finishedAt: string | null;
  lengthS: number | null;
  /** null: started and never finished (the window was closed mid-run). */
  outcome: RunOutcome | null;
  tensionBefore: number | null;
  tensionAfter: number | null;
  score: number | null;
  options: Record<string, unknown>;
}

interface Row {
  id: number;
  client_id: number;
  exercise: string;
  level: number;
  mode: RunMode;
  started_at: string;
  finished_at: string | null;
  length_s: number | null;
  outcome: RunOutcome | null;
  tension_before: number | null;
  tension_after: number | null;
  score: number | null;
  options: string;
}

const fromRow = (r: Row): SelfCareRun => ({
  id: r.id,
  clientId: r.client_id,
  exercise: r.exercise,
  level: r.level,
  mode: r.mode,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  lengthS: r.length_s,
  outcome: r.outcome,
  tensionBefore: r.tension_before,
  tensionAfter: r.tension_after,
  score: r.score,
  options: JSON.parse(r.options) as Record<string, unknown>,
});

const nowIso = () => new Date().toISOString();

export interface StartRunInput {
  clientId: number;
  exercise: string;
  level: number;
  mode: RunMode;
  tensionBefore: number | null;
  options?: Record<string, unknown>;
  startedAt?: string;
}

/** Store the start of a run (before its outcome is known), so a run cut short by a closed window still shows. */
export function startRun(db: Db, i: StartRunInput): SelfCareRun {
  const id = Number(
    db
      .prepare('INSERT INTO selfcare_runs (client_id, exercise, level, mode, started_at, tension_before, options) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(i.clientId, i.exercise, i.level, i.mode, i.startedAt ?? nowIso(), i.tensionBefore, JSON.stringify(i.options ?? {})).lastInsertRowid,
  );
  return getRun(db, id)!;
}

export interface FinishRunInput {
  outcome: RunOutcome;
  lengthS: number;
  tensionAfter: number | null;
  score?: number | null;
  finishedAt?: string;
}

export class RunAlreadyFinishedError extends Error {
  constructor(readonly runId: number) {
    super(`self-care run ${runId} is already finished`);
  }
}

/** Record how a run ended; a run is finished once only. */
export function finishRun(db: Db, id: number, f: FinishRunInput): SelfCareRun {
  return db.transaction(() => {
    const run = getRun(db, id);
    if (!run) throw new Error(`no self-care run with id ${id}`);
    if (run.outcome !== null) throw new RunAlreadyFinishedError(id);
    db.prepare('UPDATE selfcare_runs SET outcome = ?, length_s = ?, tension_after = ?, score = ?, finished_at = ? WHERE id = ?').run(
      f.outcome,
      f.lengthS,
      f.tensionAfter,
      f.score ?? null,
      f.finishedAt ?? nowIso(),
      id,
    );
    return getRun(db, id)!;
  })();
}

/** The tension rated after a finished run (asked once the exercise has ended, so a skipped or missed rating loses nothing else). */
export function rateAfter(db: Db, id: number, tensionAfter: number): SelfCareRun {
  return db.transaction(() => {
    const run = getRun(db, id);
    if (!run) throw new Error(`no self-care run with id ${id}`);
    if (run.outcome === null) throw new Error(`self-care run ${id} is not finished yet`);
    if (run.tensionAfter !== null) throw new Error(`self-care run ${id} already has its rating after`);
    db.prepare('UPDATE selfcare_runs SET tension_after = ? WHERE id = ?').run(tensionAfter, id);
    return getRun(db, id)!;
  })();
}

export function getRun(db: Db, id: number): SelfCareRun | undefined {
  const r = db.prepare('SELECT * FROM selfcare_runs WHERE id = ?').get(id) as Row | undefined;
  return r && fromRow(r);
}

/** A client's runs, oldest first; `until` (YYYY-MM-DD, inclusive) keeps those started on or before that day. */
export function listRuns(db: Db, clientId: number, { until }: { until?: string } = {}): SelfCareRun[] {
  const rows = (
    until === undefined
      ? db.prepare('SELECT * FROM selfcare_runs WHERE client_id = ? ORDER BY started_at, id').all(clientId)
      : db.prepare('SELECT * FROM selfcare_runs WHERE client_id = ? AND substr(started_at, 1, 10) <= ? ORDER BY started_at, id').all(clientId, until)
  ) as Row[];
  return rows.map(fromRow);
}
