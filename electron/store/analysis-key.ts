/**
 * What makes two analyses the same: the recording's content (sha256), the frame rate, the set of models
 * (their sha256s, in any order) and the number of speakers asked for (`--speakers N`; absent when estimated, which
 * keeps the key of every analysis without it as it was). Stored as sessions.analysis_key under a UNIQUE index
 * (migration 009_analysis_key.sql builds the same string in SQL for sessions stored before it: keep the two in step).
 */
export function analysisKey(mediaSha256: string, fps: number, modelSha256s: readonly string[], speakers?: number): string {
  return `${mediaSha256}|${fps.toFixed(6)}|${[...modelSha256s].sort().join(',')}${speakers === undefined ? '' : `|speakers=${speakers}`}`;
}

/** Thrown when a recording is already stored with the same content, fps and models. */
export class AlreadyStoredError extends Error {
  readonly reason: string;
  constructor(
    readonly file: string,
    readonly sessionId: number,
  ) {
    const reason = `stored meanwhile by another run as session ${sessionId} (same content, fps and models); not stored twice`;
    super(`${file}: ${reason}`);
    this.reason = reason;
    this.name = 'AlreadyStoredError';
  }
}
