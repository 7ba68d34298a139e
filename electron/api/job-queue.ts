import type { AnalysisEngine } from '../analysis/engine.js';
import { CancelledError, MediaInputError } from '../analysis/media/errors.js';
import { hashFile } from '../analysis/media/media-hash.js';
import { checkInputFile } from '../analysis/media/probe.js';
import type { Progress } from '../analysis/progress.js';
import { AlreadyStoredError, analysisKey } from '../store/analysis-key.js';
import type { Db } from '../store/db.js';
import { getJob, markJobAlreadyAnalysed, nextQueuedJob, requeueInterrupted, setJobNote, setJobStatus, type JobRow } from '../store/jobs-repo.js';
import { findAnalysedSessionByKey, saveAnalysis } from '../store/sessions-repo.js';
import { probeMedia } from '../analysis/media/probe.js';
import type { TextEmotionModel } from '../analysis/text/text-model.js';
import { TranscriptError } from '../analysis/transcript/cue.js';
import { prepareTranscript, type PreparedTranscript } from '../analysis/transcript/prepare.js';
import { findSidecarTranscript } from '../analysis/transcript/read-transcript.js';
import type { MappingTurn } from '../analysis/transcript/speaker-mapping.js';
import { getTranscript, saveTranscript } from '../store/transcripts-repo.js';
import path from 'node:path';

export interface LiveProgress {
  fraction: number;
  etaS: number | null;
  stage: string | null;
}

/** What a job needs for the recording's transcript, when it has one. */
export interface TranscriptSupport {
  textModel: () => Promise<TextEmotionModel>;
  speechTurns: (sessionId: number) => MappingTurn[];
}

/**
 * Runs import jobs one at a time, in the background, from the persisted queue. Progress lives in
 * memory; statuses live in the database, so a restart resumes the queue (an interrupted job starts
 * again from the beginning: its partial results were never written). A recording already stored with the
 * same content, fps and models is not analysed again: its job ends done, "already analysed", pointing at
 * that session. A job is marked done in the same transaction that stores its session, so a crash leaves
 * either both or neither.
 *
 * A recording's transcript (the file given with the job, else one beside the recording with the same base name) is
 * read, checked against the recording and estimated line by line BEFORE the analysis, so a transcript that cannot be
 * read fails the job at once (its message names the file and the line; fix or remove the file and retry) rather than
 * after a long analysis; it is stored in the session's transaction. A recording already stored gets the transcript
 * when it has none yet.
 */
export class JobQueue {
  private running: { id: number; controller: AbortController } | null = null;
  private readonly progress = new Map<number, LiveProgress>();
  private pumping: Promise<void> | null = null;
  private closed = false;
  private readonly settledListeners: Array<(job: JobRow) => void> = [];

  constructor(
    private readonly db: Db,
    private readonly engine: () => Promise<AnalysisEngine>,
    /** Called after a job's session is stored (the service records the import in the audit log). */
    private readonly onImported: (sessionId: number) => void = () => undefined,
    /** Transcripts: without it, jobs ignore them. */
    private readonly transcripts: TranscriptSupport | null = null,
  ) {
    requeueInterrupted(db);
  }

  progressOf(id: number): LiveProgress | undefined {
    return this.progress.get(id);
  }

