import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import {
  buildRenderer,
  E2E_PASSPHRASE,
  launchChromium,
  pageApi,
  pageCall,
  skipWithoutChromium,
  startServe,
  fullPageShot,
} from './helpers/browser.js';
import { tempDir } from './helpers/paths.js';
import { rawBytes } from './helpers/raw-bytes.js';

/**
 * The privacy screens in Debian's Chromium against the real server: first-run setup, the unlock screen of an
 * encrypted database started without its passphrase (wrong → message; right → the clients page), Settings →
 * Privacy and the audit log, and erasing a client with the confirmation that names what goes.
 */
const skip = skipWithoutChromium();
let browser: BrowserContext | undefined;
const servers: ChildProcess[] = [];
after(async () => {
  await browser?.close();
  for (const s of servers) s.kill();
});

async function serveAndOpen(dbPath: string, passphrase: string | null): Promise<{ page: Page; url: string; stop: () => Promise<void> }> {
  buildRenderer();
  const serve = await startServe(dbPath, { passphrase });
  servers.push(serve.child);
  browser ??= await launchChromium();
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(serve.url);
  return {
    page,
    url: serve.url,
    stop: async () => {
      assert.deepEqual(errors, [], 'no uncaught errors in the page');
      await page.close();
      serve.child.kill();
      await new Promise((r) => serve.child.once('exit', r));
    },
  };
}

test('first run without a passphrase: the setup screen offers one; the database is then created encrypted', { skip, timeout: 120_000 }, async () => {
  const db = path.join(tempDir(), 'first-run', 'affect.sqlite');
  const { page, stop } = await serveAndOpen(db, null);
  await page.waitForSelector('h1:has-text("Protect your session data")');
  assert.equal(existsSync(db), false, 'nothing is written before the choice');
  await page.fill('input[aria-label="New passphrase"]', 'first run passphrase');
  await page.fill('input[aria-label="Repeat passphrase"]', 'first run passphrase typo');
  await page.waitForSelector('text=The two passphrases differ.');
  assert.equal(await page.isDisabled('button:has-text("Encrypt and start")'), true);
  await page.fill('input[aria-label="Repeat passphrase"]', 'first run passphrase');
  await fullPageShot(page, '20-first-run-setup');
  await page.click('button:has-text("Encrypt and start")');
  await page.waitForSelector('h1:has-text("Clients")');
  await page.fill('input[aria-label="Client code"]', 'SETUP-CODE-77');
  await page.click('button:has-text("Create client")');
  await page.waitForSelector('h1:has-text("Client SETUP-CODE-77")');
  await stop();
  assert.ok(existsSync(`${db}.kdf.json`));
  assert.equal(rawBytes(db).includes('SETUP-CODE-77'), false);
});

test(
  'an encrypted database started without its passphrase shows the unlock screen: wrong → a message, right → the clients page',
  { skip, timeout: 120_000 },
  async () => {
    const db = path.join(tempDir(), 'locked.sqlite');
    // Create it encrypted with a client, then start the server without the passphrase.
    const first = await serveAndOpen(db, E2E_PASSPHRASE);
    await first.page.waitForSelector('h1:has-text("Clients")');
    await first.page.fill('input[aria-label="Client code"]', 'LOCKED-CODE-12');
    await first.page.click('button:has-text("Create client")');
    await first.page.waitForSelector('h1:has-text("Client LOCKED-CODE-12")');
    await first.stop();

    const { page, url, stop } = await serveAndOpen(db, null);
    await page.waitForSelector('h1:has-text("Unlock the database")');
    assert.equal(await page.locator('text=LOCKED-CODE-12').count(), 0, 'no data on the locked screen');
    // The API refuses everything but vault.* while locked.
    const refused = await pageCall(page)('clients.list', {});
    assert.equal(refused.status, 423);
    assert.equal(refused.body.code, 'locked');
    await page.fill('input[aria-label="Passphrase"]', 'not the passphrase');
    await page.click('button:has-text("Unlock")');
    await page.waitForSelector('[role="alert"]:has-text("Wrong passphrase")');
    await fullPageShot(page, '21-unlock-wrong-passphrase');
    await page.fill('input[aria-label="Passphrase"]', E2E_PASSPHRASE);
    await page.press('input[aria-label="Passphrase"]', 'Enter');
    await page.waitForSelector('h1:has-text("Clients")');
    await page.waitForSelector('text=LOCKED-CODE-12');

    // Settings: privacy and the audit log (the failed unlock is there, as a count).
    await page.goto(`${new URL(url).origin}/#/settings`);
    await page.waitForSelector('[data-testid="privacy-settings"] :text("Encrypted")');
    await page.waitForSelector('[data-testid="audit-log"] td:has-text("unlock-failed")');
    const log = (await page.textContent('[data-testid="audit-log"]')) ?? '';
    assert.match(log, /attempts 1/);
    assert.doesNotMatch(log, /LOCKED-CODE-12/);
    await page.click('button:has-text("Verify the chain")');
    await page.waitForSelector('[role="status"]:has-text("Intact")');
    // Exports are handed to the user (a download here, a save dialog in the app), never written behind their back.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export CSV")')]);
    assert.match(download.suggestedFilename(), /^audit-log-.*\.csv$/);
    assert.match(readFileSync((await download.path())!, 'utf8'), /^id,at,actor,action/);
    await page.waitForSelector('[role="status"]:has-text("audit-log-")');
    await fullPageShot(page, '22-settings-privacy-audit');

    // Lock now: back to the unlock screen.
    await page.click('button:has-text("Lock now")');
    await page.waitForSelector('h1:has-text("Unlock the database")');
    await stop();
  },
);

