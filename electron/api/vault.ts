import path from 'node:path';
import { ApiError } from '../contract/api.js';
import { appendAudit, type AuditActor, type AuditDetails } from '../store/audit-repo.js';
import { deriveKey, MIN_PASSPHRASE_LENGTH, WrongPassphraseError } from '../store/db-key.js';
import { backupDatabase, changePassphrase, encryptDatabase } from '../store/db-maintenance.js';
import { openDatabase, type Db } from '../store/db.js';
import { inspectDatabase, openWithPassphrase } from '../store/open-database.js';
import { getSetting, setSetting } from '../store/settings-repo.js';

/**
 * The service's hold on its database: 'setup' (no database yet: the first run chooses a passphrase, or none),
 * 'locked' (an encrypted database and no key), 'open'. The rest of the service exists only while open:
 * `onOpen` builds it around the database, `onClose` stops it (the import queue) before the database closes.
 * An encrypted database locks itself after `autoLockMinutes` without activity (a setting; 0 = never).
 */

export type VaultState = 'setup' | 'locked' | 'open';

export interface VaultStatus {
  state: VaultState;
  encrypted: boolean;
  databasePath: string;
  autoLockMinutes: number;
  /** Unlock attempts with a wrong passphrase since the last unlock. */
  failedAttempts: number;
  /** Set by the Electron shell (system keychain through safeStorage); null elsewhere. */
  keychain: { available: boolean; remembered: boolean } | null;
}

export interface VaultHooks {
  onOpen(db: Db, key: Buffer | null): void;
  /** Stop using the database now (a running import is interrupted and queued again). */
  onClose(): Promise<void>;
  /** Resolves when no import is running or queued (an idle lock waits for it before closing the database). */
  whenIdle(): Promise<void>;
}

export const AUTO_LOCK_SETTING = 'privacy.autoLockMinutes';
export const DEFAULT_AUTO_LOCK_MINUTES = 15;
const CHECK_EVERY_MS = 15_000;

type Cost = { N: number; r: number; p: number };

export class Vault {
  private state: VaultState;
  private db: Db | null = null;
  private key: Buffer | null = null;
  private encrypted = false;
  private lastActivity: number;
  private failedAttempts = 0;
  private autoLock = DEFAULT_AUTO_LOCK_MINUTES;
  private closing: { cancelled: boolean; started: boolean; done: Promise<void> } | null = null;
  private readonly timer: NodeJS.Timeout;
  private busy: Promise<unknown> = Promise.resolve();

