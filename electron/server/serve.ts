import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AffectService } from '../api/service.js';
import { ApiError } from '../contract/api.js';
import { getSession } from '../store/sessions-repo.js';
import type { Db } from '../store/db.js';
import { contentSecurityPolicy } from './security.js';
import { cookieValue, MIME, parseRange, readBody, safeEqual, sendJson, sendText } from './http-utils.js';

export interface BrowserServerOptions {
  service: AffectService;
  /** Unused: the service's own database is used (it exists only while unlocked). */
  db?: Db;
  /** The built renderer (index.html + assets). */
  rendererDir: string;
  /** Where browser uploads are stored before analysis. */
  uploadDir: string;
  port?: number;
  token?: string;
}

const COOKIE = 'affect_token';
/** HTTP status for each ApiError code. */
const HTTP_STATUS: Record<string, number> = { 'bad-request': 400, 'not-found': 404, forbidden: 403, locked: 423 };
const MAX_UPLOAD_BYTES = 20 * 1024 ** 3;

/**
 * Browser mode: the renderer and the same typed API, served on 127.0.0.1 only, behind a per-run
 * random token (query `?token=` on the first page load, then an HttpOnly SameSite=Strict cookie, or
 * the `x-affect-token` header). Requests without it, or for another Host, are refused.
 */
export async function startBrowserServer(opts: BrowserServerOptions): Promise<{ server: Server; url: string; token: string; port: number }> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  mkdirSync(opts.uploadDir, { recursive: true });
  let port = 0;

  const authorised = (req: IncomingMessage, url: URL) => {
    const given = url.searchParams.get('token') ?? (req.headers['x-affect-token'] as string | undefined) ?? cookieValue(req, COOKIE);
    return given !== null && given !== undefined && safeEqual(given, token);
  };
  const hostAllowed = (req: IncomingMessage) => req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;

  const serveStatic = (res: ServerResponse, urlPath: string, setCookie: boolean) => {
    const rel = urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath.slice(1));
    const file = path.resolve(opts.rendererDir, rel);
    if (!file.startsWith(path.resolve(opts.rendererDir) + path.sep) || !existsSync(file) || !statSync(file).isFile())
      return sendText(res, 404, 'not found');
    const headers: Record<string, string> = {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    if (file.endsWith('.html')) headers['content-security-policy'] = contentSecurityPolicy();
    if (setCookie) headers['set-cookie'] = `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  };

  const serveMedia = async (req: IncomingMessage, res: ServerResponse, sessionId: number, variant: 'original' | 'playback') => {
    const db = opts.service.currentDb();
    if (!db) return sendText(res, 423, 'locked');
    if (!getSession(db, sessionId)) return sendText(res, 404, 'recording not found');
    const { file } = await opts.service.call('media.source', { sessionId, variant });
    if (!file || !existsSync(file)) return sendText(res, 404, 'recording not found');
    const size = statSync(file).size;
    const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const range = parseRange(req.headers.range, size);
    if (req.headers.range && !range) {
      res.writeHead(416, { 'content-range': `bytes */${size}` });
      return res.end();
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    res.writeHead(range ? 206 : 200, {
      'content-type': type,
      'accept-ranges': 'bytes',
      'content-length': end - start + 1,
      ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
    });
    createReadStream(file, { start, end }).pipe(res);
  };

  const upload = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (!opts.service.currentDb()) return sendJson(res, 423, { error: 'the database is locked', code: 'locked' });
    const name = path.basename(url.searchParams.get('name') ?? 'upload').replace(/[^\p{L}\p{N} ._()-]/gu, '_') || 'upload';
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_UPLOAD_BYTES) return sendJson(res, 413, { error: `${name}: larger than ${MAX_UPLOAD_BYTES} bytes` });
    const dir = path.join(opts.uploadDir, randomUUID());
    mkdirSync(dir, { recursive: true });
    const dest = path.join(dir, name);
    await pipeline(req, createWriteStream(dest));
    sendJson(res, 200, { path: dest });
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (!hostAllowed(req)) return sendText(res, 403, 'forbidden host');
      if (!authorised(req, url)) return sendText(res, 401, 'missing or wrong token: open the URL printed by `npm run serve`');
      if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
        const method = url.pathname.slice('/api/'.length);
        let input: unknown;
        try {
          input = JSON.parse((await readBody(req, 5 * 1024 * 1024)) || '{}');
        } catch {
          return sendJson(res, 400, { error: 'request body is not JSON', code: 'bad-request' });
        }
        try {
          return sendJson(res, 200, { result: await opts.service.handle(method, input) });
        } catch (err) {
          const code = err instanceof ApiError ? err.code : 'failed';
          return sendJson(res, HTTP_STATUS[code] ?? 500, { error: (err as Error).message, code });
        }
      }
      // Client mode (self-care hand-over): no recordings, no uploads; the API refuses the rest itself.
      if (opts.service.inClientMode() && (url.pathname === '/upload' || url.pathname.startsWith('/media/'))) return sendText(res, 403, 'not available in client mode');
      if (req.method === 'POST' && url.pathname === '/upload') return await upload(req, res, url);
      if (req.method === 'GET' && url.pathname.startsWith('/media/'))
        return await serveMedia(req, res, Number(url.pathname.slice('/media/'.length)), url.searchParams.get('variant') === 'playback' ? 'playback' : 'original');
      if (req.method === 'GET') return serveStatic(res, url.pathname, url.searchParams.has('token'));
      sendText(res, 405, 'method not allowed');
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { error: (err as Error).message });
      else res.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}/?token=${token}`, token, port };
}
