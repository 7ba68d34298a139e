import type { AnalysisEngine } from '../analysis/engine.js';
import { CancelledError, MediaInputError } from '../analysis/media/errors.js';
import type { Progress } from '../analysis/progress.js';
import type { Db } from '../store/db.js';
import { getJob, nextQueuedJob, requeueInterrupted, setJobStatus } from '../store/jobs-repo.js';
import { saveAnalysis } from '../store/sessions-repo.js';

export interface LiveProgress {
  fraction: number;
  etaS: number | null;
  stage: string | null;
}

/**
 * Runs import jobs one at a time, in the background, from the persisted queue. Progress lives in
 * memory; statuses live in the database, so a restart resumes the queue (an interrupted job starts
 * again from the beginning: its partial results were never written).
 */
export class JobQueue {
  private running: { id: number; controller: AbortController } | null = null;
  private readonly progress = new Map<number, LiveProgress>();
  private pumping: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly engine: () => Promise<AnalysisEngine>,
    /** Called after a job's session is stored (the service records the import in the audit log). */
    private readonly onImported: (sessionId: number) => void = () => undefined,
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

  /** Cancel a queued or running job. */
  cancel(id: number): void {
    const job = getJob(this.db, id);
    if (!job) throw new Error(`no job ${id}`);
    if (this.running?.id === id) this.running.controller.abort();
    else if (job.status === 'queued') setJobStatus(this.db, id, 'cancelled');
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
        const result = await engine.analyze(job.file, {
          fps: job.fps,
          signal: controller.signal,
          onProgress: (p: Progress) => this.progress.set(job!.id, { fraction: p.fraction, etaS: p.etaS, stage: p.stage }),
        });
        const sessionId = saveAnalysis(this.db, result, { clientId: job.clientId });
        setJobStatus(this.db, job.id, 'done', { sessionId });
        this.onImported(sessionId);
      } catch (err) {
        if (err instanceof CancelledError) setJobStatus(this.db, job.id, this.closed ? 'queued' : 'cancelled');
        else if (err instanceof MediaInputError)
          setJobStatus(this.db, job.id, 'failed', { error: err.problem, errorDetail: err.detail, retryable: err.retryable });
        else setJobStatus(this.db, job.id, 'failed', { error: (err as Error).message });
      } finally {
        this.progress.delete(job.id);
        this.running = null;
      }
    }
  }
}
