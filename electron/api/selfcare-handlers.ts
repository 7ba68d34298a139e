import { exerciseById, levelOf, minimumLengthS } from '../contract/shared/selfcare/catalog.js';
import { levelsReached } from '../analysis/selfcare/progress.js';
import type { z } from 'zod';
import { ApiError, type API, type ApiMethod, type ApiOutput } from '../contract/api.js';
import { selfcareTable, selfcareTableToJson } from '../export/selfcare-table.js';
import { tableToCsv } from '../export/tables.js';
import type { Db } from '../store/db.js';
import { finishRun, getRun, listRuns, rateAfter, RunAlreadyFinishedError, startRun } from '../store/selfcare-repo.js';
import type { ClientMode } from './client-mode.js';

/** A method's input after validation (defaults applied). */
type In<M extends ApiMethod> = z.output<(typeof API)[M]['input']>;

/**
 * Self-care runs: start (with the tension rated before), finish (completed or left), the rating after, progress
 * (levels reached and every run) and export. A level may be started only once the one before it is completed, and a
 * run counts as completed only if it lasted the level's length (the meter's goal for the game).
 */
export function selfcareHandlers(db: Db, requireClient: (id: number) => { code: string }, clientMode: ClientMode) {
  const progress = (clientId: number) => levelsReached(listRuns(db, clientId));
  return {
    'selfcare.progress': (i: In<'selfcare.progress'>): ApiOutput<'selfcare.progress'> => {
      requireClient(i.clientId);
      const runs = listRuns(db, i.clientId);
      return { progress: levelsReached(runs), runs };
    },
    'selfcare.start': (i: In<'selfcare.start'>): ApiOutput<'selfcare.start'> => {
      requireClient(i.clientId);
      const exercise = exerciseById(i.exercise);
      try {
        levelOf(exercise, i.level);
      } catch (err) {
        throw new ApiError((err as Error).message, 'bad-request');
      }
      const open = progress(i.clientId).find((p) => p.exercise === exercise.id)!.unlocked;
      if (i.level > open)
        throw new ApiError(`${exercise.title} level ${i.level} opens after level ${i.level - 1} is completed (open now: 1–${open})`, 'bad-request');
      return startRun(db, {
        clientId: i.clientId,
        exercise: exercise.id,
        level: i.level,
        mode: clientMode.clientId === i.clientId ? 'client' : 'clinician',
        tensionBefore: i.tensionBefore,
        options: i.options ?? {},
      });
    },
    'selfcare.finish': (i: In<'selfcare.finish'>): ApiOutput<'selfcare.finish'> => {
      const run = getRun(db, i.runId);
      if (!run) throw new ApiError(`no self-care run with id ${i.runId}`, 'not-found');
      const exercise = exerciseById(run.exercise);
      const needed = minimumLengthS(exercise, run.level);
      // A second of slack for timer rounding; a "completed" run shorter than its level is a bug or tampering.
      if (i.outcome === 'completed' && i.lengthS < needed - 1)
        throw new ApiError(
          `${exercise.title} level ${run.level} takes at least ${needed} s; a run of ${i.lengthS} s is not completed`,
          'bad-request',
        );
      if (exercise.id !== 'follow-light' && i.score !== undefined && i.score !== null)
        throw new ApiError(`only the focus game has a score`, 'bad-request');
      try {
        const finished = finishRun(db, i.runId, {
          outcome: i.outcome,
          lengthS: i.lengthS,
          tensionAfter: i.tensionAfter ?? null,
          score: i.score ?? null,
        });
        return { run: finished, progress: progress(run.clientId) };
      } catch (err) {
        if (err instanceof RunAlreadyFinishedError) throw new ApiError(err.message, 'bad-request');
        throw err;
      }
    },
    'selfcare.rateAfter': (i: In<'selfcare.rateAfter'>): ApiOutput<'selfcare.rateAfter'> => {
      if (!getRun(db, i.runId)) throw new ApiError(`no self-care run with id ${i.runId}`, 'not-found');
      try {
        return rateAfter(db, i.runId, i.tensionAfter);
      } catch (err) {
        throw new ApiError((err as Error).message, 'bad-request');
      }
    },
    // Handed to the user (save dialog / download), never written behind their back: see ExportMenu.
    'selfcare.export': (i: In<'selfcare.export'>): ApiOutput<'selfcare.export'> => {
      const client = requireClient(i.clientId);
      const table = selfcareTable(db, [{ id: i.clientId, code: client.code }]);
      const text = i.format === 'csv' ? tableToCsv(table) : selfcareTableToJson(table);
      return {
        fileName: `client-${i.clientId}-selfcare.${i.format}`,
        mime: i.format === 'csv' ? 'text/csv' : 'application/json',
        base64: Buffer.from(text, 'utf8').toString('base64'),
      };
    },
  };
}

/** The client-mode methods: status, PIN, enter, lock, unlock, exit. */
export function clientModeHandlers(clientMode: ClientMode) {
  return {
    'clientMode.status': () => clientMode.status(),
    'clientMode.setPin': (i: In<'clientMode.setPin'>) => clientMode.setPin(i.pin, i.currentPin),
    'clientMode.enter': (i: In<'clientMode.enter'>) => clientMode.enter(i.clientId, i.idleLockS),
    'clientMode.lock': () => clientMode.lock(),
    'clientMode.unlock': (i: In<'clientMode.unlock'>) => clientMode.unlock(i.pin),
    'clientMode.exit': (i: In<'clientMode.exit'>) => clientMode.exit(i.pin),
  };
}
