import type { MappingTurn } from '../analysis/transcript/speaker-mapping.js';
import type { Db } from './db.js';

/**
 * A session's diarized speech turns (who speaks when, by participant number), which transcript speakers are mapped
 * against. Sessions carry none until the per-person analysis stores them (issue 17's participants); until then every
 * speaker stays unmapped with the reason given.
 */
export function sessionSpeechTurns(_db: Db, _sessionId: number): MappingTurn[] {
  return [];
}
