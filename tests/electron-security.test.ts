import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import {
  engineHostEnv,
  isAllowedNavigation,
  isAllowedPermission,
  isAllowedRequest,
  isTrustedSender,
  NO_DICTIONARY_URL,
  quietChromiumArgs,
  quietChromiumSwitches,
  secureWebPreferences,
  silenceSpellChecker,
} from '../electron/main/security.js';
import { missingSilence } from '../electron/privacy/network-silence.js';
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

test("request blocker: only the app's own files and its media protocol", () => {
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
  for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen'])
    assert.equal(isAllowedPermission(p), false, p);
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

test('Chromium switches: background networking, component updates, pings, proxy detection and remote name lookups off', () => {
  const switches = new Map(quietChromiumSwitches().map(([name, value]) => [name, value] as const));
  for (const name of ['disable-background-networking', 'disable-component-update', 'disable-domain-reliability', 'no-pings', 'no-proxy-server'])
    assert.ok(switches.has(name), name);
  // Every name resolves to nothing but the local ones.
  assert.equal(switches.get('host-resolver-rules'), 'MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1');
  // One disable-features switch (a second one would replace the first).
  assert.equal(quietChromiumSwitches().filter(([n]) => n === 'disable-features').length, 1);
  assert.match(switches.get('disable-features') ?? '', /CertificateTransparencyComponentUpdater/);
  assert.ok(quietChromiumArgs().includes('--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'));
});

test('the spell checker is off and cannot download dictionaries', () => {
  const calls: string[] = [];
  const session = {
    setSpellCheckerEnabled: (on: boolean) => calls.push(`enabled=${on}`),
    setSpellCheckerLanguages: (l: string[]) => calls.push(`languages=${l.join(',')}`),
    setSpellCheckerDictionaryDownloadURL: (u: string) => calls.push(`url=${u}`),
  };
  silenceSpellChecker(session, 'linux');
  assert.deepEqual(calls, ['enabled=false', 'languages=', `url=${NO_DICTIONARY_URL}`]);
  assert.match(NO_DICTIONARY_URL, /^http:\/\/127\.0\.0\.1:9\//);
  calls.length = 0;
  silenceSpellChecker(session, 'darwin');
  assert.deepEqual(calls, ['enabled=false', `url=${NO_DICTIONARY_URL}`]);
});

test('the engine host starts with onnxruntime telemetry off, whatever the parent environment', () => {
  const env = engineHostEnv({ PATH: '/usr/bin', ELECTRON_RUN_AS_NODE: '1', ORT_DISABLE_TELEMETRY: '0' }, '/data/a.sqlite');
  assert.equal(env.ORT_DISABLE_TELEMETRY, '1');
  assert.equal(env.AFFECT_DB_PATH, '/data/a.sqlite');
  assert.equal('ELECTRON_RUN_AS_NODE' in env, false);
  assert.equal(env.PATH, '/usr/bin');
  assert.deepEqual(missingSilence(env), []);
});

test('the Electron main process starts no crash reporter, auto-updater or network client of its own', async () => {
  const { readFileSync } = await import('node:fs');
  const main = readFileSync(path.resolve('electron/main/index.ts'), 'utf8');
  // crashReporter uploads dumps and autoUpdater polls a server once started; neither is used. `net` serves only
  // local files for the affect-media: protocol (net.fetch of a file: URL).
  assert.doesNotMatch(main, /crashReporter|autoUpdater/);
  assert.deepEqual(main.match(/\bnet\.\w+\([^,]+/g), ['net.fetch(pathToFileURL(file).toString()']);
});
