import { exerciseById, EXERCISE_IDS, levelOf } from '../contract/shared/selfcare/catalog.js';
import type { Db } from '../store/db.js';
import { listRuns, type SelfCareRun } from '../store/selfcare-repo.js';
import type { Cell, Table } from './tables.js';
import { ExportTargetError } from './targets.js';

/** What the self-care export says about itself (CSV readers see the columns; JSON carries this too). */
export const SELFCARE_NOTE =
  'Self-care exercise runs: tension rated by the client from 0 (none) to 10 (the most), before and after; either may be skipped (empty). Self-ratings, not a clinical measure.';

const HEADER = [
  'client_code',
  'run_id',
  'exercise',
  'exercise_title',
  'level',
  'level_title',
  'mode',
  'started_at',
  'finished_at',
  'length_s',
  'outcome',
  'tension_before',
  'tension_after',
  'tension_change',
  'score',
  'options',
];

const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

function titles(run: SelfCareRun): [string | null, string | null] {
  if (!(EXERCISE_IDS as readonly string[]).includes(run.exercise)) return [null, null];
  const e = exerciseById(run.exercise);
  try {
    return [e.title, levelOf(e, run.level).title];
  } catch {
    return [e.title, null];
  }
}

function row(code: string, run: SelfCareRun): Cell[] {
  const [exerciseTitle, levelTitle] = titles(run);
  return [
    code,
    run.id,
    run.exercise,
    exerciseTitle,
    run.level,
    levelTitle,
    run.mode,
    run.startedAt,
    run.finishedAt,
    r3(run.lengthS),
    run.outcome ?? 'unfinished',
    run.tensionBefore,
    run.tensionAfter,
    run.tensionBefore === null || run.tensionAfter === null ? null : run.tensionAfter - run.tensionBefore,
    r3(run.score),
    JSON.stringify(run.options),
  ];
}

/** One table of the given clients' self-care runs, oldest first per client. */
export function selfcareTable(db: Db, clients: ReadonlyArray<{ id: number; code: string }>): Table {
  return { header: HEADER, rows: clients.flatMap((c) => listRuns(db, c.id).map((r) => row(c.code, r))) };
}

/** JSON: `{ per: "selfcare", note, columns, rows: [{column: value}] }`, options as an object. */
export function selfcareTableToJson(t: Table): string {
  const rows = t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, h === 'options' ? JSON.parse(r[i] as string) : r[i]])));
  return JSON.stringify({ per: 'selfcare', note: SELFCARE_NOTE, columns: t.header, rows }, null, 2) + '\n';
}

/** The clients for `client:<code>` or `all` (a self-care run belongs to a client, not to a session). */
export function resolveClients(db: Db, target: string): Array<{ id: number; code: string }> {
  if (target === 'all') return db.prepare('SELECT id, code FROM clients ORDER BY code').all() as Array<{ id: number; code: string }>;
  if (target.startsWith('client:')) {
    const code = target.slice('client:'.length).trim();
    const c = db.prepare('SELECT id, code FROM clients WHERE code = ?').get(code) as { id: number; code: string } | undefined;
    if (!c) throw new ExportTargetError(`no client with code "${code}"`);
    return [c];
  }
  throw new ExportTargetError(`--per selfcare exports a client's runs: give client:<code> or all, not "${target}"`);
}
