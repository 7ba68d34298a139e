import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { AffectService } from '../electron/api/service.js';
import { startBrowserServer } from '../electron/server/serve.js';
import { openDatabase, type Db } from '../electron/store/db.js';
import { tempDir } from './helpers/paths.js';

let stop: () => Promise<void>;
let base: string;
let token: string;

before(async () => {
  const dir = tempDir();
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  const dbFile = path.join(dir, 'a.sqlite');
  const db: Db = openDatabase(dbFile);
  const service = new AffectService({ db, databasePath: dbFile, engine: () => Promise.reject(new Error('not needed')) });
  const s = await startBrowserServer({ service, db, rendererDir, uploadDir: path.join(dir, 'imports') });
  base = `http://127.0.0.1:${s.port}`;
  token = s.token;
  assert.equal(s.url, `${base}/?token=${token}`);
  stop = async () => {
    s.server.close();
    await service.close();
    db.close();
  };
});
after(() => stop());

test('listens on 127.0.0.1 with a long random token', () => {
  assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(token.length >= 32);
});

test('requests without the token are refused', async () => {
  assert.equal((await fetch(`${base}/`)).status, 401);
  assert.equal((await fetch(`${base}/?token=wrong`)).status, 401);
  assert.equal((await fetch(`${base}/api/clients.list`, { method: 'POST', body: '{}' })).status, 401);
  assert.equal((await fetch(`${base}/media/1`)).status, 401);
});

test('the token in the URL opens the page and sets an HttpOnly SameSite cookie; the CSP is strict', async () => {
  const res = await fetch(`${base}/?token=${token}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('set-cookie') ?? '', /HttpOnly; SameSite=Strict/);
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const api = await fetch(`${base}/api/clients.list`, { method: 'POST', body: '{}', headers: { cookie } });
  assert.equal(api.status, 200);
  assert.deepEqual(await api.json(), { result: [] });
});

test('the API validates input and reports errors as JSON', async () => {
  const headers = { 'x-affect-token': token, 'content-type': 'application/json' };
  const bad = await fetch(`${base}/api/clients.create`, { method: 'POST', headers, body: JSON.stringify({ code: 42 }) });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: string }).error, /invalid input/);
  const unknown = await fetch(`${base}/api/rm.rf`, { method: 'POST', headers, body: '{}' });
  assert.equal(unknown.status, 400);
  const notJson = await fetch(`${base}/api/clients.list`, { method: 'POST', headers, body: '{nope' });
  assert.equal(notJson.status, 400);
});

test('a foreign Host header is refused (DNS rebinding)', async () => {
  const { request } = await import('node:http');
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(`${base}/?token=${token}`, { headers: { host: 'evil.example' } }, (res) => resolve(res.statusCode ?? 0));
    req.on('error', reject);
    req.end();
  });
  assert.equal(status, 403);
});

test('static files cannot escape the renderer folder', async () => {
  const res = await fetch(`${base}/..%2f..%2fa.sqlite`, { headers: { 'x-affect-token': token } });
  assert.equal(res.status, 404);
});
