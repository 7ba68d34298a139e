import { useEffect, useRef, useState } from 'react';
import type { ApiOutput } from '../../../electron/contract/api';
import { api } from '../api';

type Status = ApiOutput<'vault.status'>;

function RememberBox({ status, remember, setRemember }: { status: Status; remember: boolean; setRemember: (v: boolean) => void }) {
  if (!status.keychain?.available) return null;
  return (
    <label className="row small">
      <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> Remember on this computer (system keychain):
      unlocks by itself when the app starts for this user account
    </label>
  );
}

/** The error of the last attempt, and which database this is. */
function Footer({ error, databasePath }: { error: string | null; databasePath: string }) {
  return (
    <>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p className="muted small">
        Database: <code>{databasePath}</code>
      </p>
    </>
  );
}

/** The database is encrypted and locked: ask for the passphrase. */
export function UnlockScreen({ status, onDone }: { status: Status; onDone: (s: Status) => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      onDone(await api.call('vault.unlock', { passphrase, remember }));
    } catch (err) {
      setError(/wrong passphrase/.test((err as Error).message) ? 'Wrong passphrase. Check Caps Lock and try again.' : (err as Error).message);
      setPassphrase('');
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="vault-screen" aria-labelledby="unlock-title">
      <form className="card vault-card" onSubmit={submit}>
        <h1 id="unlock-title">Unlock the database</h1>
        <p className="muted">
          The session data on this computer is encrypted. Enter its passphrase to open it.
          {status.autoLockMinutes > 0 && ` It locks again after ${status.autoLockMinutes} minutes without use.`}
        </p>
        <label className="field">
          Passphrase
          <input
            ref={input}
            type="password"
            aria-label="Passphrase"
            autoComplete="current-password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            disabled={busy}
          />
        </label>
        <RememberBox status={status} remember={remember} setRemember={setRemember} />
        <div className="row">
          <button type="submit" disabled={busy || passphrase === ''}>
            {busy ? 'Unlocking…' : 'Unlock'}
          </button>
        </div>
        <Footer error={error} databasePath={status.databasePath} />
        <p className="muted small">A forgotten passphrase cannot be recovered: restore a backup you can open (affect db restore).</p>
      </form>
    </section>
  );
}

/** First run: no database yet. Offer a passphrase (recommended) or no encryption. */
export function SetupScreen({ status, onDone }: { status: Status; onDone: (s: Status) => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = again !== '' && again !== passphrase;
  const run = async (p: string | null) => {
    setBusy(true);
    try {
      onDone(await api.call('vault.setup', { passphrase: p, remember }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="vault-screen" aria-labelledby="setup-title">
      <form
        className="card vault-card"
        onSubmit={(e) => {
          e.preventDefault();
          void run(passphrase);
        }}
      >
        <h1 id="setup-title">Protect your session data</h1>
        <p>
          Client codes, the results of the recordings you analyse (with their file names), DASS-21 answers, notes and annotations are stored in one
          database on this computer. Choose a passphrase to keep it encrypted: without the passphrase the file is unreadable, also in backups. The
          recordings themselves stay where you keep them.
        </p>
        <label className="field">
          Passphrase (at least 8 characters)
          <input
            type="password"
            aria-label="New passphrase"
            autoComplete="new-password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            autoFocus
          />
        </label>
        <label className="field">
          The same again
          <input
            type="password"
            aria-label="Repeat passphrase"
            autoComplete="new-password"
            value={again}
            onChange={(e) => setAgain(e.target.value)}
          />
        </label>
        {mismatch && <p className="error">The two passphrases differ.</p>}
        <RememberBox status={status} remember={remember} setRemember={setRemember} />
        <p className="muted small">Write it down somewhere safe: a lost passphrase cannot be recovered, and neither can the data.</p>
        <div className="row">
          <button type="submit" disabled={busy || passphrase.length < 8 || passphrase !== again}>
            Encrypt and start
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => void run(null)}>
            Continue without encryption
          </button>
        </div>
        <Footer error={error} databasePath={status.databasePath} />
      </form>
    </section>
  );
}
