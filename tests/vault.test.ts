import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { AffectService } from '../electron/api/service.js';
import { Keychain, relayVaultCall, unlockFromKeychain, unlockWithKeyMessage, type SafeStorageLike } from '../electron/main/vault-bridge.js';
import { allAudit } from '../electron/store/audit-repo.js';
import { deriveKey } from '../electron/store/db-key.js';
import { openWithPassphrase } from '../electron/store/open-database.js';
import { SAMPLE } from './helpers/media-fixtures.js';
import { tempDir } from './helpers/paths.js';
import { rawBytes } from './helpers/raw-bytes.js';

const COST = { N: 2 ** 12, r: 8, p: 1 };
const PASS = 'a long enough passphrase';
const noEngine = () => Promise.reject(new Error('no engine needed'));

function fresh(opts: { now?: () => number } = {}) {
  const file = path.join(tempDir(), 'vault', 'affect.sqlite');
  const svc = new AffectService({ databasePath: file, engine: noEngine, kdfCost: COST, clock: opts.now });
  return { svc, file };
}

const lockedError = (e: Error & { code?: string }) => e.code === 'locked' && /locked|setup/.test(e.message);

test('first run: setup with a passphrase creates an encrypted database; locked, every other method answers "locked"', async () => {
  const { svc, file } = fresh();
  assert.equal((await svc.call('vault.status', {})).state, 'setup');
  await assert.rejects(svc.call('clients.list', {}), lockedError);
  await assert.rejects(svc.call('vault.setup', { passphrase: 'short' }), /at least 8 characters/);
  const st = await svc.call('vault.setup', { passphrase: PASS });
  assert.deepEqual([st.state, st.encrypted], ['open', true]);
  await svc.call('clients.create', { code: 'VAULT-CODE-1' });
  await svc.call('vault.lock', {});
  assert.equal((await svc.call('vault.status', {})).state, 'locked');
  await assert.rejects(svc.call('clients.list', {}), lockedError);
  await assert.rejects(svc.call('sessions.get', { id: 1 }), lockedError);
  assert.equal(svc.currentDb(), null, 'the database is closed while locked');
  await assert.rejects(svc.call('vault.unlock', { passphrase: 'not the passphrase' }), /wrong passphrase/);
  await assert.rejects(svc.call('vault.unlock', { passphrase: 'still not it!' }), /wrong passphrase/);
  assert.equal((await svc.call('vault.status', {})).failedAttempts, 2);
  const open = await svc.call('vault.unlock', { passphrase: PASS });
  assert.deepEqual([open.state, open.failedAttempts], ['open', 0]);
  assert.deepEqual(
    (await svc.call('clients.list', {})).map((c) => c.code),
    ['VAULT-CODE-1'],
  );
  const actions = allAudit(svc.currentDb()!).map((r) => `${r.action}${r.action === 'unlock-failed' ? ':' + r.details.attempts : ''}`);
  assert.deepEqual(actions, ['setup', 'create', 'lock', 'unlock-failed:2', 'unlock']);
  await svc.close();
  assert.equal(rawBytes(file).includes('VAULT-CODE-1'), false);
  assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
  assert.equal(statSync(file).mode & 0o777, 0o600);
});

test('a new service on an encrypted database starts locked; AffectService.open unlocks it, or says which database has a wrong passphrase', async () => {
  const { svc, file } = fresh();
  await svc.call('vault.setup', { passphrase: PASS });
  await svc.close();
  const again = new AffectService({ databasePath: file, engine: noEngine });
  assert.equal((await again.call('vault.status', {})).state, 'locked');
  await again.close();
  await assert.rejects(
    AffectService.open({ databasePath: file, engine: noEngine, passphrase: 'wrong wrong wrong' }),
    new RegExp(`^Error: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: wrong passphrase$`),
  );
  const opened = await AffectService.open({ databasePath: file, engine: noEngine, passphrase: PASS });
  assert.equal((await opened.call('vault.status', {})).state, 'open');
  await opened.close();
});

test('a plain database: opens without a passphrase, cannot lock, and "set a passphrase" encrypts it in place', async () => {
  const { svc, file } = fresh();
  await svc.call('vault.setup', { passphrase: null });
  await svc.call('clients.create', { code: 'PLAIN-CODE-2' });
  assert.ok(rawBytes(file).includes('PLAIN-CODE-2'));
  await assert.rejects(svc.call('vault.lock', {}), /not encrypted, so it cannot be locked/);
  await assert.rejects(
    AffectService.open({ databasePath: file, engine: noEngine, passphrase: PASS }),
    /is not encrypted, but a passphrase was given/,
  );
  const st = await svc.call('vault.setup', { passphrase: PASS });
  assert.deepEqual([st.state, st.encrypted], ['open', true]);
  assert.deepEqual(
    (await svc.call('clients.list', {})).map((c) => c.code),
    ['PLAIN-CODE-2'],
  );
  await svc.close();
  assert.equal(rawBytes(file).includes('PLAIN-CODE-2'), false);
  const check = await openWithPassphrase(file, PASS);
  assert.deepEqual(
    allAudit(check.db).map((r) => r.action),
    ['setup', 'create', 'encrypt'],
  );
  check.db.close();
});

