import { useEffect } from 'react';
import { api } from '../api';
import { Markdown } from '../components/Markdown';
import { useApi } from '../components/useApi';

/** The app's own reference documents, shown in the app (offline): DASS-21 scoring rules, model cards. */
export function DocPage({ doc, id, section }: { doc: string | null; id: string | null; section: string | null }) {
  const known = doc === 'dass-scoring' || doc === 'model-card';
  const text = useApi(
    () =>
      known
        ? api.call('docs.get', { doc: doc as 'dass-scoring' | 'model-card', id: id ?? undefined })
        : Promise.reject(new Error(`no document "${doc}"`)),
    [doc, id],
  );
  useEffect(() => {
    if (text.data && section) document.getElementById(section)?.scrollIntoView();
  }, [text.data, section]);
  return (
    <section className="doc">
      <p>
        <button type="button" className="link" onClick={() => history.back()}>
          ← Back
        </button>
      </p>
      {text.error && <p className="error">{text.error}</p>}
      {text.data && (
        <article className="card">
          <Markdown text={text.data.markdown} />
        </article>
      )}
    </section>
  );
}
