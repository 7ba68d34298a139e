import path from 'node:path';
import type { AnalysisEngine } from '../analysis/engine.js';
import { ESTIMATE_NOTE } from '../analysis/result.js';
import { resolveFfmpeg } from '../analysis/media/ffmpeg-path.js';
import { API, ApiError, parseInput, parseOutput, type ApiInput, type ApiMethod, type ApiOutput } from '../contract/api.js';
import { createClient, DuplicateClientError, getClient, listClients, renameClient, setClientArchived } from '../store/clients-repo.js';
import type { Db } from '../store/db.js';
import { addJobs, getJob, listJobs, setJobStatus, type JobRow } from '../store/jobs-repo.js';
import { getSession, listSessions } from '../store/sessions-repo.js';
import { annotationHandlers } from './annotation-handlers.js';
import { dassHandlers } from './dass-handlers.js';
import { JobQueue } from './job-queue.js';
import type { ModelRole } from '../analysis/models/registry.js';
import { currentModelChoice, listInstalledModels, selectModel, type ModelChoice } from './model-choice.js';
import { sessionDetail } from './session-detail.js';

export const APP_VERSION = '0.1.0';

export interface ServiceOptions {
  db: Db;
  databasePath: string;
  /** Creates the analysis engine with these model folders per role (on first use, and again after a model choice changes). */
  engine: (models: ModelChoice) => Promise<AnalysisEngine>;
  /** Where installed models are looked up (default: $AFFECT_MODELS_DIR or the bundled native-models/). */
  modelsRoot?: string;
}

type Handlers = { [M in ApiMethod]: (input: ReturnType<typeof parseInput<M>>) => ApiOutput<M> | Promise<ApiOutput<M>> };

/**
 * The engine side of the typed API: one handler per method. Transports (Electron IPC, the
 * browser-mode HTTP server) call `handle(method, rawInput)`, which validates input and output.
 */
export class AffectService {
  readonly queue: JobQueue;
  private readonly handlers: Handlers;

  private engineCache: { key: string; engine: Promise<AnalysisEngine> } | null = null;

  constructor(private readonly opts: ServiceOptions) {
    this.queue = new JobQueue(opts.db, () => this.engineForNextJob());
    this.handlers = this.makeHandlers();
    this.queue.kick();
  }

  async handle(method: string, rawInput: unknown): Promise<unknown> {
    if (!Object.prototype.hasOwnProperty.call(API, method)) throw new ApiError(`unknown method ${method}`, 'bad-request');
    const m = method as ApiMethod;
    const input = parseInput(m, rawInput);
    const output = await (this.handlers[m] as (i: unknown) => unknown)(input);
    return parseOutput(m, output);
  }

