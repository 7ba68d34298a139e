import { useEffect, useState } from 'react';

export interface Route {
  page: 'clients' | 'client' | 'import' | 'session' | 'dass' | 'settings' | 'doc';
  id: number | null;
  /** The second path part as written (e.g. the document name in #/doc/dass-scoring). */
  slug: string | null;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [pathPart, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page, rawId] = pathPart.split('/');
  const known: Route['page'][] = ['clients', 'client', 'import', 'session', 'dass', 'settings', 'doc'];
  return {
    page: known.includes(page as Route['page']) ? (page as Route['page']) : 'clients',
    id: rawId && /^\d+$/.test(rawId) ? Number(rawId) : null,
    slug: rawId ? decodeURIComponent(rawId) : null,
    params: new URLSearchParams(query),
  };
}

export function navigate(to: string): void {
  window.location.hash = to;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
