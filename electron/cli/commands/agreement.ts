import { existsSync } from 'node:fs';
import { compareTracks, DEFAULT_SLICE_S, formatMatrix, poolAgreements, type Agreement } from '../../analysis/agreement.js';
import { ESTIMATE_NOTE } from '../../analysis/result.js';
import { findTrack, hasModelTrack, isModelTrackKind, spansFor } from '../../store/annotations-repo.js';
import { openCliDatabase } from '../open-db.js';
import { defaultDatabasePath } from '../../store/default-paths.js';
import { getSession, listSessions } from '../../store/sessions-repo.js';
import { parseCommandArgs, UsageError, writeLine, type CliIO } from '../io.js';

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const k3 = (x: number | null) => (x === null ? 'n/a (no comparable slices, or chance agreement is 1)' : x.toFixed(3));

function describe(r: Agreement): string {
  return `kappa ${k3(r.kappa)}, agreement ${pct(r.percentAgreement)}, ${r.slicesCompared} of ${r.slicesTotal} slices compared (${r.slicesOnlyA} labelled only by A, ${r.slicesOnlyB} only by B)`;
}

/**
 * affect agreement --db <path> (--session <id> | --all) --a <annotator> --b <annotator|model-face|model-voice|model-fused|model-face-p2…> [--slice 0.1] [--json]
 * Cohen's kappa, percent agreement and the confusion matrix over time slices both tracks label.
 */
export async function runAgreement(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      db: { type: 'string' },
      session: { type: 'string' },
      all: { type: 'boolean', default: false },
      a: { type: 'string' },
      b: { type: 'string' },
      slice: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    false,
  );
  if (!values.a || !values.b) throw new UsageError('agreement needs --a <annotator> and --b <annotator|model-face|model-voice|model-fused>');
  if (values.all === (values.session !== undefined)) throw new UsageError('agreement needs exactly one of --session <id> or --all');
  const sliceS = values.slice === undefined ? DEFAULT_SLICE_S : Number(values.slice);
  if (!(Number.isFinite(sliceS) && sliceS > 0 && sliceS <= 60))
    throw new UsageError(`--slice must be a number of seconds in (0, 60], got "${values.slice}"`);
  const [a, b] = [values.a, values.b];
  const dbPath = values.db ?? defaultDatabasePath();
  if (!existsSync(dbPath)) {
    writeLine(io.stderr, `affect agreement: ${dbPath}: no such database`);
    return 1;
  }
  const { db } = await openCliDatabase(dbPath, io);
  try {
    const has = (id: number, who: string) => hasModelTrack(db, id, who) || findTrack(db, id, who) !== undefined;
    let ids: number[];
    if (values.session !== undefined) {
      const id = Number(values.session);
      if (!Number.isInteger(id) || !getSession(db, id)) {
        writeLine(io.stderr, `affect agreement: no session with id ${values.session}`);
        return 1;
      }
      for (const who of [a, b])
        if (!has(id, who)) {
          writeLine(io.stderr, `affect agreement: session ${id} has no annotation track by "${who}"`);
          return 1;
        }
      ids = [id];
    } else {
      ids = listSessions(db)
        .map((s) => s.id)
        .filter((id) => has(id, a) && has(id, b));
      if (ids.length === 0) {
        writeLine(io.stderr, `affect agreement: no session has tracks by both "${a}" and "${b}"`);
        return 1;
      }
    }
    const perSession = ids.map((id) => ({
      sessionId: id,
      ...compareTracks(spansFor(db, id, a)!, spansFor(db, id, b)!, { durationS: getSession(db, id)!.durationS, sliceS }),
    }));
    const pooled = poolAgreements(perSession, sliceS);
    const note = isModelTrackKind(a) || isModelTrackKind(b) ? ESTIMATE_NOTE : undefined;
    if (values.json) {
      writeLine(io.stdout, JSON.stringify({ a, b, unit: pooled.unit, sessions: perSession, pooled: values.all ? pooled : undefined, note }));
      return 0;
    }
    writeLine(io.stdout, `Agreement of "${a}" (A) with "${b}" (B); unit: ${sliceS} s time slices, ${pooled.unit.rule}.`);
    for (const r of perSession) writeLine(io.stdout, `session ${r.sessionId}: ${describe(r)}`);
    const shown = values.all ? pooled : perSession[0];
    if (values.all) writeLine(io.stdout, `pooled over ${perSession.length} session(s): ${describe(pooled)}`);
    writeLine(io.stdout, '');
    writeLine(io.stdout, formatMatrix(shown, 'A', 'B'));
    if (note) writeLine(io.stdout, `\n${note}`);
    return 0;
  } finally {
    db.close();
  }
}