  /** Start working through queued jobs (no-op when already working). */
  kick(): void {
    if (this.pumping || this.closed) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      if (!this.closed && nextQueuedJob(this.db)) this.kick();
    });
  }

  /** Called with each job that has finished (done, failed or cancelled). */
  onSettled(listener: (job: JobRow) => void): void {
    this.settledListeners.push(listener);
  }

  /** Cancel a queued or running job. */
  cancel(id: number): void {
    const job = getJob(this.db, id);
    if (!job) throw new Error(`no job ${id}`);
    if (this.running?.id === id) this.running.controller.abort();
    else if (job.status === 'queued') {
      setJobStatus(this.db, id, 'cancelled');
      this.settled(id);
    }
  }

  /** Resolves when the queue is idle. */
  async idle(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.running?.controller.abort();
    await this.pumping?.catch(() => undefined);
  }

  private async pump(): Promise<void> {
    for (let job = nextQueuedJob(this.db); job && !this.closed; job = nextQueuedJob(this.db)) {
      const controller = new AbortController();
      this.running = { id: job.id, controller };
      setJobStatus(this.db, job.id, 'running');
      this.progress.set(job.id, { fraction: 0, etaS: null, stage: 'starting' });
      try {
        const engine = await this.engine();
        checkInputFile(job.file);
        this.progress.set(job.id, { fraction: 0, etaS: null, stage: 'checking' });
        const mediaSha256 = await hashFile(job.file, controller.signal);
        const transcript = await this.readTranscript(job, engine, controller.signal);
        const existing = findAnalysedSessionByKey(
          this.db,
          analysisKey(
            mediaSha256,
            job.fps,
            engine.models.map((m) => m.sha256),
          ),
        );
        if (existing !== null)
          this.db.transaction(() => {
            markJobAlreadyAnalysed(this.db, job!.id, existing);
            const has = transcript ? getTranscript(this.db, existing) : null;
            if (transcript && !has) this.storeTranscript(existing, transcript);
            else if (transcript && has && has.sha256 !== transcript.sha256)
              setJobNote(
                this.db,
                job!.id,
                `Session ${existing} keeps its transcript ${has.fileName}; to use ${transcript.fileName} instead, replace it from the session's review.`,
              );
          })();
        else {
          const result = await engine.analyze(job.file, {
            fps: job.fps,
            mediaSha256,
            signal: controller.signal,
            onProgress: (p: Progress) => this.progress.set(job!.id, { fraction: p.fraction, etaS: p.etaS, stage: p.stage }),
          });
          this.storeAndFinish(job, () => {
            const sessionId = saveAnalysis(this.db, result, { clientId: job!.clientId });
            if (transcript) this.storeTranscript(sessionId, transcript);
            return sessionId;
          });
        }
      } catch (err) {
        if (err instanceof CancelledError) setJobStatus(this.db, job.id, this.closed ? 'queued' : 'cancelled');
        else if (err instanceof TranscriptError)
          setJobStatus(this.db, job.id, 'failed', { error: `The transcript ${err.message}; correct or remove the transcript file, then retry.` });
        else if (err instanceof MediaInputError)
          setJobStatus(this.db, job.id, 'failed', { error: err.problem, errorDetail: err.detail, retryable: err.retryable });
        else setJobStatus(this.db, job.id, 'failed', { error: (err as Error).message });
      } finally {
        this.progress.delete(job.id);
        this.running = null;
      }
      this.settled(job.id);
    }
  }

  /** The job's transcript read, checked against the recording and estimated (null: none given and none beside it). */
  private async readTranscript(job: JobRow, engine: AnalysisEngine, signal: AbortSignal): Promise<PreparedTranscript | null> {
    const file = this.transcripts ? (job.transcript ?? findSidecarTranscript(job.file)) : null;
    if (!file) return null;
    this.progress.set(job.id, { fraction: 0, etaS: null, stage: 'reading the transcript' });
    const media = await probeMedia(job.file, engine.ffmpeg, signal);
    return prepareTranscript(file, { durationS: media.durationS, model: await this.transcripts!.textModel(), name: path.basename(file), signal });
  }

  private storeTranscript(sessionId: number, transcript: PreparedTranscript): void {
    saveTranscript(this.db, sessionId, transcript, { turns: this.transcripts!.speechTurns(sessionId) });
  }

  /**
   * Store the session, mark its job done and record the import in the audit log in ONE transaction (another
   * process may have stored the same recording first: then the job points at that session).
   */
  private storeAndFinish(job: JobRow, store: () => number): void {
    this.db
      .transaction(() => {
        try {
          const sessionId = store();
          setJobStatus(this.db, job.id, 'done', { sessionId });
          this.onImported(sessionId);
        } catch (err) {
          if (!(err instanceof AlreadyStoredError)) throw err;
          markJobAlreadyAnalysed(this.db, job.id, err.sessionId);
        }
      })
      .immediate();
  }

  private settled(id: number): void {
    const job = getJob(this.db, id);
    if (!job || job.status === 'queued' || job.status === 'running') return;
    for (const listener of this.settledListeners) {
      try {
        listener(job);
      } catch (err) {
        console.error(`job ${id}: ${(err as Error).message}`);
      }
    }
  }
}
