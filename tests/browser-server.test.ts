import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { after, test } from 'node:test';
import { AffectService } from '../electron/api/service.js';
import type { AnalysisEngine } from '../electron/analysis/engine.js';
import { startBrowserServer, type BrowserServerOptions } from '../electron/server/serve.js';
import { openDatabase, type Db } from '../electron/store/db.js';
import { addJobs, getJob } from '../electron/store/jobs-repo.js';
import { tempDir } from './helpers/paths.js';
import { SAMPLE_MP4, storeScriptedSession } from './helpers/stored-session.js';

/**
 * The browser-mode server against the attacks found when it was probed (issue 16): each of these failed
 * before the hardening. The whole UI and a real cross-port attack in Chromium: tests/browser-attacks.test.ts.
 */
interface Running {
  base: string;
  port: number;
  token: string;
  dir: string;
  db: Db;
  uploadDir: string;
  stop: () => Promise<void>;
}

const running: Running[] = [];
after(async () => {
  for (const r of running) await r.stop();
});

async function serve(
  opts: Partial<BrowserServerOptions> & { engine?: () => Promise<AnalysisEngine>; before?: (db: Db, uploadDir: string) => void } = {},
): Promise<Running> {
  const dir = tempDir();
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  const dbFile = path.join(dir, 'a.sqlite');
  const uploadDir = path.join(dir, 'imports');
  const db = openDatabase(dbFile);
  opts.before?.(db, uploadDir);
  const service = new AffectService({ db, databasePath: dbFile, engine: opts.engine ?? (() => Promise.reject(new Error('no engine in this test'))) });
  const s = await startBrowserServer({ service, rendererDir, uploadDir, ...opts });
  const r: Running = {
    base: `http://127.0.0.1:${s.port}`,
    port: s.port,
    token: s.token,
    dir,
    db,
    uploadDir,
    stop: async () => {
      s.server.closeAllConnections();
      s.server.close();
      await service.close();
      db.close();
    },
  };
  running.push(r);
  return r;
}

let main: Running;
const server = async () => (main ??= await serve());
const json = (token: string, extra: Record<string, string> = {}) => ({ 'x-affect-token': token, 'content-type': 'application/json', ...extra });

/** A raw request (fetch cannot send some of these: a malformed target, no Content-Length, a foreign Host). */
function raw(
  base: string,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | (() => AsyncIterable<Buffer>) },
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (typeof opts.body === 'function') {
      (async () => {
        for await (const chunk of opts.body instanceof Function ? opts.body() : [])
          if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        req.end();
      })().catch(() => undefined); // the server may hang up once it has answered
    } else req.end(opts.body);
  });
}

test('listens on 127.0.0.1 with a long random token', async () => {
  const s = await server();
  assert.match(s.base, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(s.token.length >= 32);
});

test('no cookie: the token is never set as one (cookies ignore ports), and a cookie opens nothing', async () => {
  const s = await server();
  const page = await fetch(`${s.base}/?token=${s.token}`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('set-cookie'), null);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  const viaCookie = await fetch(`${s.base}/api/clients.list`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `affect_token=${s.token}` },
    body: '{}',
  });
  assert.equal(viaCookie.status, 401);
});

test("API calls and uploads need the token header; the app's own files do not", async () => {
  const s = await server();
  assert.equal(
    (await fetch(`${s.base}/api/clients.list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
    401,
  );
  assert.equal((await fetch(`${s.base}/api/clients.list`, { method: 'POST', headers: json('wrong'), body: '{}' })).status, 401);
  assert.equal(
    (await fetch(`${s.base}/api/clients.list?token=${s.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))
      .status,
    401,
    'not in the query either',
  );
  assert.equal(
    (await fetch(`${s.base}/upload?name=a.mp4`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: 'x' })).status,
    401,
  );
  const ok = await fetch(`${s.base}/api/clients.list`, { method: 'POST', headers: json(s.token), body: '{}' });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { result: [] });
  assert.equal((await fetch(`${s.base}/`)).status, 200, 'the page itself holds no data');
  assert.equal((await fetch(`${s.base}/?token=stale-token-from-yesterday`)).status, 401, 'a wrong token in the address is named as such');
});

