import type { IncomingHttpHeaders } from 'node:http';

/**
 * The browser-mode server's checks on a request, as pure functions (tests/browser-server.test.ts drives them
 * through real HTTP). Threat: any other web page or local server the user's browser talks to, e.g. a page
 * served on another 127.0.0.1 port, which shares our host name (cookies ignore ports) but not our origin.
 */

/** The page origins this server accepts: its own, by address or by name. */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

export function hostAllowed(headers: IncomingHttpHeaders, port: number): boolean {
  return headers.host === `127.0.0.1:${port}` || headers.host === `localhost:${port}`;
}

/**
 * A state-changing request must come from our own page or from a client that is no browser page at all:
 * when the browser says where it comes from (Origin, Sec-Fetch-Site), that must be here.
 */
export function sameOriginRequest(headers: IncomingHttpHeaders, port: number): boolean {
  const origin = headers.origin;
  if (origin !== undefined && !ownOrigins(port).includes(origin)) return false;
  const site = headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** `application/json`, optionally with a charset: the one body type the API takes (a form cannot send it). */
export function isJsonRequest(headers: IncomingHttpHeaders): boolean {
  return /^application\/json\s*(;\s*charset=utf-8\s*)?$/i.test(headers['content-type'] ?? '');
}

/** `application/octet-stream`: the one body type uploads take (the page sets it; a form cannot). */
export function isOctetStream(headers: IncomingHttpHeaders): boolean {
  return /^application\/octet-stream\s*$/i.test(headers['content-type'] ?? '');
}

export class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'BadRequest';
  }
}

/** Parse the request target; malformed ones (bad percent-encoding, absolute forms) are a 400, never a 500. */
export function parseRequestUrl(rawUrl: string | undefined, port: number): { url: URL; pathname: string } {
  const raw = rawUrl ?? '/';
  if (!raw.startsWith('/') || raw.startsWith('//')) throw new BadRequest('malformed request target');
  let url: URL;
  let pathname: string;
  try {
    url = new URL(raw, `http://127.0.0.1:${port}`);
    pathname = decodeURIComponent(url.pathname);
    // Query values are decoded by URLSearchParams, which does not throw: check them the strict way too.
    for (const part of url.search.slice(1).split('&')) decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw new BadRequest('malformed URL (bad percent-encoding)');
  }
  if (pathname.includes('\0')) throw new BadRequest('malformed URL');
  return { url, pathname };
}

const MAX_NAME_BYTES = 255;

/**
 * The file name an upload is stored under: the last path component of what the page sent, printable,
 * at most 255 bytes, not `.` or `..`; characters outside letters, digits, space and `._()-` become `_`.
 */
export function uploadFileName(raw: string | null): string {
  if (raw === null || raw.trim() === '') throw new BadRequest('the upload needs ?name=<file name>');
  if (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(raw)) throw new BadRequest('the file name contains control or formatting characters');
  const base = raw.split(/[\\/]/).pop() ?? '';
  const name = base.replace(/[^\p{L}\p{N} ._()-]/gu, '_').trim();
  if (name === '' || /^\.+$/.test(name)) throw new BadRequest(`"${raw.slice(0, 80)}" is not a file name`);
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) throw new BadRequest(`the file name is longer than ${MAX_NAME_BYTES} bytes`);
  return name;
}
