import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { buildRenderer, launchChromium, skipWithoutChromium, startServe, type Serve, fullPageShot } from './helpers/browser.js';
import { tempDir } from './helpers/paths.js';

/**
 * Browser mode attacked from another local web server, in a real Chromium: a page served on another
 * 127.0.0.1 port (the same site, so SameSite cookies go along) tries to drive the app. Before the hardening
 * the token cookie went with its text/plain POST and created a client.
 */
const skip = skipWithoutChromium();
let serve: Serve;
let browser: BrowserContext;
let page: Page;
let evil: Server;
let evilOrigin: string;
let token: string;

const api = async (method: string, input: unknown) => {
  const r = await fetch(`${new URL(serve.url).origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-affect-token': token },
    body: JSON.stringify(input),
  });
  return ((await r.json()) as { result: any }).result;
};

before(async () => {
  if (skip) return;
  buildRenderer();
  serve = await startServe(path.join(tempDir(), 'attack.sqlite'));
  token = new URL(serve.url).searchParams.get('token')!;
  browser = await launchChromium();
  page = await browser.newPage();
  const target = new URL(serve.url).origin;
  // The attacker's page: every cross-origin write a page can make without a preflight, plus an embed of a recording.
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>evil</title>
      <form id="f" method="POST" action="${target}/api/clients.create" enctype="text/plain" target="sink"><input name='{"code":"EVIL-FORM","x":"' value='"}'></form>
      <iframe name="sink"></iframe><video src="${target}/media/1"></video>
      <script>
        fetch('${target}/api/clients.create', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ code: 'EVIL-FETCH' }) })
          .finally(() => { document.getElementById('f').submit(); setTimeout(() => { document.title = 'done'; }, 1500); });
      </script>`);
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
  const address = evil.address();
  evilOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

after(async () => {
  await browser?.close();
  evil?.close();
  await serve?.stop();
});

test('the token leaves the address bar and no cookie is set; a reload keeps working', { skip, timeout: 60_000 }, async () => {
  await page.goto(serve.url);
  await page.waitForSelector('h1:has-text("Clients")');
  assert.doesNotMatch(page.url(), /token/);
  // The history entry itself was rewritten: back (to the blank tab) and forward again shows no token either.
  await page.goBack();
  await page.goForward();
  await page.waitForSelector('h1:has-text("Clients")');
  assert.doesNotMatch(page.url(), /token/);
  assert.deepEqual(await browser.cookies(), [], 'no cookie for any port of 127.0.0.1');
  await page.reload();
  await page.waitForSelector('h1:has-text("Clients")');
  await page.waitForSelector('.error', { state: 'detached', timeout: 2000 }).catch(() => undefined);
  assert.equal(await page.locator('.error').count(), 0, "the reloaded page still reaches the API (token in this tab's sessionStorage)");
});

test(
  'a page on another 127.0.0.1 port cannot create a client (text/plain fetch, text/plain form) or embed a recording',
  { skip, timeout: 60_000 },
  async () => {
    const attacker = await browser.newPage();
    const refused: number[] = [];
    attacker.on('response', (r) => r.url().startsWith(new URL(serve.url).origin) && refused.push(r.status()));
    await attacker.goto(evilOrigin);
    await attacker.waitForFunction(() => document.title === 'done', undefined, { timeout: 20_000 });
    await attacker.close();
    const codes = ((await api('clients.list', { includeArchived: true })) as Array<{ code: string }>).map((c) => c.code);
    assert.deepEqual(
      codes.filter((c) => c.startsWith('EVIL')),
      [],
      `clients: ${codes.join(', ')}`,
    );
    assert.ok(refused.length > 0 && refused.every((s) => s >= 400), `the server answered the attacker's requests with ${refused.join(', ')}`);
  },
);

test('a new tab without the token explains what to open, instead of failing silently', { skip, timeout: 60_000 }, async () => {
  const tab = await browser.newPage();
  await tab.goto(new URL(serve.url).origin + '/');
  await tab.waitForSelector('.error');
  assert.match((await tab.textContent('.error')) ?? '', /open the address `npm run serve` printed/);
  await fullPageShot(tab, '09-browser-mode-no-token');
  await tab.close();
});
