import { useEffect, useRef, useState } from 'react';
import type { ApiOutput } from '../../../electron/contract/api';
import { api } from '../api';
import { DassChange } from '../components/DassChange';
import { useApi } from '../components/useApi';
import { formatDate, today } from '../dates';

type Answer = 0 | 1 | 2 | 3 | null;

/**
 * DASS-21 entry, keyboard-only possible: on an item, press 0–3 to answer (focus moves on),
 * ↑/↓ to move, Delete/Backspace to clear (a missing answer). The text is shown verbatim.
 * With `editId`: corrects that stored entry (date and answers; rescored on save).
 */
export function DassEntryPage({ clientId, editId = null }: { clientId: number; editId?: number | null }) {
  const items = useApi(() => api.call('dass.items', {}), []);
  const clients = useApi(() => api.call('clients.list', { includeArchived: true }), []);
  const history = useApi(() => (clientId ? api.call('dass.list', { clientId }) : Promise.resolve(null)), [clientId]);
  const [answers, setAnswers] = useState<Answer[]>(() => Array(21).fill(null));
  const [date, setDate] = useState(today);
  const [editing, setEditing] = useState<string | null>(null);
  useEffect(() => {
    if (!editId || !clientId) return;
    void api.call('dass.list', { clientId }).then((r) => {
      const a = r.administrations.find((x) => x.id === editId);
      if (!a) return;
      setAnswers(a.answers as Answer[]);
      setDate(a.administeredAt.slice(0, 10));
      setEditing(formatDate(a.administeredAt));
    });
  }, [editId, clientId]);
  const [result, setResult] = useState<ApiOutput<'dass.save'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rows = useRef<Array<HTMLDivElement | null>>([]);
  useEffect(() => {
    if (items.data) rows.current[0]?.focus();
  }, [items.data]);

  if (!clientId) return <p className="error">Open a client first, then choose “New DASS-21”.</p>;
  if (items.error) return <p className="error">{items.error}</p>;
  if (!items.data) return <p>Loading…</p>;
  const d = items.data;
  const client = clients.data?.find((c) => c.id === clientId);
  const who = client ? `${client.code}${client.displayName ? ` — ${client.displayName}` : ''}` : `client ${clientId}`;
  const dateProblem = !/^\d{4}-\d{2}-\d{2}$/.test(date)
    ? 'Enter the date it was filled in.'
    : date > today()
      ? `${formatDate(date)} is in the future.`
      : date < '1900-01-01'
        ? 'The date is before 1900.'
        : null;

  const setAnswer = (i: number, v: Answer) => setAnswers((a) => a.map((x, k) => (k === i ? v : x)));
  const onKey = (i: number) => (e: React.KeyboardEvent) => {
    if (/^[0-3]$/.test(e.key)) {
      e.preventDefault();
      setAnswer(i, Number(e.key) as Answer);
      (rows.current[i + 1] ?? document.getElementById('dass-save'))?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      rows.current[i + (e.key === 'ArrowDown' ? 1 : -1)]?.focus();
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      setAnswer(i, null);
    }
  };
  const save = async () => {
    if (dateProblem) return setError(`Date administered: ${dateProblem}`);
    try {
      setResult(
        editId
          ? await api.call('dass.update', { id: editId, administeredAt: date, answers })
          : await api.call('dass.save', { clientId, administeredAt: date, answers }),
      );
      history.reload();
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const missing = answers.filter((a) => a === null).length;

  if (result)
    return (
      <section>
        <h1>DASS-21 result for {who}</h1>
        <p className="muted">Filled in {formatDate(result.administeredAt)}. For the clinician's interpretation; not a diagnosis.</p>
        <table className="list" data-testid="dass-result">
          <thead>
            <tr>
              <th>Subscale</th>
              <th>Score (×2)</th>
              <th>Severity band</th>
            </tr>
          </thead>
          <tbody>
            {(['depression', 'anxiety', 'stress'] as const).map((s) => (
              <tr key={s}>
                <td>{s}</td>
                <td>
                  {result[s].score ?? 'no score (2+ items missing)'}
                  {result[s].prorated ? ' (prorated: 1 item missing)' : ''}
                </td>
                <td>{result[s].band ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {previousChange(history.data, result.id) && (
          <p data-testid="dass-change">
            Since {formatDate(previousChange(history.data, result.id)!.from)}:{' '}
            {previousChange(history.data, result.id)!.change.subscales.map((c) => (
              <DassChange key={c.subscale} c={c} />
            ))}
          </p>
        )}
        {result.itemsOfNote.length > 0 && (
          <div className="card warning" role="alert">
            <h2>Items of note</h2>
            <ul>
              {result.itemsOfNote.map((n) => (
                <li key={n.item}>
                  <strong>
                    Item {n.item} “{n.text}”
                  </strong>{' '}
                  — answered {n.answer}. {n.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="card">
          <h2>Suggested next steps (for the clinician)</h2>
          <ul>
            {result.nextSteps.map((n, i) => (
              <li key={i} className={`step-${n.kind}`}>
                <strong>{n.title}</strong> — {n.detail}
                {n.exercise && (
                  <>
                    {' '}
                    <a href={`#/client/${clientId}?tab=selfcare`}>Open the self-care exercises</a>
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
        <a className="button" href={`#/client/${clientId}`}>
          Back to client
        </a>
      </section>
    );

  return (
    <section className="dass-entry">
      <h1>{editId ? `Correct the DASS-21 of ${who} from ${editing ?? '…'}` : `DASS-21 for ${who}`}</h1>
      {editId !== null && (
        <p className="muted">Change the date or answers as they were on paper; the entry is rescored when saved, and the correction is logged.</p>
      )}
      <label>
        Date administered{' '}
        <input
          type="date"
          value={date}
          max={today()}
          min="1900-01-01"
          required
          onChange={(e) => setDate(e.target.value)}
          aria-label="Date administered"
          aria-invalid={dateProblem !== null}
          aria-describedby="dass-date-problem"
        />
      </label>{' '}
      <span id="dass-date-problem" className="error" role={dateProblem ? 'alert' : undefined}>
        {dateProblem}
      </span>
      <p className="instructions">{d.instructions}</p>
      <ol className="scale">
        {d.scale.map((s) => (
          <li key={s.value}>
            <strong>{s.value}</strong> {s.label}
          </li>
        ))}
      </ol>
      <p className="muted small">Keyboard: press 0–3 on an item to answer and move on; ↑/↓ move; Delete clears.</p>
      <div role="list">
        {d.items.map((item, i) => (
          <div
            key={item.number}
            role="listitem"
            tabIndex={0}
            ref={(el) => {
              rows.current[i] = el;
            }}
            className={answers[i] === null ? 'dass-item' : 'dass-item answered'}
            onKeyDown={onKey(i)}
            aria-label={`Item ${item.number}: ${item.text}. Answer ${answers[i] ?? 'none'}`}
            data-testid={`dass-item-${item.number}`}
          >
            <span className="num">{item.number}</span>
            <span className="text">{item.text}</span>
            <span className="choices">
              {[0, 1, 2, 3].map((v) => (
                <label key={v}>
                  <input type="radio" tabIndex={-1} name={`q${item.number}`} checked={answers[i] === v} onChange={() => setAnswer(i, v as Answer)} />
                  {v}
                </label>
              ))}
            </span>
          </div>
        ))}
      </div>
      <p className="muted">
        {missing ? `${missing} item${missing > 1 ? 's' : ''} unanswered (a subscale with 2 or more missing gets no score).` : 'All items answered.'}
      </p>
      <button id="dass-save" type="button" onClick={() => void save()}>
        {editId ? 'Save correction and rescore' : 'Save and score'}
      </button>
      {error && <p className="error">{error}</p>}
      <p className="muted small">{d.credit}</p>
    </section>
  );
}

/** The change from the administration before this one (the history is re-read after saving). */
function previousChange(history: ApiOutput<'dass.list'> | null, id: number) {
  const change = history?.changes.find((c) => c.toId === id);
  const from = change && history!.administrations.find((a) => a.id === change.fromId);
  return change && from ? { change, from: from.administeredAt } : null;
}
