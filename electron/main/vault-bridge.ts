import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AffectService } from '../api/service.js';
import type { VaultStatus } from '../api/vault.js';
import { deriveKey } from '../store/db-key.js';

/**
 * The Electron side of the vault, without Electron (unit-tested with a fake safeStorage):
 * - `Keychain` keeps the database key encrypted by the OS keychain (Electron's safeStorage: Keychain on macOS,
 *   DPAPI on Windows, libsecret/kwallet on Linux), when the user ticks "remember on this computer"; a Linux
 *   session without a keyring (safeStorage's 'basic_text' backend) counts as unavailable.
 * - `relayVaultCall` sits in the main process's IPC relay: it adds the keychain state to vault.status and
 *   remembers or forgets the key around unlock, setup, passphrase change and vault.forget. The key never
 *   reaches the renderer.
 * - At start, a remembered key unlocks the engine host with a `{ vaultKey }` message (not a contract method, so
 *   the renderer cannot send one); a key that no longer opens the database is forgotten.
 */

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

export class Keychain {
  constructor(
    private readonly safe: SafeStorageLike,
    /** A JSON file in the app's user-data folder: database path → key encrypted by safeStorage (base64). */
    private readonly file: string,
  ) {}

  available(): boolean {
    if (!this.safe.isEncryptionAvailable()) return false;
    const backend = this.safe.getSelectedStorageBackend?.();
    return backend !== 'basic_text' && backend !== 'unknown';
  }

  private read(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  private write(entries: Record<string, string>): void {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(entries, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
    chmodSync(this.file, 0o600);
  }

  remembered(databasePath: string): boolean {
    return path.resolve(databasePath) in this.read();
  }

  remember(databasePath: string, key: Buffer): void {
    if (!this.available()) throw new Error('the system keychain is not available on this computer');
    this.write({ ...this.read(), [path.resolve(databasePath)]: this.safe.encryptString(key.toString('hex')).toString('base64') });
  }

  recall(databasePath: string): Buffer | null {
    const stored = this.read()[path.resolve(databasePath)];
    if (!stored || !this.available()) return null;
    try {
      const hex = this.safe.decryptString(Buffer.from(stored, 'base64'));
      return /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : null;
    } catch {
      return null;
    }
  }

  forget(databasePath: string): void {
    const entries = this.read();
    if (!(path.resolve(databasePath) in entries)) return;
    delete entries[path.resolve(databasePath)];
    this.write(entries);
  }
}

export type VaultKeyMessage = { vaultKey: string };
export type VaultKeyReply = { vaultKeyResult: 'ok' } | { vaultKeyResult: 'failed'; error: string };

export const isVaultKeyMessage = (msg: unknown): msg is VaultKeyMessage =>
  typeof msg === 'object' &&
  msg !== null &&
  typeof (msg as VaultKeyMessage).vaultKey === 'string' &&
  /^[0-9a-f]{64}$/.test((msg as VaultKeyMessage).vaultKey);

export const isVaultKeyReply = (msg: unknown): msg is VaultKeyReply => typeof msg === 'object' && msg !== null && 'vaultKeyResult' in msg;

/** Engine host side: unlock with a key from the keychain. */
export async function unlockWithKeyMessage(service: AffectService, msg: VaultKeyMessage): Promise<VaultKeyReply> {
  try {
    await service.vault.unlockWithKey(Buffer.from(msg.vaultKey, 'hex'));
    return { vaultKeyResult: 'ok' };
  } catch (err) {
    return { vaultKeyResult: 'failed', error: (err as Error).message };
  }
}

/** Main side, at start: unlock with the remembered key, if any; forget it when it no longer opens the database. */
export async function unlockFromKeychain(
  keychain: Keychain,
  databasePath: string,
  send: (msg: VaultKeyMessage) => Promise<VaultKeyReply>,
): Promise<boolean> {
  const key = keychain.recall(databasePath);
  if (!key) return false;
  const reply = await send({ vaultKey: key.toString('hex') });
  if (reply.vaultKeyResult === 'ok') return true;
  keychain.forget(databasePath);
  return false;
}

type Forward = (method: string, input: unknown) => Promise<unknown>;

/**
 * Main side, in the IPC relay: forward the call, and keep the keychain in step with vault.* calls.
 * Other methods pass straight through.
 */
export async function relayVaultCall(method: string, input: unknown, forward: Forward, keychain: Keychain, databasePath: string): Promise<unknown> {
  if (!method.startsWith('vault.')) return forward(method, input);
  const i = (input ?? {}) as { passphrase?: string | null; remember?: boolean; next?: string };
  const withKeychain = (status: unknown) => ({
    ...(status as VaultStatus),
    keychain: { available: keychain.available(), remembered: keychain.remembered(databasePath) },
  });
  if (method === 'vault.forget') {
    keychain.forget(databasePath);
    return withKeychain(await forward('vault.status', {}));
  }
  const status = (await forward(method, input)) as VaultStatus;
  if (
    (method === 'vault.unlock' || method === 'vault.setup') &&
    i.remember &&
    typeof i.passphrase === 'string' &&
    status.state === 'open' &&
    status.encrypted &&
    keychain.available()
  )
    keychain.remember(databasePath, await deriveKey(databasePath, i.passphrase));
  if (method === 'vault.changePassphrase' && typeof i.next === 'string' && keychain.remembered(databasePath))
    keychain.remember(databasePath, await deriveKey(databasePath, i.next));
  return method === 'vault.backup' ? status : withKeychain(status);
}
