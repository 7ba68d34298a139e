import { useState } from 'react';
import type { ApiOutput } from '../../../electron/contract/api';
import { api } from '../api';
import { useApi } from '../components/useApi';

type Verification = ApiOutput<'audit.verify'>;

const AUTO_LOCK_CHOICES = [5, 10, 15, 30, 60, 0];

/** Settings → Privacy: encryption, lock, auto-lock, passphrase, keychain, backup. */
export function PrivacySettings() {
  const status = useApi(() => api.call('vault.status', {}), []);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const s = status.data;
  const act = async (fn: () => Promise<unknown>, done?: (r: unknown) => string) => {
    try {
      const r = await fn();
      setMessage(done ? done(r) : null);
      setError(null);
      status.reload();
    } catch (e) {
      setError((e as Error).message);
      setMessage(null);
    }
  };
  if (!s) return null;
  return (
    <div className="card" data-testid="privacy-settings">
      <h2>Privacy and security</h2>
      <dl>
        <dt>Encryption</dt>
        <dd>
          {s.encrypted ? (
            <span className="ok">Encrypted (ChaCha20-Poly1305; key from the passphrase with scrypt)</span>
          ) : (
            <span className="error">Not encrypted: anyone who can read the file can read the data</span>
          )}
        </dd>
        <dt>Auto-lock</dt>
        <dd>
          <select
            aria-label="Auto-lock after"
            value={s.autoLockMinutes}
            disabled={!s.encrypted}
            onChange={(e) => void act(() => api.call('vault.setAutoLock', { minutes: Number(e.target.value) }))}
          >
            {AUTO_LOCK_CHOICES.map((m) => (
              <option key={m} value={m}>
                {m === 0 ? 'never' : `after ${m} minutes without use`}
              </option>
            ))}
          </select>
          {!s.encrypted && <span className="muted small"> (needs a passphrase)</span>}
        </dd>
        {s.keychain && (
          <>
            <dt>System keychain</dt>
            <dd>
              {!s.keychain.available ? (
                'not available on this computer'
              ) : s.keychain.remembered ? (
                <>
                  the key is remembered for this user account{' '}
                  <button
                    type="button"
                    className="secondary"
                    onClick={() =>
                      void act(
                        () => api.call('vault.forget', {}),
                        () => 'Forgotten: the passphrase is asked at the next start.',
                      )
                    }
                  >
                    Forget it
                  </button>
                </>
              ) : (
                'not used (tick "Remember on this computer" when unlocking)'
              )}
            </dd>
          </>
        )}
      </dl>
      <div className="row">
        {s.encrypted && (
          <button type="button" onClick={() => void act(() => api.call('vault.lock', {}))}>
            Lock now
          </button>
        )}
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void act(
              () => api.call('vault.backup', {}),
              (r) => `Backup written: ${(r as { file: string }).file}${s.encrypted ? ' (encrypted; keep its .kdf.json file with it)' : ''}`,
            )
          }
        >
          Back up now
        </button>
      </div>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void act(
            () => (s.encrypted ? api.call('vault.changePassphrase', { current, next }) : api.call('vault.setup', { passphrase: next })),
            () => (s.encrypted ? 'Passphrase changed. Backups made before keep the old one.' : 'The database is now encrypted.'),
          ).then(() => (setCurrent(''), setNext(''), setAgain('')));
        }}
      >
        <strong>{s.encrypted ? 'Change the passphrase' : 'Encrypt this database'}</strong>
        {s.encrypted && (
          <input type="password" aria-label="Current passphrase" placeholder="current" value={current} onChange={(e) => setCurrent(e.target.value)} />
        )}
        <input type="password" aria-label="New passphrase" placeholder="new (8+ characters)" value={next} onChange={(e) => setNext(e.target.value)} />
        <input type="password" aria-label="Repeat new passphrase" placeholder="again" value={again} onChange={(e) => setAgain(e.target.value)} />
        <button type="submit" disabled={next.length < 8 || next !== again || (s.encrypted && current === '')}>
          {s.encrypted ? 'Change' : 'Encrypt'}
        </button>
      </form>
      {message && (
        <p role="status" className="ok">
          {message}
        </p>
      )}
      {error && <p className="error">{error}</p>}
    </div>
  );
}

/** Settings → Audit log: recent entries, chain verification, export. */
export function AuditLogCard() {
  const log = useApi(() => api.call('audit.list', { limit: 50 }), []);
  const [verification, setVerification] = useState<Verification | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async <T,>(fn: () => Promise<T>, then: (r: T) => void) => {
    try {
      then(await fn());
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="card" data-testid="audit-log">
      <h2>Audit log</h2>
      <p className="muted small">
        Every import, view of a session, export, edit, erasure, settings change and unlock, oldest chained to newest by hashes. Entries carry ids and
        counts, never client codes, names, file paths or notes.
      </p>
      <div className="row">
        <button type="button" onClick={() => void run(() => api.call('audit.verify', {}), setVerification)}>
          Verify the chain
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void run(
              () => api.call('audit.export', { format: 'csv' }),
              (r) => (setExported(r.fileName), void api.saveExport(r), log.reload()),
            )
          }
        >
          Export CSV
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void run(
              () => api.call('audit.export', { format: 'json' }),
              (r) => (setExported(r.fileName), void api.saveExport(r), log.reload()),
            )
          }
        >
          Export JSON
        </button>
        {verification &&
          (verification.ok ? (
            <span className="ok" role="status">
              Intact: {verification.checked} entries check out.
            </span>
          ) : (
            <span className="error" role="status">
              Broken at entry {verification.firstBroken!.id}: {verification.firstBroken!.reason}.
            </span>
          ))}
      </div>
      {exported && (
        <p role="status">
          Exported <code>{exported}</code>
        </p>
      )}
      {error && <p className="error">{error}</p>}
      {log.data && (
        <table className="list audit-table">
          <thead>
            <tr>
              <th>#</th>
              <th>When</th>
              <th>From</th>
              <th>What</th>
              <th>Object</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {log.data.entries.map((e) => (
              <tr key={e.id}>
                <td>{e.id}</td>
                <td>{e.at.replace('T', ' ').slice(0, 19)}</td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>{e.objectKind ? `${e.objectKind}${e.objectId !== null ? ` ${e.objectId}` : ''}` : '—'}</td>
                <td>
                  {Object.entries(e.details)
                    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : String(v)}`)
                    .join(' · ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {log.data && (
        <p className="muted small">
          Showing the {log.data.entries.length} most recent of {log.data.total}.
        </p>
      )}
    </div>
  );
}
