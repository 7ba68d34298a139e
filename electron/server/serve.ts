import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { AffectService } from '../api/service.js';
import { ApiError } from '../contract/api.js';
import { activeJobFiles } from '../store/jobs-repo.js';
import { getSession } from '../store/sessions-repo.js';
import { contentSecurityPolicy } from './security.js';
import { MIME, parseRange, readBody, safeEqual, sendJson, sendText } from './http-utils.js';
import { MediaTickets } from './media-tickets.js';
import { BadRequest, hostAllowed, isJsonRequest, isOctetStream, parseRequestUrl, sameOriginRequest, uploadFileName } from './request-guard.js';
import { DEFAULT_MAX_UPLOAD_BYTES, UploadStore } from './uploads.js';

export interface BrowserServerOptions {
  service: AffectService;
  /** The built renderer (index.html + assets). */
  rendererDir: string;
  /** Where browser uploads are kept until their import job has finished. */
  uploadDir: string;
  port?: number;
  token?: string;
  /** Largest upload accepted (default DEFAULT_MAX_UPLOAD_BYTES). */
  maxUploadBytes?: number;
}

/** The header that carries the token (page script only; never a cookie). */
export const TOKEN_HEADER = 'x-affect-token';
/** The header on `sessions.get` answers naming the recording's capability URL. */
export const MEDIA_HEADER = 'x-affect-media';
/** HTTP status for each ApiError code ('failed' is a 500 with a reference, see below). */
const HTTP_STATUS: Record<string, number> = { 'bad-request': 400, 'not-found': 404, forbidden: 403, locked: 423 };
/** Largest API request body (500 paths of 4,096 bytes fit). */
export const MAX_API_BODY_BYTES = 4 * 1024 ** 2;

const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

/**
 * Browser mode: the renderer and the same typed API, on 127.0.0.1 only. The per-run random token is printed
 * in the URL (`/?token=…`); the page's script keeps it in sessionStorage, takes it out of the address bar and
 * sends it in the `x-affect-token` header with every API call and upload. No cookie: a cookie would also be
 * sent to every other server on 127.0.0.1 (cookies ignore ports). Every request needs our Host; every POST
 * needs our Origin/Sec-Fetch-Site when the browser states one; API calls must be JSON and uploads
 * octet-stream (neither a plain form can send). Recordings play from short-lived capability URLs
 * (media-tickets.ts). The app's files (index.html, scripts, styles) hold no data and are served to anyone
 * who reaches the port.
 */