  /**
   * `db`: an already-open database (plain, or keyed by the caller, who also closes it); the vault starts open
   * and cannot lock it. Without one, the file at `databasePath` decides: no file → setup, plain → open,
   * encrypted → locked.
   */
  constructor(
    private readonly databasePath: string,
    private readonly hooks: VaultHooks,
    private readonly opts: { actor: AuditActor; db?: Db; now?: () => number; kdfCost?: Cost } = { actor: 'app' },
  ) {
    this.lastActivity = this.now();
    if (opts.db) {
      this.state = 'open';
      this.db = opts.db;
    } else {
      const kind = inspectDatabase(databasePath);
      this.state = kind === 'new' ? 'setup' : kind === 'encrypted' ? 'locked' : 'open';
      if (kind === 'plain') this.db = openDatabase(databasePath);
    }
    this.timer = setInterval(() => void this.checkIdle(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  /** Call once after construction, when the service is ready for `onOpen`. */
  start(): void {
    if (this.db) this.opened(this.db, null, false);
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** The open database, or an ApiError('locked') naming what to do. */
  database(): Db {
    if (this.state === 'open' && this.db) return this.db;
    throw new ApiError(
      this.state === 'setup' ? 'no database yet: finish the first-run setup' : 'the database is locked; unlock it with its passphrase',
      'locked',
    );
  }

  /** The database key while open and encrypted (for files encrypted with keys derived from it). */
  databaseKey(): Buffer | null {
    return this.state === 'open' ? this.key : null;
  }

  isOpen(): boolean {
    return this.state === 'open';
  }

  touch(): void {
    this.lastActivity = this.now();
  }

  status(): VaultStatus {
    return {
      state: this.state,
      encrypted: this.state === 'locked' || this.encrypted,
      databasePath: this.databasePath,
      autoLockMinutes: this.autoLock,
      failedAttempts: this.failedAttempts,
      keychain: null,
    };
  }

  /** One vault operation at a time (setup, unlock, lock, passphrase change). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.busy.then(fn, fn);
    this.busy = run.catch(() => undefined);
    return run;
  }

  private opened(db: Db, key: Buffer | null, audit: { action: 'unlock' | 'setup'; details: AuditDetails } | false): void {
    this.db = db;
    this.key = key;
    this.encrypted = key !== null;
    this.state = 'open';
    this.lastActivity = this.now();
    const stored = getSetting(db, AUTO_LOCK_SETTING);
    this.autoLock = typeof stored === 'number' ? stored : DEFAULT_AUTO_LOCK_MINUTES;
    if (audit) {
      if (this.failedAttempts > 0)
        appendAudit(db, { actor: this.opts.actor, action: 'unlock-failed', objectKind: 'database', details: { attempts: this.failedAttempts } });
      appendAudit(db, { actor: this.opts.actor, action: audit.action, objectKind: 'database', details: audit.details });
    }
    this.failedAttempts = 0;
    this.hooks.onOpen(db, key);
  }

  /** First run: create the database, encrypted with this passphrase, or plain with null. On an open plain database: encrypt it. */
  setup(passphrase: string | null): Promise<VaultStatus> {
    return this.serial(async () => {
      if (passphrase !== null && [...passphrase].length < MIN_PASSPHRASE_LENGTH)
        throw new ApiError(`the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`, 'bad-request');
      if (this.state === 'setup') {
        const { db, key } = await openWithPassphrase(this.databasePath, passphrase, { kdfCost: this.opts.kdfCost });
        this.opened(db, key, { action: 'setup', details: { encrypted: key !== null } });
        return this.status();
      }
      if (this.state === 'open' && !this.encrypted && !this.opts.db && passphrase !== null) {
        await this.closeDatabase();
        try {
          await encryptDatabase(this.databasePath, passphrase, { actor: this.opts.actor, kdfCost: this.opts.kdfCost });
        } catch (err) {
          this.opened(openDatabase(this.databasePath), null, false);
          throw new ApiError((err as Error).message, 'bad-request');
        }
        const { db, key } = await openWithPassphrase(this.databasePath, passphrase);
        this.opened(db, key, false);
        return this.status();
      }
      throw new ApiError(
        this.state === 'open' ? 'the database is already set up' + (this.encrypted ? ' and encrypted' : '') : 'unlock the database first',
        'bad-request',
      );
    });
  }

  unlock(passphrase: string): Promise<VaultStatus> {
    return this.serial(async () => {
      if (this.state === 'open') return this.status();
      if (this.state === 'setup') throw new ApiError('no database yet: finish the first-run setup', 'bad-request');
      // Locked after idle while an import still finishes: the database is still open; the passphrase is checked and it stays open.
      const draining = this.closing;
      if (draining && !draining.started && this.db) {
        try {
          await deriveKey(this.databasePath, passphrase);
        } catch (err) {
          throw this.failed(err);
        }
        if (!draining.started && this.closing === draining) {
          draining.cancelled = true;
          this.closing = null;
          this.opened(this.db, this.key, { action: 'unlock', details: { method: 'passphrase' } });
          return this.status();
        }
      }
      await this.closing?.done;
      try {
        const { db, key } = await openWithPassphrase(this.databasePath, passphrase, { create: false });
        this.opened(db, key, { action: 'unlock', details: { method: 'passphrase' } });
      } catch (err) {
        throw this.failed(err);
      }
      return this.status();
    });
  }

  /** Unlock with the key itself (the Electron shell's keychain). */
  unlockWithKey(key: Buffer): Promise<VaultStatus> {
    return this.serial(async () => {
      if (this.state !== 'locked') return this.status();
      await this.closing?.done;
      const db = openDatabase(this.databasePath, { key });
      this.opened(db, key, { action: 'unlock', details: { method: 'keychain' } });
      return this.status();
    });
  }

  private failed(err: unknown): Error {
    if (err instanceof WrongPassphraseError) {
      this.failedAttempts++;
      return new ApiError('wrong passphrase', 'bad-request');
    }
    return new ApiError((err as Error).message, 'failed');
  }

  /**
   * Lock: the API refuses everything but vault.* at once. A user's lock stops a running import (it is queued
   * again and resumes after unlock); an idle lock lets running and queued imports finish before the database closes.
   */
  lock(reason: 'user' | 'idle' = 'user'): Promise<VaultStatus> {
    return this.serial(async () => {
      if (this.state !== 'open') return this.status();
      if (!this.encrypted || this.opts.db)
        throw new ApiError('this database is not encrypted, so it cannot be locked; set a passphrase in Settings first', 'bad-request');
      const db = this.db!;
      appendAudit(db, { actor: this.opts.actor, action: 'lock', objectKind: 'database', details: { reason: reason === 'idle' ? 'idle' : 'user' } });
      this.state = 'locked';
      const closing = { cancelled: false, started: false, done: Promise.resolve() };
      closing.done = (async () => {
        if (reason === 'idle') await this.hooks.whenIdle();
        if (closing.cancelled) return;
        closing.started = true;
        await this.closeDatabase();
      })();
      this.closing = closing;
      if (reason === 'user') await closing.done;
      return this.status();
    });
  }

  private async closeDatabase(): Promise<void> {
    await this.hooks.onClose();
    this.db?.close();
    this.key?.fill(0);
    this.db = null;
    this.key = null;
    this.closing = null;
  }

  changePassphrase(current: string, next: string): Promise<VaultStatus> {
    return this.serial(async () => {
      if (this.state !== 'open' || !this.encrypted || this.opts.db)
        throw new ApiError('only an open, encrypted database can change its passphrase', 'bad-request');
      if ([...next].length < MIN_PASSPHRASE_LENGTH)
        throw new ApiError(`the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`, 'bad-request');
      try {
        await deriveKey(this.databasePath, current);
      } catch (err) {
        throw err instanceof WrongPassphraseError ? new ApiError('the current passphrase is wrong', 'bad-request') : err;
      }
      const oldKey = Buffer.from(this.key!);
      await this.closeDatabase();
      try {
        await changePassphrase(this.databasePath, current, next, { actor: this.opts.actor, kdfCost: this.opts.kdfCost });
      } catch (err) {
        this.opened(openDatabase(this.databasePath, { key: oldKey }), oldKey, false);
        throw new ApiError((err as Error).message, 'failed');
      }
      const { db, key } = await openWithPassphrase(this.databasePath, next, { create: false });
      this.opened(db, key, false);
      return this.status();
    });
  }

  setAutoLock(minutes: number): VaultStatus {
    const db = this.database();
    setSetting(db, AUTO_LOCK_SETTING, minutes);
    appendAudit(db, { actor: this.opts.actor, action: 'settings', objectKind: 'settings', details: { setting: 'autoLockMinutes', minutes } });
    this.autoLock = minutes;
    return this.status();
  }

  /** A backup beside the database, in `backups/` (0700), named by date and time; encrypted like the database. */
  backup(): { file: string; bytes: number } {
    const db = this.database();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = path.join(
      path.dirname(path.resolve(this.databasePath)),
      'backups',
      `${path.basename(this.databasePath, path.extname(this.databasePath))}-${stamp}.sqlite`,
    );
    const { bytes } = backupDatabase(db, this.databasePath, file, { key: this.key, actor: this.opts.actor });
    return { file, bytes };
  }

  private async checkIdle(): Promise<void> {
    if (this.state !== 'open' || !this.encrypted || this.opts.db || this.autoLock <= 0) return;
    if (this.now() - this.lastActivity < this.autoLock * 60_000) return;
    await this.lock('idle').catch(() => undefined);
  }

  /** For tests: run the idle check now. */
  checkIdleNow(): Promise<void> {
    return this.checkIdle();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.opts.db) return; // the caller's database
    if (this.db) await this.closeDatabase();
  }
}
