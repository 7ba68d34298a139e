import { useState } from 'react';
import { api } from '../api';
import { useApi } from '../components/useApi';
import { navigate } from '../router';

export function ClientsPage() {
  const [search, setSearch] = useState('');
  const [showArchived, setShowArchived] = useState(false);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const clients = useApi(() => api.call('clients.list', { search, includeArchived: showArchived }), [search, showArchived]);
  const unassigned = useApi(() => api.call('sessions.list', { clientId: null }), []);

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      const c = await api.call('clients.create', { code, displayName: name || null });
      setCode('');
      setName('');
      setError(null);
      navigate(`/client/${c.id}`);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section>
      <h1>Clients</h1>
      <div className="row">
        <input aria-label="Search clients" placeholder="Search by code or name" value={search} onChange={(e) => setSearch(e.target.value)} />
        <label>
          <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} /> show archived
        </label>
      </div>
      {clients.error && <p className="error">{clients.error}</p>}
      <table className="list">
        <thead>
          <tr>
            <th>Code</th>
            <th>Name</th>
            <th>Since</th>
          </tr>
        </thead>
        <tbody>
          {clients.data?.map((c) => (
            <tr key={c.id} className={c.archivedAt ? 'archived' : ''}>
              <td>
                <a href={`#/client/${c.id}`}>{c.code}</a>
              </td>
              <td>{c.displayName ?? ''}</td>
              <td>{c.createdAt.slice(0, 10)}</td>
            </tr>
          ))}
          {clients.data?.length === 0 && (
            <tr>
              <td colSpan={3} className="muted">
                {search.trim()
                  ? `No client matches “${search.trim()}”${showArchived ? '' : ' (archived clients are hidden)'}.`
                  : 'No clients yet. Create one below, or import a recording first and assign it later.'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <form className="card" onSubmit={create} aria-label="New client">
        <h2>New client</h2>
        <div className="row">
          <input
            aria-label="Client code"
            placeholder="Code (pseudonym), e.g. C-014"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            required
          />
          <input aria-label="Display name" placeholder="Display name (optional)" value={name} onChange={(e) => setName(e.target.value)} />
          <button type="submit">Create client</button>
        </div>
        {error && <p className="error">{error}</p>}
      </form>
      {unassigned.data && unassigned.data.length > 0 && (
        <div className="card">
          <h2>Sessions without a client</h2>
          <ul>
            {unassigned.data.map((s) => (
              <li key={s.id}>
                <a href={`#/session/${s.id}`}>{s.title ?? s.file.split(/[\\/]/).pop()}</a> — {s.analysedAt.slice(0, 16).replace('T', ' ')}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
