import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DASS21_DATA_DIR } from '../analysis/dass/items.js';
import { checkInputFile } from '../analysis/media/probe.js';
import { hashFile } from '../analysis/media/media-hash.js';
import { MediaInputError } from '../analysis/media/errors.js';
import { defaultModelsRoot, resolveModelDir } from '../analysis/models/registry.js';
import { ApiError, type ApiMethod, type ApiOutput } from '../contract/api.js';
import type { Db } from '../store/db.js';
import { getSession, sessionMedia, setMediaPath, setRecordedAt } from '../store/sessions-repo.js';
import { recordingDateProblem } from './recording-date.js';
import { coverageRule, setCoverageRule } from '../store/session-coverage.js';
import { presentSession } from './session-view.js';

type Out<M extends ApiMethod> = ApiOutput<M>;

/**
 * The review's corrections and reference material: a session's recording date, a moved recording, the minimum data
 * a track needs for a label, and the in-app documents the UI links to (DASS-21 scoring rules, model cards).
 */
export function reviewHandlers(db: Db, modelsRoot?: string) {
  const session = (id: number) => {
    const s = getSession(db, id);
    if (!s) throw new ApiError(`no session with id ${id}`, 'not-found');
    return s;
  };
  return {
    'sessions.setRecordedAt': (i: { id: number; recordedAt: string | null }): Out<'sessions.setRecordedAt'> => {
      session(i.id);
      if (i.recordedAt !== null) {
        const problem = recordingDateProblem(i.recordedAt);
        if (problem) throw new ApiError(`recording date: ${problem}`, 'bad-request');
      }
      setRecordedAt(db, i.id, i.recordedAt);
      return presentSession(db, session(i.id));
    },
    'sessions.relocate': async (i: { id: number; path: string }): Promise<Out<'sessions.relocate'>> => {
      session(i.id);
      const media = sessionMedia(db, i.id)!;
      const file = path.resolve(i.path);
      try {
        checkInputFile(file);
      } catch (err) {
        if (err instanceof MediaInputError) throw new ApiError(err.message, 'bad-request');
        throw err;
      }
      const sha = await hashFile(file);
      if (sha !== media.sha256)
        throw new ApiError(
          `${path.basename(file)} is not this session's recording: its content differs from the file that was analysed (${path.basename(media.path)})`,
          'bad-request',
        );
      setMediaPath(db, media.mediaId, file);
      return presentSession(db, session(i.id));
    },
    'coverage.rule': (): Out<'coverage.rule'> => coverageRule(db),
    'coverage.setRule': (i: { rule: Out<'coverage.rule'> | null }): Out<'coverage.setRule'> => {
      return setCoverageRule(db, i.rule);
    },
    'docs.get': (i: { doc: 'dass-scoring' | 'model-card'; id?: string }): Out<'docs.get'> => {
      if (i.doc === 'dass-scoring')
        return { title: 'DASS-21 scoring in Affect Workstation', markdown: readFileSync(path.join(DASS21_DATA_DIR, 'SCORING.md'), 'utf8') };
      if (!i.id || !/^[\w.-]+$/.test(i.id)) throw new ApiError('docs.get: a model card needs the model id', 'bad-request');
      let dir: string;
      try {
        dir = resolveModelDir(i.id, modelsRoot ?? defaultModelsRoot());
      } catch (err) {
        throw new ApiError((err as Error).message, 'not-found');
      }
      const card = path.join(dir, 'MODEL_CARD.md');
      if (!existsSync(card)) throw new ApiError(`model ${i.id} has no MODEL_CARD.md`, 'not-found');
      return { title: `Model card: ${i.id}`, markdown: readFileSync(card, 'utf8') };
    },
  };
}
