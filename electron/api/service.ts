import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AnalysisEngine } from '../analysis/engine.js';
import { ESTIMATE_NOTE } from '../analysis/result.js';
import { resolveFfmpeg } from '../analysis/media/ffmpeg-path.js';
import { API, ApiError, parseInput, parseOutput, type ApiInput, type ApiMethod, type ApiOutput } from '../contract/api.js';
import { createClient, DuplicateClientError, getClient, listClients, renameClient, setClientArchived } from '../store/clients-repo.js';
import type { Db } from '../store/db.js';
import { addJobs, getJob, listJobs, setJobStatus, type JobRow } from '../store/jobs-repo.js';
import { getSession, listSessions } from '../store/sessions-repo.js';
import { appendAudit, type AuditActor } from '../store/audit-repo.js';
import type { ErasureTarget } from '../store/erase-repo.js';
import { annotationHandlers } from './annotation-handlers.js';
import { ClientMode } from './client-mode.js';
import { exportHandlers } from './export-handlers.js';
import { PlaybackCopies, playbackHandlers } from './playback-copies.js';
import { reviewHandlers } from './review-handlers.js';
import { clientModeHandlers, selfcareHandlers } from './selfcare-handlers.js';
import { presentSession } from './session-view.js';
import { auditEventFor } from './audit-events.js';
import { privacyHandlers } from './privacy-handlers.js';
import { Vault, type VaultStatus } from './vault.js';
import { dassHandlers } from './dass-handlers.js';
import { JobQueue } from './job-queue.js';
import type { ModelRole } from '../analysis/models/registry.js';
import { currentModelChoice, listInstalledModels, selectModel, type ModelChoice } from './model-choice.js';
import { sessionDetail } from './session-detail.js';
import { participantHandlers } from './participant-handlers.js';
import { speechTurns, syncSessionFaces } from '../store/participants-repo.js';
import { TextModels } from './text-models.js';
import { transcriptHandlers } from './transcript-handlers.js';

export const APP_VERSION = '0.1.0';

export interface ServiceOptions {
  /**
   * An already-open database (the caller closes it). Without one the service opens `databasePath` itself and
   * may start locked (encrypted, no key yet) or in first-run setup (no database yet): see vault.ts.
   */
  db?: Db;
  databasePath: string;
  /** Who the audit log names for this service's actions (default 'app'). */
  actor?: Extract<AuditActor, 'app' | 'browser'>;
  /** scrypt cost for new keys (tests use a small one; the default is db-key.ts's). */
  kdfCost?: { N: number; r: number; p: number };
  /** Milliseconds clock for auto-lock (tests move it). */
  clock?: () => number;
  /** Creates the analysis engine with these model folders per role (on first use, and again after a model choice changes). */
  engine: (models: ModelChoice) => Promise<AnalysisEngine>;
  /** Where installed models are looked up (default: $AFFECT_MODELS_DIR or the bundled native-models/). */
  modelsRoot?: string;
}

type Handlers = { [M in ApiMethod]: (input: ReturnType<typeof parseInput<M>>) => ApiOutput<M> | Promise<ApiOutput<M>> };
type VaultMethod = Extract<ApiMethod, `vault.${string}`>;
type DataHandlers = Omit<Handlers, VaultMethod>;

/** Polls that do not count as activity for auto-lock. */
const PASSIVE = new Set<string>(['jobs.list', 'vault.status']);

/**
 * The engine side of the typed API: one handler per method. Transports (Electron IPC, the
 * browser-mode HTTP server) call `handle(method, rawInput)`, which validates input and output.
 */
export class AffectService {
  readonly vault: Vault;
  /** Playback copies of recordings the UI cannot play as they are (0600 files in a 0700 folder beside the database). */
  readonly playback: PlaybackCopies;
  /**
   * While the database is open: its import queue, its handlers, and client mode (self-care hand-over: while on,
   * every call but that client's exercise methods is refused).
   */
  private current: { db: Db; queue: JobQueue; handlers: DataHandlers; clientMode: ClientMode } | null = null;
  private readonly vaultHandlers: Pick<Handlers, VaultMethod>;
  private readonly actor: AuditActor;
  private readonly openListeners: Array<(db: Db, queue: JobQueue) => void> = [];