export async function startBrowserServer(
  opts: BrowserServerOptions,
): Promise<{ server: Server; url: string; token: string; port: number; uploads: UploadStore }> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const uploads = new UploadStore(opts.uploadDir, opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES);
  const tickets = new MediaTickets();
  let port = 0;

  // Uploads live until their job ends; a crash or an older version may have left some behind. The jobs are in the
  // database, which exists only once unlocked: sweep and follow the queue each time it opens.
  opts.service.whenOpen((db, queue) => {
    uploads.sweep(activeJobFiles(db));
    queue.onSettled((job) => {
      const active = activeJobFiles(db);
      for (const f of [job.file, job.transcript]) if (f && uploads.owns(f) && !active.includes(f)) uploads.release(f);
    });
  });

  const tokenOk = (given: string | null | undefined) => typeof given === 'string' && safeEqual(given, token);

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    for (const [k, v] of Object.entries({ ...COMMON_HEADERS, ...headers })) res.setHeader(k, v);
    sendJson(res, status, body);
  };
  const refuse = (res: ServerResponse, status: number, error: string) => send(res, status, { error, code: 'refused' });

  const serveStatic = (res: ServerResponse, pathname: string) => {
    const rel = pathname === '/' ? 'index.html' : pathname.slice(1);
    const file = path.resolve(opts.rendererDir, rel);
    if (!file.startsWith(path.resolve(opts.rendererDir) + path.sep) || !existsSync(file) || !statSync(file).isFile())
      return sendText(res, 404, 'not found');
    const headers: Record<string, string> = {
      ...COMMON_HEADERS,
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    };
    if (file.endsWith('.html')) headers['content-security-policy'] = contentSecurityPolicy();
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  };

  /** A recording (or, with variant=playback, its playback copy) by a capability URL; nothing while locked or in client mode. */
  const serveMedia = async (req: IncomingMessage, res: ServerResponse, ticket: string, variant: 'original' | 'playback') => {
    const db = opts.service.currentDb();
    if (!db) return sendText(res, 423, 'locked');
    if (opts.service.inClientMode()) return sendText(res, 403, 'not available in client mode');
    const sessionId = tickets.redeem(ticket);
    if (sessionId === null || !getSession(db, sessionId))
      return sendText(res, 404, 'no such recording (the link may have expired: open the session again)');
    const { file } = await opts.service.call('media.source', { sessionId, variant });
    if (!file || !existsSync(file)) return sendText(res, 404, 'the recording is no longer on this computer');
    const size = statSync(file).size;
    const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const range = parseRange(req.headers.range, size);
    if (req.headers.range && !range) {
      res.writeHead(416, { ...COMMON_HEADERS, 'content-range': `bytes */${size}` });
      return res.end();
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    res.writeHead(range ? 206 : 200, {
      ...COMMON_HEADERS,
      'content-type': type,
      'cache-control': 'no-store',
      'accept-ranges': 'bytes',
      'content-length': end - start + 1,
      ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
    });
    createReadStream(file, { start, end }).pipe(res);
  };

  const callApi = async (req: IncomingMessage, res: ServerResponse, method: string) => {
    if (!isJsonRequest(req.headers)) return refuse(res, 415, 'API calls take a JSON body (content-type: application/json)');
    let input: unknown;
    try {
      input = JSON.parse((await readBody(req, MAX_API_BODY_BYTES)) || '{}');
    } catch (err) {
      if (err instanceof BadRequest) throw err;
      return send(res, 400, { error: 'request body is not JSON', code: 'bad-request' });
    }
    try {
      // A transcript uploaded to be attached is read into the database by the call: the upload goes when it returns.
      const attached = method === 'transcripts.attach' ? (input as { path?: unknown }).path : null;
      const release = () => {
        const db = opts.service.currentDb();
        if (typeof attached === 'string' && !(db && activeJobFiles(db).includes(attached))) uploads.release(attached);
      };
      const result = await opts.service.handle(method, input).finally(release);
      const headers: Record<string, string> = {};
      if (method === 'sessions.get') headers[MEDIA_HEADER] = `/media/${tickets.issue((result as { id: number }).id)}`;
      return send(res, 200, { result }, headers);
    } catch (err) {
      if (!(err instanceof ApiError) || err.code === 'failed') throw err;
      return send(res, HTTP_STATUS[err.code] ?? 400, { error: err.message, code: err.code });
    }
  };

  const upload = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (!isOctetStream(req.headers)) return refuse(res, 415, 'uploads take the raw file (content-type: application/octet-stream)');
    if (!opts.service.currentDb()) return send(res, 423, { error: 'the database is locked', code: 'locked' });
    if (opts.service.inClientMode()) return refuse(res, 403, 'not available in client mode');
    const dest = await uploads.receive(req, uploadFileName(url.searchParams.get('name')));
    send(res, 200, { path: dest });
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req.headers, port)) return refuse(res, 403, 'forbidden host');
    const { url, pathname } = parseRequestUrl(req.url, port);
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (pathname.startsWith('/media/')) {
        if (!sameOriginRequest(req.headers, port)) return refuse(res, 403, "recordings play only in the app's own page");
        return await serveMedia(req, res, pathname.slice('/media/'.length), url.searchParams.get('variant') === 'playback' ? 'playback' : 'original');
      }
      // A stale or wrong token in the address: say so rather than open a page that cannot work.
      if (url.searchParams.has('token') && !tokenOk(url.searchParams.get('token')))
        return sendText(res, 401, 'wrong token: open the URL `npm run serve` printed this time');
      return serveStatic(res, pathname);
    }
    if (req.method !== 'POST') return refuse(res, 405, 'method not allowed');
    if (!sameOriginRequest(req.headers, port)) return refuse(res, 403, 'cross-origin request refused');
    if (!tokenOk(req.headers[TOKEN_HEADER] as string | undefined))
      return refuse(res, 401, 'missing or wrong token: open the URL printed by `npm run serve`');
    if (pathname.startsWith('/api/')) return await callApi(req, res, pathname.slice('/api/'.length));
    if (pathname === '/upload') return await upload(req, res, url);
    return refuse(res, 404, 'not found');
  };

  const server = createServer(async (req, res) => {
    try {
      await route(req, res);
    } catch (err) {
      if (res.headersSent) return void res.destroy();
      if (err instanceof BadRequest) {
        send(res, err.status, { error: err.message, code: 'bad-request' }, err.status === 413 || err.status === 507 ? { connection: 'close' } : {});
        // The client may still be sending: read (and drop) a little more so it sees the answer, then hang up.
        if (!req.complete) {
          req.resume();
          setTimeout(() => req.socket.destroy(), 2000).unref();
        }
        return;
      }
      // Unexpected: details (which may hold paths) stay in the server's log; the page gets a reference.
      const ref = randomBytes(4).toString('hex');
      console.error(`serve: error ${ref} on ${req.method} ${(req.url ?? '').slice(0, 200)}: ${(err as Error).stack ?? err}`);
      send(res, 500, { error: `internal error (reference ${ref}; details in the server's log)`, code: 'failed' });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}/?token=${token}`, token, port, uploads };
}