test('CSRF: a text/plain POST from a page on another 127.0.0.1 port creates nothing', async () => {
  const s = await server();
  const evil = 'http://127.0.0.1:1';
  // What a cross-origin page can send without a preflight: text/plain, its own Origin, cross-site fetch metadata, the cookie jar.
  const attempts: Array<Record<string, string>> = [
    { origin: evil, 'sec-fetch-site': 'same-site', 'content-type': 'text/plain;charset=UTF-8', cookie: `affect_token=${s.token}` },
    { origin: evil, 'sec-fetch-site': 'same-site', 'content-type': 'application/json', 'x-affect-token': s.token }, // even with the token (it cannot have it)
    { origin: 'null', 'content-type': 'application/json', 'x-affect-token': s.token },
    { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json', 'x-affect-token': s.token },
    { 'content-type': 'text/plain', 'x-affect-token': s.token }, // right origin, wrong body type
    { 'content-type': 'application/x-www-form-urlencoded', 'x-affect-token': s.token },
  ];
  const statuses = [];
  for (const headers of attempts)
    statuses.push((await fetch(`${s.base}/api/clients.create`, { method: 'POST', headers, body: JSON.stringify({ code: 'EVIL-1' }) })).status);
  assert.deepEqual(statuses, [403, 403, 403, 403, 415, 415]);
  const list = await fetch(`${s.base}/api/clients.list`, { method: 'POST', headers: json(s.token), body: '{}' });
  assert.deepEqual(await list.json(), { result: [] }, 'no client was created');
  // The app's own page (same origin) gets through.
  const own = await fetch(`${s.base}/api/clients.create`, {
    method: 'POST',
    headers: json(s.token, { origin: s.base, 'sec-fetch-site': 'same-origin' }),
    body: JSON.stringify({ code: 'OWN-1' }),
  });
  assert.equal(own.status, 200);
});

test('no CORS: a preflight is refused and no answer allows another origin', async () => {
  const s = await server();
  const pre = await fetch(`${s.base}/api/clients.list`, {
    method: 'OPTIONS',
    headers: { origin: 'http://127.0.0.1:1', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-affect-token' },
  });
  assert.equal(pre.status, 405);
  assert.equal(pre.headers.get('access-control-allow-origin'), null);
  assert.equal((await fetch(`${s.base}/`)).headers.get('cross-origin-resource-policy'), 'same-origin');
});

test('a malformed URL is a 400, not a 500', async () => {
  const s = await server();
  for (const p of [`/%E0%A4%A?token=${s.token}`, '/%E0%A4%A', '/media/%ZZ', '/?token=%E0%A4%A', '/assets/%00x.js']) {
    const r = await raw(s.base, { path: p, headers: { host: `127.0.0.1:${s.port}` } });
    assert.equal(r.status, 400, `${p}: ${r.body}`);
  }
  const post = await raw(s.base, {
    method: 'POST',
    path: '/api/%E0%A4%A',
    headers: { host: `127.0.0.1:${s.port}`, ...json(s.token) },
    body: Buffer.from('{}'),
  });
  assert.equal(post.status, 400);
});

test('uploads: `name=..` and other bad names are a 400 that names no internal path', async () => {
  const s = await server();
  for (const name of ['..', '.', '', '../..', 'dir/..', 'a\u202Ecod.mp4', 'a\u0000b.mp4', 'x'.repeat(300) + '.mp4']) {
    const r = await fetch(`${s.base}/upload?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'x-affect-token': s.token, 'content-type': 'application/octet-stream' },
      body: 'data',
    });
    const body = await r.text();
    assert.equal(r.status, 400, `${JSON.stringify(name)}: ${body}`);
    assert.ok(!body.includes(s.dir) && !body.includes('/tmp/'), `no internal path in ${body}`);
  }
  assert.deepEqual(readdirSync(s.uploadDir), [], 'nothing stored');
  // A path-looking name keeps its last component only.
  const ok = await fetch(`${s.base}/upload?name=${encodeURIComponent('../../etc/session 1.mp4')}`, {
    method: 'POST',
    headers: { 'x-affect-token': s.token, 'content-type': 'application/octet-stream' },
    body: 'data',
  });
  const stored = ((await ok.json()) as { path: string }).path;
  assert.equal(path.basename(stored), 'session 1.mp4');
  assert.equal(path.dirname(path.dirname(stored)), s.uploadDir);
});

test('uploads: over the limit is a 413, with or without Content-Length, and leaves nothing behind', async () => {
  const s = await serve({ maxUploadBytes: 1024 * 1024 });
  const headers = { host: `127.0.0.1:${s.port}`, 'x-affect-token': s.token, 'content-type': 'application/octet-stream' };
  const chunk = Buffer.alloc(64 * 1024, 7);
  async function* threeMiB() {
    for (let i = 0; i < 48; i++) yield chunk;
  }
  const chunked = await raw(s.base, {
    method: 'POST',
    path: '/upload?name=big.mp4',
    headers: { ...headers, 'transfer-encoding': 'chunked' },
    body: threeMiB,
  });
  assert.equal(chunked.status, 413, chunked.body);
  assert.match(JSON.parse(chunked.body).error, /big\.mp4: over the upload limit of 1 MiB/);
  const declared = await raw(s.base, {
    method: 'POST',
    path: '/upload?name=big.mp4',
    headers: { ...headers, 'content-length': String(3 * 1024 * 1024) },
    body: threeMiB,
  });
  assert.equal(declared.status, 413);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(readdirSync(s.uploadDir), [], 'no partial upload kept');
  // Under the limit is fine.
  const small = await raw(s.base, {
    method: 'POST',
    path: '/upload?name=small.mp4',
    headers: { ...headers, 'transfer-encoding': 'chunked' },
    body: async function* () {
      yield chunk;
    },
  });
  assert.equal(small.status, 200);
  // The default limit is sensible: several hours of HD video, not 20 GiB.
  const { DEFAULT_MAX_UPLOAD_BYTES } = await import('../electron/server/uploads.js');
  assert.ok(DEFAULT_MAX_UPLOAD_BYTES >= 2 * 1024 ** 3 && DEFAULT_MAX_UPLOAD_BYTES <= 16 * 1024 ** 3);
});

test('an API body over the limit is a 413', async () => {
  const s = await server();
  const big = await raw(s.base, {
    method: 'POST',
    path: '/api/clients.list',
    headers: { host: `127.0.0.1:${s.port}`, ...json(s.token), 'transfer-encoding': 'chunked' },
    body: async function* () {
      for (let i = 0; i < 6; i++) yield Buffer.alloc(1024 * 1024, 32);
    },
  });
  assert.equal(big.status, 413);
});

test('a 4 MB search string is a 400 (every string in the contract has a length limit)', async () => {
  const s = await server();
  const search = await fetch(`${s.base}/api/clients.list`, {
    method: 'POST',
    headers: json(s.token),
    body: JSON.stringify({ search: 'a'.repeat(4_000_000) }),
  });
  const body = (await search.json()) as { error: string };
  assert.equal(search.status, 400, body.error);
  assert.match(body.error, /search .*(too big|at most|<=)/i);
});

test('the API validates input and reports errors as JSON, never with internal paths', async () => {
  const s = await server();
  const bad = await fetch(`${s.base}/api/clients.create`, { method: 'POST', headers: json(s.token), body: JSON.stringify({ code: 42 }) });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: string }).error, /invalid input/);
  assert.equal((await fetch(`${s.base}/api/rm.rf`, { method: 'POST', headers: json(s.token), body: '{}' })).status, 400);
  assert.equal((await fetch(`${s.base}/api/clients.list`, { method: 'POST', headers: json(s.token), body: '{nope' })).status, 400);
  const bidi = await fetch(`${s.base}/api/clients.create`, { method: 'POST', headers: json(s.token), body: JSON.stringify({ code: 'C\u202E001' }) });
  assert.equal(bidi.status, 400, 'a client code with a bidi override is refused');
  const missing = await fetch(`${s.base}/api/jobs.cancel`, { method: 'POST', headers: json(s.token), body: JSON.stringify({ id: 999 }) });
  assert.equal(missing.status, 404);
  assert.ok(!(await missing.text()).includes(s.dir));
});

test('a foreign Host header is refused (DNS rebinding)', async () => {
  const s = await server();
  const r = await raw(s.base, { path: `/?token=${s.token}`, headers: { host: 'evil.example' } });
  assert.equal(r.status, 403);
});

test('static files cannot escape the renderer folder', async () => {
  const s = await server();
  assert.equal((await fetch(`${s.base}/..%2f..%2fa.sqlite`)).status, 404);
  assert.equal((await fetch(`${s.base}/assets/..%2f..%2fa.sqlite`)).status, 404);
});

test('recordings play only from a short-lived capability URL named by sessions.get', async () => {
  let sessionId = 0;
  const s = await serve();
  sessionId = await storeScriptedSession(s.db, SAMPLE_MP4, { faceAt: () => 'happy', voiceAt: () => null });
  assert.equal((await fetch(`${s.base}/media/${sessionId}`)).status, 404, 'a session id is no capability');
  const got = await fetch(`${s.base}/api/sessions.get`, { method: 'POST', headers: json(s.token), body: JSON.stringify({ id: sessionId }) });
  const media = got.headers.get('x-affect-media');
  assert.match(media ?? '', /^\/media\/[\w-]{32}$/);
  const part = await fetch(`${s.base}${media}`, { headers: { range: 'bytes=0-99', 'sec-fetch-site': 'same-origin' } });
  assert.equal(part.status, 206);
  assert.equal((await part.arrayBuffer()).byteLength, 100);
  assert.equal(part.headers.get('cross-origin-resource-policy'), 'same-origin');
  const embedded = await fetch(`${s.base}${media}`, { headers: { 'sec-fetch-site': 'cross-site' } });
  assert.equal(embedded.status, 403, 'another site cannot embed it');
  const { MediaTickets, IDLE_MS, MAX_AGE_MS } = await import('../electron/server/media-tickets.js');
  let now = 0;
  const tickets = new MediaTickets(() => now);
  const t = tickets.issue(7);
  now = IDLE_MS - 1;
  assert.equal(tickets.redeem(t), 7, 'used within the idle time: still valid');
  now += IDLE_MS + 1;
  assert.equal(tickets.redeem(t), null, 'idle too long: gone');
  now = 0;
  const u = tickets.issue(8);
  for (now = 0; now <= MAX_AGE_MS; now += IDLE_MS / 2) tickets.redeem(u);
  assert.equal(tickets.redeem(u), null, 'never longer than MAX_AGE_MS');
});

test('uploads are 0600 in 0700 folders, and removed when their job ends (failed or cancelled)', async () => {
  // The engine never becomes ready: the first job waits at "running" while the second stays queued.
  let fail: (err: Error) => void = () => undefined;
  const s = await serve({ engine: () => new Promise((_, reject) => (fail = reject)) });
  const up = async (name: string) =>
    (
      (await (
        await fetch(`${s.base}/upload?name=${name}`, {
          method: 'POST',
          headers: { 'x-affect-token': s.token, 'content-type': 'application/octet-stream' },
          body: 'not really media',
        })
      ).json()) as { path: string }
    ).path;
  const a = await up('a.mp4');
  const b = await up('b.mp4');
  assert.equal(statSync(a).mode & 0o777, 0o600);
  assert.equal(statSync(path.dirname(a)).mode & 0o777, 0o700);
  assert.equal(statSync(s.uploadDir).mode & 0o777, 0o700);
  const jobs = (await (
    await fetch(`${s.base}/api/jobs.enqueue`, { method: 'POST', headers: json(s.token), body: JSON.stringify({ paths: [a, b] }) })
  ).json()) as { result: Array<{ id: number }> };
  const [ja, jb] = jobs.result.map((j) => j.id);
  await fetch(`${s.base}/api/jobs.cancel`, { method: 'POST', headers: json(s.token), body: JSON.stringify({ id: jb }) });
  assert.equal(getJob(s.db, jb)!.status, 'cancelled');
  assert.equal(statSync(path.dirname(b), { throwIfNoEntry: false }), undefined, 'cancelled: its upload is gone');
  assert.ok(statSync(a), 'the running job still has its file');
  fail(new Error('engine failed to load'));
  for (let i = 0; i < 100 && getJob(s.db, ja)!.status !== 'failed'; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(getJob(s.db, ja)!.status, 'failed');
  assert.equal(statSync(path.dirname(a), { throwIfNoEntry: false }), undefined, 'failed: its upload is gone');
  const retry = await fetch(`${s.base}/api/jobs.retry`, { method: 'POST', headers: json(s.token), body: JSON.stringify({ id: ja }) });
  assert.equal(retry.status, 400);
  assert.match(((await retry.json()) as { error: string }).error, /a\.mp4 is not there now: put it back and retry, or add the file again/);
});

test('at start, uploads no queued job needs and half-written ones (a crash) are swept; queued ones stay', async () => {
  let queued = '';
  const s = await serve({
    engine: () => new Promise(() => undefined),
    before: (db, uploadDir) => {
      for (const [dir, name] of [
        ['old-done', 'x.mp4'],
        ['crashed', 'y.mp4.123.part'],
        ['queued', 'z.mp4'],
      ]) {
        mkdirSync(path.join(uploadDir, dir), { recursive: true, mode: 0o755 });
        writeFileSync(path.join(uploadDir, dir, name), 'media');
      }
      writeFileSync(path.join(uploadDir, 'stray.part'), 'x');
      queued = path.join(uploadDir, 'queued', 'z.mp4');
      addJobs(db, [queued], null, 2);
    },
  });
  assert.deepEqual(readdirSync(s.uploadDir), ['queued']);
  assert.ok(statSync(queued).isFile());
  assert.equal(statSync(s.uploadDir).mode & 0o777, 0o700, 'an existing uploads folder is tightened to 0700');
});