test('auto-lock after the idle time (a setting); polls do not count as activity, user activity does', async () => {
  let now = 1_000_000;
  const { svc } = fresh({ now: () => now });
  await svc.call('vault.setup', { passphrase: PASS });
  assert.equal((await svc.call('vault.status', {})).autoLockMinutes, 15, 'default 15 minutes');
  await svc.call('vault.setAutoLock', { minutes: 5 });
  now += 4 * 60_000;
  await svc.call('vault.status', {}); // a poll
  await svc.call('jobs.list', {}); // a poll
  now += 2 * 60_000;
  await svc.vault.checkIdleNow();
  assert.equal((await svc.call('vault.status', {})).state, 'locked', 'locked after 6 minutes with only polls');
  await svc.call('vault.unlock', { passphrase: PASS });
  assert.equal((await svc.call('vault.status', {})).autoLockMinutes, 5, 'the setting is stored in the database');
  now += 4 * 60_000;
  await svc.call('vault.status', { active: true }); // the user moved the mouse, typed, or a recording played
  now += 4 * 60_000;
  await svc.vault.checkIdleNow();
  assert.equal((await svc.call('vault.status', {})).state, 'open');
  await svc.call('vault.setAutoLock', { minutes: 0 });
  now += 10 * 60 * 60_000;
  await svc.vault.checkIdleNow();
  assert.equal((await svc.call('vault.status', {})).state, 'open', '0 = never');
  const actions = allAudit(svc.currentDb()!).map((r) => `${r.action}${r.details.reason ? ':' + r.details.reason : ''}`);
  assert.deepEqual(actions, ['setup', 'settings', 'lock:idle', 'unlock', 'settings']);
  await svc.close();
});

test('change the passphrase from the app; a backup lands in backups/ and opens with the passphrase', async () => {
  const { svc, file } = fresh();
  await svc.call('vault.setup', { passphrase: PASS });
  await assert.rejects(svc.call('vault.changePassphrase', { current: 'wrong one!!', next: 'second passphrase' }), /current passphrase is wrong/);
  await svc.call('vault.changePassphrase', { current: PASS, next: 'second passphrase' });
  await svc.call('clients.create', { code: 'AFTER-REKEY' });
  const { file: backup } = await svc.call('vault.backup', {});
  assert.equal(path.dirname(backup), path.join(path.dirname(file), 'backups'));
  assert.equal(statSync(backup).mode & 0o777, 0o600);
  await svc.close();
  const b = await openWithPassphrase(backup, 'second passphrase');
  assert.deepEqual(b.db.prepare('SELECT code FROM clients').all(), [{ code: 'AFTER-REKEY' }]);
  b.db.close();
});

test('DASS-21 correction: rescored, no future dates, none before 1900', async () => {
  const { svc } = fresh();
  await svc.call('vault.setup', { passphrase: null });
  const c = await svc.call('clients.create', { code: 'DASS-EDIT' });
  const a = await svc.call('dass.save', { clientId: c.id, administeredAt: '2026-05-01', answers: Array(21).fill(0) });
  const fixed = await svc.call('dass.update', { id: a.id, administeredAt: '2026-05-03', answers: Array(21).fill(3) });
  assert.equal(fixed.administeredAt, '2026-05-03');
  assert.deepEqual([fixed.depression.score, fixed.depression.band], [42, 'extremely severe']);
  const tomorrow = new Date(Date.now() + 36 * 3600_000);
  const future = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
  await assert.rejects(svc.call('dass.update', { id: a.id, administeredAt: future, answers: Array(21).fill(1) }), /is in the future/);
  await assert.rejects(svc.call('dass.save', { clientId: c.id, administeredAt: future, answers: Array(21).fill(1) }), /is in the future/);
  await assert.rejects(svc.call('dass.update', { id: a.id, administeredAt: '1899-12-31', answers: Array(21).fill(1) }), /before 1900/);
  await assert.rejects(svc.call('dass.update', { id: a.id, administeredAt: '2026-02-30', answers: Array(21).fill(1) }), /not a calendar date/);
  await assert.rejects(
    svc.call('dass.update', { id: 999, administeredAt: '2026-05-03', answers: Array(21).fill(1) }),
    /no DASS-21 entry with id 999/,
  );
  const { administrations } = await svc.call('dass.list', { clientId: c.id });
  assert.deepEqual(
    administrations.map((x) => [x.administeredAt, x.depression.score]),
    [['2026-05-03', 42]],
    'the refused edits changed nothing',
  );
  await svc.close();
});

/** A stand-in for Electron's safeStorage: reversible, and tells the backend like Electron does on Linux. */
function fakeSafeStorage(backend = 'gnome_libsecret'): SafeStorageLike & { sealed: Buffer[] } {
  const sealed: Buffer[] = [];
  return {
    sealed,
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString: (s) => {
      const b = Buffer.from(Buffer.from(s, 'utf8').map((x) => x ^ 0x5a));
      sealed.push(b);
      return b;
    },
    decryptString: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
  };
}

