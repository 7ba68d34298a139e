/**
 * Browser mode's credential (see electron/server/serve.ts). `npm run serve` prints `/?token=…`; on load the
 * token moves from the address bar into this tab's sessionStorage (so it is not left in the address bar,
 * bookmarks or shared screenshots; a reload keeps working) and is sent only as a request header by this
 * page's own script. Other local servers never receive it: there is no cookie.
 */
const KEY = 'affect-token';

export function takeTokenFromAddress(): void {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token === null) return;
  window.sessionStorage.setItem(KEY, token);
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
}

export function browserToken(): string {
  const token = window.sessionStorage.getItem(KEY);
  if (!token) throw new Error('This tab has no access token: open the address `npm run serve` printed (it ends in ?token=…).');
  return token;
}