  /** Typed in-process call (tests, CLI). */
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
    return this.handle(method, input) as Promise<ApiOutput<M>>;
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.engineCache?.engine.then((e) => e.close()).catch(() => undefined);
    this.engineCache = null;
  }

  /**
   * The engine for the model choice stored now. The queue asks between jobs only (one job at a time), so when the
   * choice changed the previous engine is idle and is released here.
   */
  private engineForNextJob(): Promise<AnalysisEngine> {
    const choice = currentModelChoice(this.opts.db, this.opts.modelsRoot);
    const key = JSON.stringify(choice);
    if (this.engineCache === null || this.engineCache.key !== key) {
      const previous = this.engineCache?.engine;
      const engine = this.opts.engine(choice);
      this.engineCache = { key, engine };
      // A model that failed to load is tried again for the next job, not remembered as failed.
      engine.catch(() => {
        if (this.engineCache?.engine === engine) this.engineCache = null;
      });
      previous?.then((e) => e.close()).catch(() => undefined);
    }
    return this.engineCache!.engine;
  }

  private job(row: JobRow) {
    const live = this.queue.progressOf(row.id);
    return {
      id: row.id,
      file: row.file,
      clientId: row.clientId,
      status: row.status,
      fraction: row.status === 'done' ? 1 : live?.fraction ?? 0,
      etaS: live?.etaS ?? null,
      stage: live?.stage ?? null,
      error: row.error,
      sessionId: row.sessionId,
      createdAt: row.createdAt,
    };
  }

  private client(id: number) {
    const c = getClient(this.opts.db, id);
    if (!c) throw new ApiError(`no client with id ${id}`, 'not-found');
    return c;
  }

  private makeHandlers(): Handlers {
    const db = this.opts.db;
    return {
      'app.info': () => {
        let ffmpeg: { path: string; source: string } | null = null;
        let ffmpegError: string | null = null;
        try {
          const ff = resolveFfmpeg();
          ffmpeg = { path: ff.ffmpeg, source: ff.source };
        } catch (err) {
          ffmpegError = (err as Error).message;
        }
        // The models the next analysis will use: the chosen folder per role (Settings), else the default.
        const roleNames: Record<ModelRole, string> = {
          faceDetector: 'face-detector',
          faceExpression: 'face-expression',
          voiceEmotion: 'voice-emotion',
          textEmotion: 'text-emotion',
        };
        const models = listInstalledModels(db, this.opts.modelsRoot)
          .filter((m) => m.selected)
          .map(({ role, id, version, sha256, architecture, labels, heldOutUar, metrics }) => ({ role: roleNames[role], id, version, sha256, architecture, labels, heldOutUar, metrics }));
        return { appVersion: APP_VERSION, databasePath: this.opts.databasePath, ffmpeg, ffmpegError, models, note: ESTIMATE_NOTE };
      },
      'models.list': () => listInstalledModels(db, this.opts.modelsRoot),
      'models.select': (i) => {
        try {
          selectModel(db, i.role, i.id, this.opts.modelsRoot);
        } catch (err) {
          throw new ApiError((err as Error).message, 'bad-request');
        }
        return listInstalledModels(db, this.opts.modelsRoot);
      },
      'clients.list': (i) => listClients(db, i),
      'clients.create': (i) => {
        try {
          return createClient(db, i.code, i.displayName);
        } catch (err) {
          if (err instanceof DuplicateClientError) throw new ApiError(err.message, 'bad-request');
          throw err;
        }
      },
      'clients.rename': (i) => (renameClient(db, i.id, i.displayName), this.client(i.id)),
      'clients.archive': (i) => (setClientArchived(db, i.id, i.archived), this.client(i.id)),
      'sessions.list': (i) => listSessions(db, i.clientId === undefined ? {} : { clientId: i.clientId }),
      'sessions.get': (i) => sessionDetail(db, i.id),
      'sessions.assign': (i) => {
        if (i.clientId !== null) this.client(i.clientId);
        if (db.prepare('UPDATE sessions SET client_id = ? WHERE id = ?').run(i.clientId, i.id).changes !== 1) throw new ApiError(`no session with id ${i.id}`, 'not-found');
        return getSession(db, i.id)!;
      },
      'jobs.enqueue': (i) => {
        if (i.clientId) this.client(i.clientId);
        const rows = addJobs(db, i.paths, i.clientId ?? null, i.fps ?? 2);
        this.queue.kick();
        return rows.map((r) => this.job(r));
      },
      'jobs.list': () => listJobs(db).map((r) => this.job(r)),
      'jobs.cancel': (i) => {
        this.queue.cancel(i.id);
        return this.job(getJob(db, i.id)!);
      },
      'jobs.retry': (i) => {
        const row = getJob(db, i.id);
        if (!row) throw new ApiError(`no job ${i.id}`, 'not-found');
        if (row.status !== 'failed' && row.status !== 'cancelled') throw new ApiError(`job ${i.id} is ${row.status}; only failed or cancelled jobs can be retried`, 'bad-request');
        setJobStatus(db, i.id, 'queued');
        this.queue.kick();
        return this.job(getJob(db, i.id)!);
      },
      ...dassHandlers(db, (id) => this.client(id)),
      ...annotationHandlers(db, path.join(path.dirname(path.resolve(this.opts.databasePath)), 'exports')),
    };
  }
}
