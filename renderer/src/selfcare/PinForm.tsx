import { useState } from 'react';

export interface PinAction {
  label: string;
  run: (pin: string) => Promise<unknown>;
}

/**
 * A PIN or passphrase field with one button per action (Enter runs the first); shows the service's answer (wrong PIN,
 * wait…) under it. The field is cleared after every try.
 */
export function PinForm({ label, actions, autoFocus = true }: { label: string; actions: PinAction[]; autoFocus?: boolean }) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const go = async (action: PinAction) => {
    setBusy(true);
    try {
      await action.run(pin);
      setError(null);
    } catch (err) {
      setError((err as Error).message.replace(/^clientMode\.\w+: /, ''));
    } finally {
      setBusy(false);
      setPin('');
    }
  };
  return (
    <form
      className="sc-pin"
      onSubmit={(e) => {
        e.preventDefault();
        void go(actions[0]);
      }}
    >
      <label>
        {label}
        <input type="password" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} autoFocus={autoFocus} />
      </label>
      <div className="sc-row">
        {actions.map((a, i) => (
          <button
            key={a.label}
            type={i === 0 ? 'submit' : 'button'}
            className={i === 0 ? 'sc-primary' : 'sc-secondary'}
            disabled={busy || pin.length === 0}
            onClick={i === 0 ? undefined : () => void go(a)}
          >
            {a.label}
          </button>
        ))}
      </div>
      {error && (
        <p className="sc-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
