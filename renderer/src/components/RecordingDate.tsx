import { useState } from 'react';
import type { ApiOutput } from '../../../electron/contract/api';
import { api } from '../api';
import { formatDate, inputDate, today } from '../dates';

type Session = ApiOutput<'sessions.get'>;

/** When the session was recorded, where that date comes from, and a way to correct it (never a future date). */
export function RecordingDate({ session: s, onChanged }: { session: Session; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = async (recordedAt: string | null) => {
    try {
      await api.call('sessions.setRecordedAt', { id: s.id, recordedAt });
      setEditing(false);
      setError(null);
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const source =
    s.recordedAtSource === 'container'
      ? 'from the file'
      : s.recordedAtSource === 'user'
        ? `set by hand${s.containerDate ? `; the file says ${formatDate(s.containerDate)}` : ''}`
        : null;
  return (
    <span className="recording-date" data-testid="recording-date">
      {s.recordedAt ? (
        <>
          Recorded {formatDate(s.recordedAt)} <span className="muted">({source})</span>
        </>
      ) : (
        <>
          Recording date unknown <span className="muted">(analysed {formatDate(s.analysedAt)})</span>
        </>
      )}{' '}
      {editing ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save(value || null);
          }}
        >
          <input
            type="date"
            aria-label="Recording date"
            value={value}
            max={today()}
            min="1900-01-01"
            required
            onChange={(e) => setValue(e.target.value)}
          />
          <button type="submit">Save date</button>
          <button type="button" className="secondary" onClick={() => (setEditing(false), setError(null))}>
            Cancel
          </button>
          {error && (
            <span className="error" role="alert">
              {error}
            </span>
          )}
        </form>
      ) : (
        <button type="button" className="link" onClick={() => (setValue(inputDate(s.recordedAt) || today()), setEditing(true))}>
          {s.recordedAt ? 'Correct the date' : 'Set the date'}
        </button>
      )}
    </span>
  );
}
