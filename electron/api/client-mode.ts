import { ApiError, type ApiMethod } from '../contract/api.js';
import type { Db } from '../store/db.js';
import { getRun } from '../store/selfcare-repo.js';
import { getSetting, setSetting } from '../store/settings-repo.js';
import { hashPin, isPinHash, verifyPin } from './pin-hash.js';

/** The methods a client may call while the workstation is handed over (each for that client only; vault.status is the app's lock-state poll and shows no one's data). */
const WHILE_UNLOCKED: ReadonlySet<ApiMethod> = new Set([
  'vault.status',
  'clientMode.status',
  'clientMode.lock',
  'clientMode.unlock',
  'clientMode.exit',
  'selfcare.progress',
  'selfcare.start',
  'selfcare.finish',
  'selfcare.rateAfter',
]);
/** On the locked screen only the PIN opens anything. */
const WHILE_LOCKED: ReadonlySet<ApiMethod> = new Set(['vault.status', 'clientMode.status', 'clientMode.unlock', 'clientMode.exit']);

const PIN_KEY = 'clientMode.pin';
const STATE_KEY = 'clientMode.state';
export const PIN_MIN_LENGTH = 4;
export const DEFAULT_IDLE_LOCK_S = 300;
/** Wrong PINs allowed before each further try has to wait. */
const FREE_ATTEMPTS = 5;
const ATTEMPT_WAIT_MS = 30_000;
/**
 * The service's own backstop: with no call at all for this long past the screen's idle time, client mode locks even if
 * the screen did not say so (a crashed or tampered page). Longer than the longest exercise (10 minutes) plus ratings.
 */
const BACKSTOP_EXTRA_MS = 15 * 60_000;

interface State {
  clientId: number;
  idleLockS: number;
  since: string;
}

export interface ClientModeStatus {
  active: boolean;
  locked: boolean;
  pinSet: boolean;
  idleLockS: number | null;
  /** The client whose exercises are open; null when off or locked (the locked screen shows no one). */
  client: { id: number; code: string; displayName: string | null } | null;
}

/**
 * Client mode: the clinician hands the workstation to one client for self-care exercises. While it is on, the service
 * refuses every method except that client's exercise methods (and the locked screen's PIN), whatever the page asks;
 * leaving needs the clinician's PIN or passphrase, kept as a scrypt hash in the settings table. The state is stored,
 * so an app restarted in client mode comes back locked rather than open.
 */
export class ClientMode {
  private state: State | null;
  private locked: boolean;
  private failures = 0;
  private waitUntil = 0;
  private lastCall: number;

  constructor(
    private readonly db: Db,
    private readonly lookupClient: (id: number) => { id: number; code: string; displayName: string | null },
    private readonly now: () => number = Date.now,
  ) {
    const stored = getSetting(db, STATE_KEY) as State | undefined;
    this.state = stored && Number.isInteger(stored.clientId) ? stored : null;
    this.locked = this.state !== null;
    this.lastCall = now();
  }

  get active(): boolean {
    return this.state !== null;
  }

  /** The client whose runs may be written now (null outside client mode). */
  get clientId(): number | null {
    return this.state?.clientId ?? null;
  }

  /**
   * Refuses a call that client mode does not allow: any method but the exercise ones, any other client's id or run,
   * and everything but the PIN while locked. Called by the service before every handler.
   */
  check(method: ApiMethod, input: Record<string, unknown>): void {
    if (!this.state) return;
    const t = this.now();
    if (!this.locked && t - this.lastCall > this.state.idleLockS * 1000 + BACKSTOP_EXTRA_MS) this.locked = true;
    this.lastCall = t;
    const allowed = this.locked ? WHILE_LOCKED : WHILE_UNLOCKED;
    if (!allowed.has(method))
      throw new ApiError(
        this.locked
          ? `${method}: the workstation is locked; the clinician's PIN opens it`
          : `${method}: not available in client mode (only this client's exercises are)`,
        'forbidden',
      );
    const clientId =
      typeof input.clientId === 'number' ? input.clientId : typeof input.runId === 'number' ? getRun(this.db, input.runId)?.clientId : undefined;
    if ((input.clientId !== undefined || input.runId !== undefined) && clientId !== this.state.clientId)
      throw new ApiError(`${method}: in client mode only the exercises of the client it was opened for are available`, 'forbidden');
  }