  private engineCache: { key: string; engine: Promise<AnalysisEngine> } | null = null;
  /** The text models transcripts are estimated with (imports and attaching alike). */
  private readonly textModels: TextModels;

  constructor(private readonly opts: ServiceOptions) {
    this.actor = opts.actor ?? 'app';
    this.textModels = new TextModels(opts.modelsRoot);
    this.playback = new PlaybackCopies(path.join(path.dirname(path.resolve(opts.databasePath)), 'playback'));
    this.vault = new Vault(
      opts.databasePath,
      {
        onOpen: (db) => {
          // Unlocked again while an idle lock was letting an import finish: the database never closed, so its queue
          // (with the running import) and handlers stay as they are.
          if (this.current?.db === db) return;
          const queue = new JobQueue(
            db,
            () => this.engineForNextJob(),
            (sessionId) => appendAudit(db, { actor: this.actor, action: 'import', objectKind: 'session', objectId: sessionId }),
            { textModel: () => this.textModelFor(db), speechTurns: (id) => speechTurns(db, id) },
          );
          const clientMode = new ClientMode(db, (id) => this.client(id));
          this.current = { db, queue, clientMode, handlers: this.makeHandlers(db, queue, clientMode) };
          for (const listener of this.openListeners) listener(db, queue);
          queue.kick();
        },
        onClose: async () => {
          const c = this.current;
          this.current = null;
          await c?.queue.close();
        },
        whenIdle: async () => {
          await this.current?.queue.idle();
        },
      },
      { actor: this.actor, db: opts.db, kdfCost: opts.kdfCost, now: opts.clock },
    );
    this.vaultHandlers = this.makeVaultHandlers();
    this.vault.start();
  }

  /**
   * A service for a database file, unlocked with `passphrase` when one is given (a new database is created
   * encrypted with it); without one an encrypted database starts locked and a missing one in first-run setup.
   * Throws (naming the database) for a wrong passphrase, or a passphrase given for a plain database.
   */
  static async open(opts: Omit<ServiceOptions, 'db'> & { passphrase?: string | null }): Promise<AffectService> {
    const service = new AffectService(opts);
    const pass = opts.passphrase ?? null;
    try {
      const state = service.vault.status().state;
      if (pass !== null && state === 'open' && !service.vault.status().encrypted)
        throw new Error(
          `${opts.databasePath}: is not encrypted, but a passphrase was given; encrypt it with \`affect db encrypt --db ${opts.databasePath}\``,
        );
      if (pass !== null && state === 'setup') await service.vault.setup(pass);
      if (pass !== null && state === 'locked') await service.vault.unlock(pass);
    } catch (err) {
      await service.close();
      throw new Error(
        err instanceof ApiError && err.message === 'wrong passphrase' ? `${opts.databasePath}: wrong passphrase` : (err as Error).message,
      );
    }
    return service;
  }

  /**
   * Call `listener` each time the database opens (unlock, first-run setup), and now if it is open: the
   * browser-mode server follows the import queue of whichever database is open.
   */
  whenOpen(listener: (db: Db, queue: JobQueue) => void): void {
    this.openListeners.push(listener);
    if (this.vault.isOpen() && this.current) listener(this.current.db, this.current.queue);
  }

  /** True while the workstation is handed to a client (self-care client mode). */
  inClientMode(): boolean {
    return this.vault.isOpen() && (this.current?.clientMode.active ?? false);
  }

  /** The open database, or null while locked or before setup. */
  currentDb(): Db | null {
    return this.vault.isOpen() ? (this.current?.db ?? null) : null;
  }

  /** The import queue of the open database (throws while locked). */
  get queue(): JobQueue {
    if (!this.current) throw new ApiError('the database is locked', 'locked');
    return this.current.queue;
  }