test(
  'erasing a client: the confirmation names what goes and wants the code typed; afterwards the client is gone',
  { skip, timeout: 120_000 },
  async () => {
    const db = path.join(tempDir(), 'erase-ui.sqlite');
    const { page, url, stop } = await serveAndOpen(db, E2E_PASSPHRASE);
    await page.waitForSelector('h1:has-text("Clients")');
    const api = pageApi(page);
    const client = await api('clients.create', { code: 'C-7', displayName: 'To be erased' });
    for (const d of ['2026-01-10', '2026-02-10', '2026-03-10'])
      await api('dass.save', { clientId: client.id, administeredAt: d, answers: Array(21).fill(1) });
    await api('clients.create', { code: 'C-8' });
    await page.goto(`${new URL(url).origin}/#/client/${client.id}`);
    await page.click('button:has-text("Erase client…")');
    await page.waitForSelector('[data-testid="erase-confirm"]');
    const text = (await page.textContent('[data-testid="erase-confirm"]')) ?? '';
    assert.match(text, /Erase client C-7: 3 DASS-21 entries\./);
    assert.equal(await page.isDisabled('button:has-text("Erase permanently")'), true, 'disabled until the code is typed');
    await page.fill('input[aria-label="Type to confirm"]', 'C-7');
    await fullPageShot(page, '23-erase-client-confirm');
    await page.click('button:has-text("Erase permanently")');
    await page.waitForSelector('h1:has-text("Clients")');
    assert.deepEqual(
      (await api('clients.list', { includeArchived: true })).map((c: { code: string }) => c.code),
      ['C-8'],
    );
    // Correct a DASS-21 entry of the other client from its history.
    const other = (await api('clients.list', {}))[0];
    const entry = await api('dass.save', { clientId: other.id, administeredAt: '2026-04-01', answers: Array(21).fill(0) });
    await page.goto(`${new URL(url).origin}/#/client/${other.id}`);
    await page.click('[data-testid="dass-history"] a:has-text("Correct…")');
    await page.waitForSelector(`h1:has-text("Correct the DASS-21 of ${other.code}")`);
    await page.fill('input[aria-label="Date administered"]', '2026-04-02');
    await page.locator('[data-testid="dass-item-1"]').focus();
    for (let k = 0; k < 21; k++) await page.keyboard.press('2');
    await page.click('button:has-text("Save correction and rescore")');
    await page.waitForSelector('[data-testid="dass-result"]');
    const fixed = (await api('dass.list', { clientId: other.id })).administrations;
    assert.deepEqual(
      fixed.map((a: { id: number; administeredAt: string; depression: { score: number } }) => [a.id, a.administeredAt, a.depression.score]),
      [[entry.id, '2026-04-02', 28]],
    );
    await stop();
    assert.equal(rawBytes(db).includes('C-7'), false);
  },
);