  status(): ClientModeStatus {
    const pinSet = isPinHash(getSetting(this.db, PIN_KEY));
    if (!this.state) return { active: false, locked: false, pinSet, idleLockS: null, client: null };
    if (this.locked) return { active: true, locked: true, pinSet, idleLockS: this.state.idleLockS, client: null };
    const c = this.lookupClient(this.state.clientId);
    return { active: true, locked: false, pinSet, idleLockS: this.state.idleLockS, client: { id: c.id, code: c.code, displayName: c.displayName } };
  }

  /** Set the PIN (changing one needs the current one). Not while client mode is on. */
  async setPin(pin: string, currentPin?: string): Promise<ClientModeStatus> {
    if (this.state) throw new ApiError('the PIN cannot be changed while client mode is on', 'forbidden');
    if (pin.trim().length < PIN_MIN_LENGTH) throw new ApiError(`the PIN or passphrase needs at least ${PIN_MIN_LENGTH} characters`, 'bad-request');
    const stored = getSetting(this.db, PIN_KEY);
    if (isPinHash(stored)) {
      if (currentPin === undefined) throw new ApiError('a PIN is already set; give the current PIN to change it', 'forbidden');
      await this.verify(currentPin);
    }
    setSetting(this.db, PIN_KEY, await hashPin(pin));
    return this.status();
  }

  enter(clientId: number, idleLockS = DEFAULT_IDLE_LOCK_S): ClientModeStatus {
    if (this.state) throw new ApiError('client mode is already on', 'bad-request');
    if (!isPinHash(getSetting(this.db, PIN_KEY))) throw new ApiError('set a PIN or passphrase first: leaving client mode needs it', 'bad-request');
    this.lookupClient(clientId);
    this.state = { clientId, idleLockS, since: new Date(this.now()).toISOString() };
    setSetting(this.db, STATE_KEY, this.state);
    this.locked = false;
    this.lastCall = this.now();
    return this.status();
  }

  lock(): ClientModeStatus {
    if (this.state) this.locked = true;
    return this.status();
  }

  async unlock(pin: string): Promise<ClientModeStatus> {
    if (!this.state) throw new ApiError('client mode is not on', 'bad-request');
    await this.verify(pin);
    this.locked = false;
    this.lastCall = this.now();
    return this.status();
  }

  async exit(pin: string): Promise<ClientModeStatus> {
    if (!this.state) return this.status();
    await this.verify(pin);
    this.state = null;
    this.locked = false;
    setSetting(this.db, STATE_KEY, undefined);
    return this.status();
  }

  /** Checks the PIN; after five wrong tries, each further try waits 30 seconds. */
  private async verify(pin: string): Promise<void> {
    const t = this.now();
    if (t < this.waitUntil) throw new ApiError(`too many wrong tries; wait ${Math.ceil((this.waitUntil - t) / 1000)} s and try again`, 'forbidden');
    const stored = getSetting(this.db, PIN_KEY);
    if (!isPinHash(stored)) throw new ApiError('no PIN is set', 'bad-request');
    if (await verifyPin(pin, stored)) {
      this.failures = 0;
      return;
    }
    this.failures++;
    if (this.failures >= FREE_ATTEMPTS) this.waitUntil = this.now() + ATTEMPT_WAIT_MS;
    throw new ApiError(this.failures >= FREE_ATTEMPTS ? `wrong PIN; wait ${ATTEMPT_WAIT_MS / 1000} s before the next try` : 'wrong PIN', 'forbidden');
  }
}
