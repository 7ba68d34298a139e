import { loadDass21Items } from '../analysis/dass/items.js';
import { scoreDass21, type Answer } from '../contract/shared/dass-score.js';
import { evaluateNextSteps, loadNextSteps, type NextStepsTable } from '../analysis/dass/next-steps.js';
import type { ApiOutput } from '../contract/api.js';
import { ApiError } from '../contract/api.js';
import {
  compareDassAdministrations,
  getDassAdministration,
  listDassAdministrations,
  saveDassAdministration,
  updateDassAdministration,
  type DassAdministration,
} from '../store/dass-repo.js';
import type { Db } from '../store/db.js';
import { listSessions } from '../store/sessions-repo.js';
import { recordingDateProblem } from './recording-date.js';
import { coverageRule, sessionCoverage } from '../store/session-coverage.js';

type Out<M extends 'dass.items' | 'dass.save' | 'dass.list' | 'trends.get'> = ApiOutput<M>;

type ItemTexts = ReturnType<typeof loadDass21Items>;

/**
 * The clinician-facing notes of one administration, from the editable rule table
 * (data/dass21/next-steps.json): items of note, then the next steps in the order the safety
 * rules set (review and helplines before self-care; see evaluateNextSteps).
 */
function clinicianNotes(table: NextStepsTable, items: ItemTexts, score: ReturnType<typeof scoreDass21>, answers: readonly Answer[]) {
  const steps = evaluateNextSteps(table, score, answers);
  return {
    itemsOfNote: steps.itemsOfNote.map((n) => ({ item: n.item, text: items.items[n.item - 1].text, answer: n.answer, message: n.message })),
    nextSteps: steps.steps,
  };
}

/** A stored administration as the UI shows it: per-subscale detail, items of note, next steps. */
function present(a: DassAdministration, table: NextStepsTable, items: ItemTexts): Out<'dass.save'> {
  const score = scoreDass21(a.answers);
  const notes = clinicianNotes(table, items, score, a.answers);
  return {
    id: a.id,
    clientId: a.clientId,
    administeredAt: a.administeredOn,
    sessionId: a.sessionId,
    answers: a.answers as Answer[],
    depression: score.depression,
    anxiety: score.anxiety,
    stress: score.stress,
    complete: score.complete,
    scoringVersion: a.scoringVersion,
    itemsOfNote: notes.itemsOfNote,
    nextSteps: notes.nextSteps,
  };
}

export function dassHandlers(db: Db, requireClient: (id: number) => unknown) {
  const items = loadDass21Items();
  // Read on each use: the table is the user's to edit while the app runs.
  const show = (a: DassAdministration) => present(a, loadNextSteps(), items);
  return {
    'dass.items': (): Out<'dass.items'> => {
      return {
        instructions: items.instructions,
        scale: items.scale,
        items: items.items.map((i) => ({ number: i.number, text: i.text, subscale: i.subscale })),
        credit: `${items.source.credit} ${items.source.website}`,
      };
    },
    'dass.save': (i: { clientId: number; administeredAt: string; answers: Answer[]; sessionId?: number | null }): Out<'dass.save'> => {
      requireClient(i.clientId);
      const problem = recordingDateProblem(i.administeredAt.slice(0, 10));
      if (problem) throw new ApiError(`date administered: ${problem}`, 'bad-request');
      try {
        return show(
          saveDassAdministration(db, {
            clientId: i.clientId,
            administeredOn: i.administeredAt.slice(0, 10),
            answers: i.answers,
            sessionId: i.sessionId ?? null,
          }),
        );
      } catch (err) {
        throw new ApiError((err as Error).message, 'bad-request');
      }
    },
    'dass.update': (i: { id: number; administeredAt: string; answers: Answer[] }): Out<'dass.save'> => {
      if (!getDassAdministration(db, i.id)) throw new ApiError(`no DASS-21 entry with id ${i.id}`, 'not-found');
      try {
        return show(updateDassAdministration(db, i.id, { administeredOn: i.administeredAt.slice(0, 10), answers: i.answers }));
      } catch (err) {
        throw new ApiError((err as Error).message, 'bad-request');
      }
    },
    'dass.list': (i: { clientId: number }): Out<'dass.list'> => {
      requireClient(i.clientId);
      const all = listDassAdministrations(db, i.clientId);
      const changes = all.slice(1).map((a, k) => {
        const c = compareDassAdministrations(db, all[k].id, a.id);
        return {
          fromId: all[k].id,
          toId: a.id,
          subscales: c.changes.map((s) => ({
            subscale: s.subscale,
            from: s.from,
            to: s.to,
            difference: s.difference,
            fromBand: s.fromBand,
            toBand: s.toBand,
            bandChanged: s.bandChange === 'higher' || s.bandChange === 'lower',
            flagged: s.flagged,
          })),
        };
      });
      return { administrations: all.map(show), changes };
    },
    'trends.get': (i: { clientId: number }): Out<'trends.get'> => {
      requireClient(i.clientId);
      const rule = coverageRule(db);
      const sessions = listSessions(db, { clientId: i.clientId }).map((s) => {
        const coverage = sessionCoverage(db, s, rule);
        return {
          sessionId: s.id,
          date: s.recordedAt ?? s.analysedAt,
          dateSource: s.recordedAt ? (s.recordedAtSource ?? 'user') : ('analysed' as const),
          title: s.title,
          face: s.summary.face.distribution,
          voice: s.summary.voice.distribution,
          fused: coverage.fused.label,
          coverage,
        };
      });
      return { sessions, dass: listDassAdministrations(db, i.clientId).map(show) };
    },
  };
}
