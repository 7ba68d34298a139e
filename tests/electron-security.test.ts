import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { isAllowedNavigation, isAllowedPermission, isAllowedRequest, isTrustedSender, secureWebPreferences } from '../electron/main/security.js';
import { contentSecurityPolicy } from '../electron/server/security.js';

const rendererDir = path.resolve('/opt/affect/out/renderer');
const allowed = { rendererDir, devServerOrigin: null };

test('web preferences: context isolation, sandbox, no Node in the page', () => {
  const p = secureWebPreferences('/x/preload.cjs');
  assert.equal(p.contextIsolation, true);
  assert.equal(p.sandbox, true);
  assert.equal(p.nodeIntegration, false);
  assert.equal(p.nodeIntegrationInWorker, false);
  assert.equal(p.nodeIntegrationInSubFrames, false);
  assert.equal(p.webSecurity, true);
  assert.equal(p.allowRunningInsecureContent, false);
  assert.equal(p.webviewTag, false);
  assert.equal(p.preload, '/x/preload.cjs');
});

test('request blocker: only the app\'s own files and its media protocol', () => {
  assert.ok(isAllowedRequest(pathToFileURL(path.join(rendererDir, 'index.html')).href, allowed));
  assert.ok(isAllowedRequest(pathToFileURL(path.join(rendererDir, 'assets', 'index-abc.js')).href, allowed));
  assert.ok(isAllowedRequest('affect-media://session/3', allowed));
  for (const url of [
    'https://example.com/',
    'http://127.0.0.1:8080/',
    'http://localhost:5173/',
    'ws://localhost:1234/',
    'wss://tracker.example/',
    'ftp://x/',
    pathToFileURL('/etc/passwd').href,
    pathToFileURL(path.join(rendererDir, '..', 'main', 'index.js')).href,
    pathToFileURL(rendererDir + '-evil/index.html').href,
    'not a url',
  ])
    assert.equal(isAllowedRequest(url, allowed), false, url);
});

test('request blocker in development allows only the local dev server origin', () => {
  const dev = { rendererDir, devServerOrigin: 'http://localhost:5173' };
  assert.ok(isAllowedRequest('http://localhost:5173/src/main.tsx', dev));
  assert.ok(isAllowedRequest('ws://localhost:5173/', dev), 'vite HMR socket');
  assert.equal(isAllowedRequest('http://localhost:5174/', dev), false);
  assert.equal(isAllowedRequest('https://cdn.example/react.js', dev), false);
});

test('navigation away from the page and permissions are refused', () => {
  const here = pathToFileURL(path.join(rendererDir, 'index.html')).href;
  assert.ok(isAllowedNavigation(here + '#/clients', here), 'hash routes stay on the page');
  assert.equal(isAllowedNavigation('https://example.com/', here), false);
  assert.equal(isAllowedNavigation(pathToFileURL('/tmp/other.html').href, here), false);
  for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) assert.equal(isAllowedPermission(p), false, p);
});

test('IPC is trusted only from the app page', () => {
  assert.ok(isTrustedSender(pathToFileURL(path.join(rendererDir, 'index.html')).href, allowed));
  assert.equal(isTrustedSender('https://evil.example/', allowed), false);
  assert.equal(isTrustedSender('data:text/html,hi', allowed), false);
  assert.equal(isTrustedSender('affect-media://session/1', allowed), false);
});

test('the CSP allows no remote origin', () => {
  const csp = contentSecurityPolicy();
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /connect-src 'self'/);
  assert.doesNotMatch(csp, /https?:|\*/);
  assert.doesNotMatch(csp, /unsafe-eval/);
});
