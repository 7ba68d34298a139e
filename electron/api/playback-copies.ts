import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { CancelledError, MediaInputError } from '../analysis/media/errors.js';
import { resolveFfmpeg } from '../analysis/media/ffmpeg-path.js';
import { makePlaybackCopy, PLAYBACK_EXTENSION, type PlaybackTarget } from '../analysis/media/playback-copy.js';
import { ProgressTracker } from '../analysis/progress.js';
import { ApiError, type ApiOutput } from '../contract/api.js';
import type { Db } from '../store/db.js';
import { getSession, sessionMedia } from '../store/sessions-repo.js';

type Status = ApiOutput<'playback.status'>;

interface Job {
  target: PlaybackTarget;
  controller: AbortController;
  fraction: number;
  etaS: number | null;
  error: string | null;
  done: Promise<void>;
}

/**
 * Playback copies of recordings the UI cannot play as they are (HEVC from phones, ProRes…): made once per recording
 * (keyed by its content hash), in the background, with progress and cancel; kept as 0600 files in a 0700 folder
 * beside the database. One copy per recording and target; a failed copy can be asked for again.
 */
export class PlaybackCopies {
  private readonly jobs = new Map<string, Job>();

  constructor(readonly dir: string) {}

  /** Where the copy of the recording with this content hash is (or will be). */
  fileFor(sha256: string, target: PlaybackTarget): string {
    return path.join(this.dir, `${sha256}.${PLAYBACK_EXTENSION[target]}`);
  }

  /** The finished copy, whichever target it was made for. */
  existing(sha256: string): { file: string; target: PlaybackTarget } | null {
    for (const target of ['h264', 'vp9'] as const)
      if (existsSync(this.fileFor(sha256, target))) return { file: this.fileFor(sha256, target), target };
    return null;
  }

  status(sha256: string): Status {
    const ready = this.existing(sha256);
    const job = this.jobs.get(sha256);
    if (job && !ready)
      return { state: job.error ? 'failed' : 'running', target: job.target, fraction: job.fraction, etaS: job.etaS, error: job.error };
    if (ready) return { state: 'ready', target: ready.target, fraction: 1, etaS: null, error: null };
    return { state: 'none', target: null, fraction: 0, etaS: null, error: null };
  }

  /** Start a copy unless one is ready or running. */
  prepare(media: { sha256: string; path: string; durationS: number; audioCodec: string | null }, target: PlaybackTarget): Status {
    const current = this.status(media.sha256);
    if (current.state === 'ready' || current.state === 'running') return current;
    if (!existsSync(media.path)) throw new ApiError(`the recording is not at ${media.path}; locate it first`, 'bad-request');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
    const controller = new AbortController();
    const progress = new ProgressTracker((p) => {
      job.fraction = p.fraction;
      job.etaS = p.etaS;
    }, 0);
    const job: Job = { target, controller, fraction: 0, etaS: null, error: null, done: Promise.resolve() };
    job.done = makePlaybackCopy(media.path, this.fileFor(media.sha256, target), target, resolveFfmpeg(), {
      durationS: media.durationS,
      audioCodec: media.audioCodec,
      signal: controller.signal,
      onFraction: (f) => progress.update('converting', f),
    }).then(
      () => void this.jobs.delete(media.sha256),
      (err: unknown) => {
        if (err instanceof CancelledError) this.jobs.delete(media.sha256);
        else job.error = err instanceof MediaInputError ? `${err.problem}${err.detail ? ` (${err.detail})` : ''}` : (err as Error).message;
      },
    );
    this.jobs.set(media.sha256, job);
    return this.status(media.sha256);
  }

  cancel(sha256: string): Status {
    this.jobs.get(sha256)?.controller.abort();
    return this.status(sha256);
  }

  /** Resolves when the copy for this recording is no longer being made (tests, shutdown). */
  async settled(sha256: string): Promise<void> {
    await this.jobs.get(sha256)?.done;
  }

  async close(): Promise<void> {
    for (const job of this.jobs.values()) job.controller.abort();
    await Promise.all([...this.jobs.values()].map((j) => j.done));
  }
}

/** The playback.* methods and the player's media lookup for the copy. */
export function playbackHandlers(db: Db, copies: PlaybackCopies) {
  const mediaOf = (sessionId: number) => {
    const s = getSession(db, sessionId);
    if (!s) throw new ApiError(`no session with id ${sessionId}`, 'not-found');
    const { audio_codec } = db.prepare('SELECT m.audio_codec FROM sessions s JOIN media m ON m.id = s.media_id WHERE s.id = ?').get(sessionId) as {
      audio_codec: string | null;
    };
    return { ...sessionMedia(db, sessionId)!, durationS: s.durationS, audioCodec: audio_codec };
  };
  return {
    'playback.status': (i: { sessionId: number }): Status => copies.status(mediaOf(i.sessionId).sha256),
    'playback.prepare': (i: { sessionId: number; target: PlaybackTarget }): Status => copies.prepare(mediaOf(i.sessionId), i.target),
    'playback.cancel': (i: { sessionId: number }): Status => copies.cancel(mediaOf(i.sessionId).sha256),
    /** The file the player's media handler serves: the recording itself, or its finished playback copy. */
    'media.source': (i: { sessionId: number; variant: 'original' | 'playback' }): ApiOutput<'media.source'> => {
      const m = mediaOf(i.sessionId);
      if (i.variant === 'playback') return { file: copies.existing(m.sha256)?.file ?? null };
      return { file: existsSync(m.path) ? m.path : null };
    },
  };
}