  async handle(method: string, rawInput: unknown): Promise<unknown> {
    if (!Object.prototype.hasOwnProperty.call(API, method)) throw new ApiError(`unknown method ${method}`, 'bad-request');
    const m = method as ApiMethod;
    const input = parseInput(m, rawInput);
    if (!PASSIVE.has(m)) this.vault.touch();
    if (this.vault.isOpen()) this.current?.clientMode.check(m, input as Record<string, unknown>);
    if (m.startsWith('vault.')) return parseOutput(m, await (this.vaultHandlers[m as VaultMethod] as (i: unknown) => unknown)(input));
    // Locked (an idle lock may still be letting an import finish with the database open): refuse.
    const current = this.vault.isOpen() ? this.current : null;
    if (!current) this.vault.database(); // throws the 'locked' error
    const output = await (current!.handlers[m as keyof DataHandlers] as (i: unknown) => unknown)(input);
    const event = auditEventFor(m, input, output);
    if (event && this.current) appendAudit(this.current.db, { ...event, actor: this.actor });
    return parseOutput(m, output);
  }

  /** Typed in-process call (tests, CLI). */
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
    return this.handle(method, input) as Promise<ApiOutput<M>>;
  }

  async close(): Promise<void> {
    await this.current?.queue.close();
    await this.vault.close();
    this.current = null;
    await this.playback.close();
    await this.engineCache?.engine.then((e) => e.close()).catch(() => undefined);
    this.engineCache = null;
    await this.textModels.close();
  }

  /** The text model chosen for the database (Settings' text-emotion role). */
  private textModelFor(db: Db) {
    return this.textModels.get(currentModelChoice(db, this.opts.modelsRoot).textEmotion);
  }

  private makeVaultHandlers(): Pick<Handlers, VaultMethod> {
    const v = this.vault;
    const status = (): VaultStatus => v.status();
    return {
      'vault.status': (i) => (i.active && v.touch(), status()),
      'vault.setup': (i) => v.setup(i.passphrase),
      'vault.unlock': (i) => v.unlock(i.passphrase),
      'vault.lock': () => v.lock('user'),
      'vault.changePassphrase': (i) => v.changePassphrase(i.current, i.next),
      'vault.setAutoLock': (i) => v.setAutoLock(i.minutes),
      'vault.forget': () => status(),
      'vault.backup': () => v.backup(),
    };
  }

  /**
   * The engine for the model choice stored now. The queue asks between jobs only (one job at a time), so when the
   * choice changed the previous engine is idle and is released here.
   */
  private engineForNextJob(): Promise<AnalysisEngine> {
    const choice = currentModelChoice(this.vault.database(), this.opts.modelsRoot);
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
    const live = this.current?.queue.progressOf(row.id);
    return {
      id: row.id,
      file: row.file,
      clientId: row.clientId,
      status: row.status,
      fraction: row.status === 'done' ? 1 : (live?.fraction ?? 0),
      etaS: live?.etaS ?? null,
      stage: live?.stage ?? null,
      error: row.error,
      errorDetail: row.errorDetail,
      retryable: row.retryable,
      sessionId: row.sessionId,
      alreadyAnalysed: row.alreadyAnalysed,
      transcript: row.transcript === null ? null : path.basename(row.transcript),
      note: row.note,
      createdAt: row.createdAt,
    };
  }

  private client(id: number) {
    const c = getClient(this.vault.database(), id);
    if (!c) throw new ApiError(`no client with id ${id}`, 'not-found');
    return c;
  }

  /** Stop import jobs that would write into what an erasure removes. */
  private cancelJobsOf(db: Db, queue: JobQueue, target: ErasureTarget): void {
    const where = target.kind === 'client' ? 'client_id = ?' : target.kind === 'session' ? 'session_id = ?' : null;
    if (!where) return;
    for (const { id } of db.prepare(`SELECT id FROM import_jobs WHERE ${where} AND status IN ('queued', 'running')`).all(target.id) as Array<{
      id: number;
    }>)
      queue.cancel(id);
  }

  private makeHandlers(db: Db, queue: JobQueue, clientMode: ClientMode): DataHandlers {
    return {
      'app.info': () => {
        let ffmpeg: { path: string; source: string; note?: string } | null = null;
        let ffmpegError: string | null = null;
        try {
          const ff = resolveFfmpeg();
          ffmpeg = { path: ff.ffmpeg, source: ff.source, ...(ff.note ? { note: ff.note } : {}) };
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
          .map(({ role, id, version, sha256, architecture, labels, heldOutUar, metrics }) => ({
            role: roleNames[role],
            id,
            version,
            sha256,
            architecture,
            labels,
            heldOutUar,
            metrics,
          }));
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
      'sessions.list': (i) => listSessions(db, i.clientId === undefined ? {} : { clientId: i.clientId }).map((s) => presentSession(db, s)),
      'sessions.get': (i) => sessionDetail(db, i.id),
      'sessions.assign': (i) => {
        if (i.clientId !== null) this.client(i.clientId);
        if (db.prepare('UPDATE sessions SET client_id = ? WHERE id = ?').run(i.clientId, i.id).changes !== 1)
          throw new ApiError(`no session with id ${i.id}`, 'not-found');
        syncSessionFaces(db, i.id);
        return presentSession(db, getSession(db, i.id)!);
      },
      'jobs.enqueue': (i) => {
        if (i.clientId) this.client(i.clientId);
        if (i.transcripts && i.transcripts.length !== i.paths.length)
          throw new ApiError(
            `jobs.enqueue: ${i.transcripts.length} transcripts for ${i.paths.length} recordings (give one per recording, null for none)`,
            'bad-request',
          );
        const transcripts = (i.transcripts ?? []).map((t) => (t === null ? null : path.resolve(t)));
        const rows = addJobs(
          db,
          i.paths.map((p) => path.resolve(p)),
          i.clientId ?? null,
          i.fps ?? 2,
          transcripts,
        );
        queue.kick();
        return rows.map((r) => this.job(r));
      },
      'jobs.list': () => listJobs(db).map((r) => this.job(r)),
      'jobs.cancel': (i) => {
        if (!getJob(db, i.id)) throw new ApiError(`no job ${i.id}`, 'not-found');
        queue.cancel(i.id);
        return this.job(getJob(db, i.id)!);
      },
      'jobs.retry': (i) => {
        const row = getJob(db, i.id);
        if (!row) throw new ApiError(`no job ${i.id}`, 'not-found');
        if (row.status !== 'failed' && row.status !== 'cancelled')
          throw new ApiError(`job ${i.id} is ${row.status}; only failed or cancelled jobs can be retried`, 'bad-request');
        if (!row.retryable)
          throw new ApiError(
            `${path.basename(row.file)}: ${row.error ?? 'failed'}; analysing the same file again would fail the same way`,
            'bad-request',
          );
        // Browser-mode uploads are deleted when their job ends: such a file has to be added again.
        if (!existsSync(row.file))
          throw new ApiError(
            `${path.basename(row.file)} is not there now: put it back and retry, or add the file again (browser uploads are removed when their job ends)`,
            'bad-request',
          );
        setJobStatus(db, i.id, 'queued');
        queue.kick();
        return this.job(getJob(db, i.id)!);
      },
      ...dassHandlers(db, (id) => this.client(id)),
      ...annotationHandlers(db),
      ...reviewHandlers(db, this.opts.modelsRoot),
      ...playbackHandlers(db, this.playback),
      ...exportHandlers(db),
      ...participantHandlers(db),
      ...transcriptHandlers(db, { textModel: () => this.textModelFor(db), speechTurns: (id) => speechTurns(db, id) }),
      ...selfcareHandlers(db, (id) => this.client(id), clientMode),
      ...clientModeHandlers(clientMode),
      ...privacyHandlers(db, { actor: this.actor, beforeErase: (t) => this.cancelJobsOf(db, queue, t) }),
    };
  }
}