test('Electron keychain logic: remember on unlock, unlock at start with the remembered key, forget; never with basic_text', async () => {
  const { svc, file } = fresh();
  const keyFile = path.join(tempDir(), 'userData', 'vault-keychain.json');
  const safe = fakeSafeStorage();
  const keychain = new Keychain(safe, keyFile);
  const forward = (m: string, i: unknown) => svc.handle(m, i);
  const st = (await relayVaultCall('vault.setup', { passphrase: PASS, remember: true }, forward, keychain, file)) as {
    keychain: { remembered: boolean };
  };
  assert.deepEqual(st.keychain, { available: true, remembered: true });
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  const key = await deriveKey(file, PASS);
  assert.equal(readFileSync(keyFile, 'utf8').includes(key.toString('hex')), false, 'the key is stored only sealed by the keychain');
  assert.deepEqual(keychain.recall(file), key);

  // Next start: locked, then unlocked by the main process with the remembered key (a message, not a contract call).
  await svc.call('vault.lock', {});
  const unlocked = await unlockFromKeychain(keychain, file, (msg) => unlockWithKeyMessage(svc, msg));
  assert.equal(unlocked, true);
  assert.equal((await svc.call('vault.status', {})).state, 'open');
  assert.equal(allAudit(svc.currentDb()!).at(-1)!.details.method, 'keychain');

  // After a passphrase change the remembered key follows; a stale key is forgotten at start.
  await relayVaultCall('vault.changePassphrase', { current: PASS, next: 'changed passphrase' }, forward, keychain, file);
  assert.deepEqual(keychain.recall(file), await deriveKey(file, 'changed passphrase'));
  const st2 = (await relayVaultCall('vault.forget', {}, forward, keychain, file)) as { keychain: { remembered: boolean } };
  assert.equal(st2.keychain.remembered, false);
  assert.equal(keychain.recall(file), null);
  keychain.remember(file, Buffer.alloc(32, 7)); // a wrong key
  await svc.call('vault.lock', {});
  assert.equal(await unlockFromKeychain(keychain, file, (msg) => unlockWithKeyMessage(svc, msg)), false);
  assert.equal(keychain.remembered(file), false, 'a key that does not open the database is forgotten');
  assert.equal((await svc.call('vault.status', {})).state, 'locked');

  // Linux without a keyring: safeStorage would only obfuscate; not offered, nothing stored.
  const plainText = new Keychain(fakeSafeStorage('basic_text'), path.join(tempDir(), 'k.json'));
  assert.equal(plainText.available(), false);
  const st3 = (await relayVaultCall('vault.unlock', { passphrase: 'changed passphrase', remember: true }, forward, plainText, file)) as {
    keychain: { available: boolean; remembered: boolean };
  };
  assert.deepEqual(st3.keychain, { available: false, remembered: false });
  assert.equal(existsSync(path.join(path.dirname(keyFile), 'k.json')), false);
  await svc.close();
});

test('an idle lock refuses the API at once but lets a running import finish before the database closes; unlocking meanwhile keeps it open', async () => {
  let now = 5_000_000;
  let finish: (() => void) | null = null;
  const started: string[] = [];
  // An engine whose analysis ends when the test says (then fails: no result is needed to show the timing).
  const engine = async () =>
    ({
      models: [],
      analyze: (file: string) => {
        started.push(file);
        return new Promise((_, reject) => (finish = () => reject(new Error('test analysis ended'))));
      },
      close: async () => undefined,
    }) as never;
  const file = path.join(tempDir(), 'idle', 'affect.sqlite');
  const svc = new AffectService({ databasePath: file, engine, kdfCost: COST, clock: () => now });
  await svc.call('vault.setup', { passphrase: PASS });
  await svc.call('jobs.enqueue', { paths: [SAMPLE] }); // a real file: the queue checks and hashes it before analysing
  while (started.length === 0) await new Promise((r) => setTimeout(r, 10));
  now += 16 * 60_000;
  await svc.vault.checkIdleNow();
  assert.equal((await svc.call('vault.status', {})).state, 'locked');
  await assert.rejects(svc.call('jobs.list', {}), lockedError);
  assert.equal(svc.currentDb(), null);
  // The user comes back while the import still runs: the passphrase is checked, and the database never closed.
  await assert.rejects(svc.call('vault.unlock', { passphrase: 'wrong passphrase' }), /wrong passphrase/);
  assert.equal((await svc.call('vault.unlock', { passphrase: PASS })).state, 'open');
  assert.equal((await svc.call('jobs.list', {}))[0].status, 'running', 'the import was not interrupted');
  // Idle again; now the import ends, and then the database closes.
  now += 16 * 60_000;
  await svc.vault.checkIdleNow();
  finish!();
  await svc.queue.idle().catch(() => undefined);
  for (let i = 0; i < 50 && (svc as unknown as { current: unknown }).current; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal((svc as unknown as { current: unknown }).current, null, 'closed once the import ended');
  await svc.call('vault.unlock', { passphrase: PASS });
  assert.equal((await svc.call('jobs.list', {}))[0].status, 'failed');
  await svc.close();
});
