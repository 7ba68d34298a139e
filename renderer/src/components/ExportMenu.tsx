import { useState, type ReactNode } from 'react';
import type { ApiInput } from '../../../electron/contract/api';
import { api, type ExportFile } from '../api';

export interface ExportChoice {
  label: string;
  make: () => Promise<ExportFile>;
}

/**
 * Export buttons: each makes the file, then hands it to the user (a save dialog in the app, a download in the
 * browser); nothing is written behind the user's back, nothing is overwritten without the dialog asking.
 */
export function ExportMenu({ choices, title = 'Export', children }: { choices: ExportChoice[]; title?: string; children?: ReactNode }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (c: ExportChoice) => {
    setBusy(c.label);
    setError(null);
    setMessage(null);
    try {
      const file = await c.make();
      const where = await api.saveExport(file);
      setMessage(where === null ? null : api.isElectron ? `Saved ${where}` : `Downloaded ${where}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="export-menu">
      <div className="row" role="group" aria-label={title}>
        <span>{title}:</span>
        {choices.map((c) => (
          <button key={c.label} type="button" className="secondary" disabled={busy !== null} onClick={() => void run(c)}>
            {busy === c.label ? `${c.label}…` : c.label}
          </button>
        ))}
      </div>
      {children}
      {message && (
        <p role="status" className="small" data-testid="export-status">
          {message}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** The exports of one session (with a transcript: its lines as CSV and JSON; `noText`: the PDF without its words). */
export function sessionExports(sessionId: number, { transcript = false, noText = false } = {}): ExportChoice[] {
  const x = (input: Omit<ApiInput<'export.session'>, 'sessionId'>) => () => api.call('export.session', { sessionId, ...input });
  return [
    { label: noText ? 'PDF report (no words)' : 'PDF report', make: x({ format: 'pdf', ...(noText ? { noText } : {}) }) },
    ...(transcript
      ? [
          { label: 'Transcript CSV', make: x({ format: 'csv', per: 'transcript' }) },
          { label: 'Transcript JSON', make: x({ format: 'json', per: 'transcript' }) },
        ]
      : []),
    { label: 'CSV per frame', make: x({ format: 'csv', per: 'frame' }) },
    { label: 'CSV per window', make: x({ format: 'csv', per: 'window' }) },
    { label: 'CSV per segment', make: x({ format: 'csv', per: 'segment' }) },
    { label: 'ELAN .eaf', make: x({ format: 'eaf' }) },
  ];
}
