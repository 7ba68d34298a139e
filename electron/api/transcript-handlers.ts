import path from 'node:path';
import { CancelledError } from '../analysis/media/errors.js';
import type { Progress } from '../analysis/progress.js';
import type { TextEmotionModel } from '../analysis/text/text-model.js';
import { TranscriptError } from '../analysis/transcript/cue.js';
import { prepareTranscript } from '../analysis/transcript/prepare.js';
import type { MappingTurn } from '../analysis/transcript/speaker-mapping.js';
import { ApiError, type ApiInput, type ApiOutput } from '../contract/api.js';
import { getClient } from '../store/clients-repo.js';
import type { Db } from '../store/db.js';
import { getSession } from '../store/sessions-repo.js';
import {
  getTranscript,
  mapSpeaker,
  renameSpeaker,
  saveTranscript,
  searchTranscripts,
  sessionOfSpeaker,
  TranscriptExistsError,
  TranscriptStoreError,
} from '../store/transcripts-repo.js';
import { transcriptOf } from './transcript-view.js';

type Status = ApiOutput<'transcripts.attachStatus'>;

export interface TranscriptDeps {
  /** The text model chosen for this database (Settings). */
  textModel: () => Promise<TextEmotionModel>;
  /** A session's diarized speech turns (participant numbers), for mapping speakers. */
  speechTurns: (sessionId: number) => MappingTurn[];
}

/**
 * Transcripts in the app: attach one to a session (read, checked against the recording, each line estimated, stored in
 * one transaction; progress and cancel while it runs), name and map its speakers, search a client's transcripts.
 * Messages name the file by its base name (in browser mode the path is an upload's).
 */
export function transcriptHandlers(db: Db, deps: TranscriptDeps) {
  const running = new Map<number, { controller: AbortController; progress: Progress | null }>();
  const status = (sessionId: number): Status => {
    const r = running.get(sessionId);
    return r
      ? { state: 'running', fraction: r.progress?.fraction ?? 0, etaS: r.progress?.etaS ?? null, stage: r.progress?.stage ?? 'reading' }
      : { state: 'none', fraction: 0, etaS: null, stage: null };
  };
  const present = (sessionId: number) => transcriptOf(db, sessionId, deps.speechTurns(sessionId));
  const edited = (speakerId: number, edit: () => void) => {
    let sessionId: number;
    try {
      sessionId = sessionOfSpeaker(db, speakerId);
      edit();
    } catch (err) {
      if (err instanceof TranscriptStoreError) throw new ApiError(err.message, 'not-found');
      throw err;
    }
    return present(sessionId)!;
  };

  return {
    'transcripts.get': (i: { sessionId: number }): ApiOutput<'transcripts.get'> => {
      if (!getSession(db, i.sessionId)) throw new ApiError(`no session with id ${i.sessionId}`, 'not-found');
      return present(i.sessionId);
    },
    'transcripts.attach': async (i: ApiInput<'transcripts.attach'>): Promise<ApiOutput<'transcripts.attach'>> => {
      const session = getSession(db, i.sessionId);
      if (!session) throw new ApiError(`no session with id ${i.sessionId}`, 'not-found');
      if (running.has(i.sessionId))
        throw new ApiError(`a transcript is being attached to session ${i.sessionId} already; wait for it or cancel it`, 'bad-request');
      const existing = getTranscript(db, i.sessionId);
      if (existing && !i.replace) throw new ApiError(new TranscriptExistsError(i.sessionId, existing.fileName).message, 'bad-request');
      const entry = { controller: new AbortController(), progress: null as Progress | null };
      running.set(i.sessionId, entry);
      try {
        const prepared = await prepareTranscript(i.path, {
          durationS: session.durationS,
          model: await deps.textModel(),
          name: path.basename(i.path),
          format: i.format,
          tiers: i.tiers,
          signal: entry.controller.signal,
          onProgress: (p) => (entry.progress = p),
        });
        saveTranscript(db, i.sessionId, prepared, { replace: i.replace, turns: deps.speechTurns(i.sessionId) });
      } catch (err) {
        if (err instanceof TranscriptError || err instanceof TranscriptExistsError) throw new ApiError(err.message, 'bad-request');
        if (err instanceof CancelledError) throw new ApiError(`${path.basename(i.path)}: cancelled; nothing was stored`, 'bad-request');
        if (err instanceof TranscriptStoreError) throw new ApiError(err.message, 'not-found');
        throw err;
      } finally {
        running.delete(i.sessionId);
      }
      return present(i.sessionId)!;
    },
    'transcripts.attachStatus': (i: { sessionId: number }): Status => status(i.sessionId),
    'transcripts.cancelAttach': (i: { sessionId: number }): Status => {
      running.get(i.sessionId)?.controller.abort();
      return status(i.sessionId);
    },
    'transcripts.renameSpeaker': (i: { speakerId: number; name: string | null }): ApiOutput<'transcripts.renameSpeaker'> =>
      edited(i.speakerId, () => renameSpeaker(db, i.speakerId, i.name)),
    'transcripts.mapSpeaker': (i: { speakerId: number; participant: number | null }): ApiOutput<'transcripts.mapSpeaker'> =>
      edited(i.speakerId, () => mapSpeaker(db, i.speakerId, i.participant)),
    'transcripts.search': (i: { clientId: number; query: string; limit?: number }): ApiOutput<'transcripts.search'> => {
      if (!getClient(db, i.clientId)) throw new ApiError(`no client with id ${i.clientId}`, 'not-found');
      const r = searchTranscripts(db, i.clientId, i.query, { limit: i.limit });
      return { total: r.total, sessions: r.sessions, hits: r.hits.map(({ startS, endS, ...h }) => ({ ...h, start: startS, end: endS })) };
    },
  };
}
