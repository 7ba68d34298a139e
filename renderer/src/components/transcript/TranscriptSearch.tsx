import { useState } from 'react';
import type { ApiOutput } from '../../../../electron/contract/api';
import { api } from '../../api';
import { formatDate } from '../../dates';
import { clockLabel } from '../timeline/time-view';
import './transcript.css';

type Result = ApiOutput<'transcripts.search'>;
type Hit = Result['hits'][number];

/**
 * Search what was said across the client's sessions (full-text, inside the encrypted database). Each hit links to its
 * moment in the review (#/session/<id>?t=<seconds>). Words match as beginnings ("sleep" finds "sleeping"); "quoted
 * words" match as a phrase.
 */
export function TranscriptSearch({ clientId }: { clientId: number }) {
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const search = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!query.trim()) return;
    setBusy(true);
    try {
      setResult(await api.call('transcripts.search', { clientId, query: query.trim() }));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const bySession: Array<[number, Hit[]]> = [];
  for (const h of result?.hits ?? []) {
    const last = bySession[bySession.length - 1];
    if (last && last[0] === h.sessionId) last[1].push(h);
    else bySession.push([h.sessionId, [h]]);
  }
  return (
    <div className="card" role="search" aria-label="Search the transcripts">
      <h2>What was said</h2>
      <form className="row" onSubmit={(e) => void search(e)}>
        <input
          aria-label="Words to look for in this client's transcripts"
          placeholder='Words, or a "phrase"'
          value={query}
          maxLength={200}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button type="submit" disabled={busy || !query.trim()}>
          Search transcripts
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p className="small muted" role="status" data-testid="search-status">
        {result
          ? result.total === 0
            ? 'Nothing found in this client\u2019s transcripts.'
            : `${result.total} line${result.total === 1 ? '' : 's'} in ${result.sessions} session${result.sessions === 1 ? '' : 's'}${result.total > result.hits.length ? ` (the first ${result.hits.length} shown)` : ''}. Click a time to open the recording there.`
          : 'Searches every transcript attached to this client\u2019s sessions. Words match as beginnings (sleep finds sleeping); "quoted words" as a phrase.'}
      </p>
      {bySession.map(([sessionId, hits]) => (
        <section key={sessionId} aria-label={`Session ${sessionId}`}>
          <h3 className="search-session">
            <a href={`#/session/${sessionId}`}>{hits[0].sessionTitle ?? hits[0].recording}</a>{' '}
            <span className="muted small">{formatDate(hits[0].date)}</span>
          </h3>
          <ul className="search-hits" data-testid={`search-hits-${sessionId}`}>
            {hits.map((h) => (
              <li key={h.cueId} className="search-hit">
                <a href={`#/session/${h.sessionId}?t=${h.start}`} aria-label={`Open session ${h.sessionId} at ${clockLabel(h.start, 1)}`}>
                  {clockLabel(h.start, 1)}
                </a>
                <span className="cue-speaker">{h.speaker ?? ''}</span>
                <span>{h.parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
