import { useState } from 'react';
import type { ApiInput } from '../../../electron/contract/api';
import { api } from '../api';

type Target = ApiInput<'erase.preview'>;

/**
 * "Erase …" with a confirmation that names what goes ("Erase client C-7: 4 sessions, 3 DASS-21 entries, 2
 * annotation tracks"). Erasing a client also asks for its code to be typed. The recordings themselves stay.
 */
export function EraseButton({
  target,
  name,
  typeToConfirm,
  label = 'Erase…',
  onErased,
}: {
  target: Target;
  name: string;
  typeToConfirm?: string;
  label?: string;
  onErased: () => void;
}) {
  const [preview, setPreview] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = async () => {
    try {
      const p = await api.call('erase.preview', target);
      setPreview(`Erase ${name}: ${p.description}`);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const run = async () => {
    setBusy(true);
    try {
      const r = await api.call('erase.run', target);
      if (r.warning) window.alert(r.warning);
      setPreview(null);
      onErased();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  if (!preview)
    return (
      <>
        <button type="button" className="secondary" onClick={() => void open()}>
          {label}
        </button>
        {error && <span className="error">{error}</span>}
      </>
    );
  return (
    <div className="card erase-confirm" role="alertdialog" aria-label={`Erase ${name}`} data-testid="erase-confirm">
      <strong>{preview}.</strong>
      <p className="small">
        This deletes it from the database for good, including the deleted bytes in the file (it is compacted). Backups made earlier keep their copy.
        The recording files themselves stay where they are.
      </p>
      {typeToConfirm && (
        <label className="field">
          Type {typeToConfirm} to confirm
          <input aria-label="Type to confirm" value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus />
        </label>
      )}
      <div className="row">
        <button
          type="button"
          className="danger"
          disabled={busy || (typeToConfirm !== undefined && typed.trim() !== typeToConfirm)}
          onClick={() => void run()}
        >
          {busy ? 'Erasing…' : 'Erase permanently'}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => (setPreview(null), setTyped(''))}>
          Cancel
        </button>
      </div>
      {error && <p className="error">{error}</p>}
    </div>
  );
}
