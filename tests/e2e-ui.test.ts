import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { buildRenderer, launchChromium, pageApi, skipWithoutChromium, startServe, type Serve, fullPageShot } from './helpers/browser.js';
import { SAMPLE } from './helpers/media-fixtures.js';
import { tempDir } from './helpers/paths.js';

/**
 * The whole UI in Debian's Chromium against the real engine in browser mode (`npm run serve`):
 * create a client, import the sample recording, watch progress, review the session, enter a DASS-21,
 * see the trend page. Screenshots of each page go to tests/artifacts/.
 */
const skip = skipWithoutChromium();
let browser: BrowserContext;
let page: Page;
let serve: Serve;
let dbPath: string;
let api: (method: string, input: unknown) => Promise<any>;
const pageErrors: string[] = [];

before(async () => {
  if (skip) return;
  buildRenderer();
  dbPath = path.join(tempDir(), 'e2e.sqlite');
  serve = await startServe(dbPath);
  browser = await launchChromium();
  page = await browser.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(serve.url);
  const origin = new URL(serve.url).origin;
  api = pageApi(page);
  after(() => {
    // Network-silent: every request the page made went to the local server.
    assert.deepEqual(
      requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')),
      [],
    );
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });
});

after(async () => {
  await browser?.close();
  serve?.child.kill();
});

test('first run: the clients page explains what to do', { skip }, async () => {
  await page.waitForSelector('h1:has-text("Clients")');
  assert.match((await page.textContent('.estimate-note')) ?? '', /not diagnoses/);
  await fullPageShot(page, '01-clients-empty');
});

test('create a client, import the sample, watch progress, review the session', { skip, timeout: 240_000 }, async () => {
  await page.fill('input[aria-label="Client code"]', 'C-100');
  await page.fill('input[aria-label="Display name"]', 'Demo client');
  await page.click('button:has-text("Create client")');
  await page.waitForSelector('h1:has-text("Client C-100")');
  await page.click('a:has-text("Import recordings")');
  await page.waitForSelector('h1:has-text("Import recordings")');
  assert.equal(
    await page.$eval('select[aria-label="Client for imported recordings"]', (s) => (s as HTMLSelectElement).selectedOptions[0].text),
    'C-100 — Demo client',
  );
  await page.setInputFiles('input[data-testid="file-input"]', SAMPLE);
  // Progress shows while it runs (with a percentage and an ETA), then a link to the review.
  await page.waitForSelector('tr[data-job-status="running"] progress', { timeout: 60_000 });
  await fullPageShot(page, '02-import-running');
  await page.waitForSelector('tr[data-job-status="done"] a:has-text("Review session")', { timeout: 180_000 });
  // The uploaded copy is gone once its job is done (the original stays where the user keeps it).
  assert.deepEqual(readdirSync(path.join(path.dirname(dbPath), 'imports')), []);
  // The token left the address bar when the page loaded.
  assert.doesNotMatch(page.url(), /token=/);
  await page.click('tr[data-job-status="done"] a:has-text("Review session")');
  await page.waitForSelector('[data-testid="lane-face"] svg');
  await fullPageShot(page, '03-session-review-loaded');

  // The timeline is drawn from the stored results.
  const sessionId = Number(new URL(page.url()).hash.split('/')[2]);
  const detail = await api('sessions.get', { id: sessionId });
  const labelledFrames = detail.frames.filter((f: { label: string | null }) => f.label).length;
  assert.ok(labelledFrames > 20, 'most frames of the sample carry a face estimate');
  // One mark per frame with a face (labelled, or hatched when uncertain), one per window with speech.
  const faceFrames = detail.frames.filter((f: { face: boolean; confidence: number | null }) => f.face && f.confidence !== null).length;
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="lane-face"] rect.face-mark').length === n, faceFrames);
  assert.equal(await page.locator('[data-testid="lane-face"] rect.face-mark:not(.uncertain)').count(), labelledFrames);
  const voiced = detail.windows.filter((w: { voiced: boolean; confidence: number | null }) => w.voiced && w.confidence !== null).length;
  assert.ok(voiced > 0);
  assert.equal(await page.locator('[data-testid="lane-voice"] rect.voice-mark').count(), voiced);
  assert.ok((await page.locator('[data-testid="lane-fused"] rect.fused-mark').count()) > 0);
  assert.equal((await page.textContent('[data-testid="face-majority"]'))?.trim().split(' ')[0], detail.summary.face.majority);
  assert.equal((await page.textContent('[data-testid="voice-majority"]'))?.trim().split(' ')[0], detail.summary.voice.majority);
  // Keyboard seek moves the cursor and the "now" line.
  await page.locator('body').press('ArrowRight');
  await page.locator('body').press('Shift+ArrowRight');
  await page.waitForFunction(() => /At 0:11/.test(document.querySelector('.now')?.textContent ?? ''));
  await fullPageShot(page, '03-session-review');
});

test('label the recording from the keyboard, undo, agreement with the model, export to ELAN', { skip, timeout: 60_000 }, async () => {
  const sessionId = Number(new URL(page.url()).hash.split('/')[2]);
  await page.click('button:has-text("New track…")');
  await page.fill('input[aria-label="Annotator name"]', 'rater1');
  await page.click('button:has-text("Create")');
  await page.waitForSelector('select[aria-label="Annotation track"] option:has-text("rater1")', { state: 'attached' });
  await page.locator('body').press('Shift+ArrowLeft'); // back to 0:01 (cursor was at 0:11)
  await page.locator('body').press('ArrowLeft');
  await page.keyboard.press('i');
  await page.keyboard.press('Shift+ArrowRight'); // 0:10
  await page.keyboard.press('o');
  await page.waitForSelector('[data-testid="lane-annotation"] .segment');
  await page.keyboard.press('4'); // labels: 1 neutral, 2 calm, 3 happy, 4 sad
  await page.waitForSelector('[data-testid="lane-annotation"] .segment[data-label="sad"]');
  await page.keyboard.press('Shift+ArrowRight'); // 0:20 → clamped at the end (19.7 s)
  await page.keyboard.press('ArrowLeft'); // 18.7 s
  await page.keyboard.press('i');
  for (let k = 0; k < 6; k++) await page.keyboard.press('ArrowLeft'); // 12.7 s
  await page.keyboard.press('o');
  await page
    .waitForFunction(() => document.querySelectorAll('[data-testid="lane-annotation"] .segment').length === 2)
    .catch(async (e) => {
      await fullPageShot(page, '03b-annotations-failed');
      throw e;
    });
  await page.keyboard.press('3'); // happy
  await page.waitForSelector('[data-testid="lane-annotation"] .segment[data-label="happy"]');
  const { tracks } = await api('annotations.tracks', { sessionId });
  const segs = tracks.find((t: { annotator: string }) => t.annotator === 'rater1').segments;
  assert.deepEqual(segs.map((s: { label: string }) => s.label).sort(), ['happy', 'sad']);
  assert.ok(Math.abs(segs.find((s: { label: string }) => s.label === 'sad').start - 0) < 0.6);
  // Undo the last relabel, then redo it.
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => !document.querySelector('[data-testid="lane-annotation"] .segment[data-label="happy"]'));
  await page.keyboard.press('Control+Shift+z');
  await page.waitForSelector('[data-testid="lane-annotation"] .segment[data-label="happy"]');
  // Agreement against the model's face estimates: a kappa figure over compared slices.
  await page.waitForFunction(() => /model-face\s*-?\d\.\d{3}/.test(document.querySelector('[data-testid="agreement"]')?.textContent ?? ''));
  // The export is handed to the user (a download in browser mode), named after the session.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("ELAN .eaf")')]);
  assert.match(download.suggestedFilename(), new RegExp(`^C-100_session-${sessionId}_\\d{4}-\\d{2}-\\d{2}\\.eaf$`));
  const { readFileSync } = await import('node:fs');
  const eaf = readFileSync((await download.path())!, 'utf8');
  assert.match(eaf, /<ANNOTATION_DOCUMENT/);
  assert.match(eaf, /TIER_ID="rater1"/);
  await fullPageShot(page, '03b-annotations');
});

test('importing the same recording again: the job ends "already analysed", pointing at the stored session', { skip, timeout: 120_000 }, async () => {
  const sessionId = Number(new URL(page.url()).hash.split('/')[2]);
  await page.click('a.tab:has-text("Import")');
  await page.waitForSelector('h1:has-text("Import recordings")');
  await page.setInputFiles('input[data-testid="file-input"]', SAMPLE);
  const row = page.locator('tr[data-job-status="done"]', { hasText: 'already analysed' });
  await row.waitFor({ timeout: 60_000 });
  assert.equal(await row.locator('a').textContent(), `Review session ${sessionId}`);
  assert.equal((await api('sessions.list', {})).length, 1, 'no second session');
  assert.deepEqual(readdirSync(path.join(path.dirname(dbPath), 'imports')), [], 'its upload is gone too');
  await fullPageShot(page, '02b-import-already-analysed');
  await row.locator('a').click();
  await page.waitForSelector('[data-testid="lane-face"] svg');
});

test('enter a DASS-21 from the keyboard and see scores, bands and items of note', { skip, timeout: 60_000 }, async () => {
  const clients = await api('clients.list', {});
  const id = clients.find((c: { code: string }) => c.code === 'C-100').id;
  // An earlier administration so the history shows a change.
  await api('dass.save', { clientId: id, administeredAt: '2026-10-01', answers: Array(21).fill(0) });
  await page.goto(`${new URL(serve.url).origin}/#/dass?client=${id}`);
  await page.waitForSelector('[data-testid="dass-item-1"]:focus');
  // Keyboard only: one digit per item; focus advances by itself.
  const answers = [1, 2, 2, 1, 3, 1, 2, 2, 1, 2, 2, 1, 3, 2, 1, 2, 3, 2, 1, 2, 2];
  for (const a of answers) await page.keyboard.press(String(a));
  await fullPageShot(page, '04-dass-entry');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="dass-result"]');
  const text = (await page.textContent('[data-testid="dass-result"]')) ?? '';
  // Depression items 3,5,10,13,16,17,21 → 2+3+2+3+2+3+2 = 17 → 34 (extremely severe).
  assert.match(text, /depression\s*34\s*extremely severe/);
  // Anxiety 2,4,7,9,15,19,20 → 2+1+2+1+1+1+2 = 10 → 20 (extremely severe); stress 1,6,8,11,12,14,18 → 1+1+2+2+1+2+2 = 11 → 22 (moderate).
  assert.match(text, /anxiety\s*20\s*extremely severe/);
  assert.match(text, /stress\s*22\s*moderate/);
  assert.match((await page.textContent('body')) ?? '', /Item 21/);
  await fullPageShot(page, '05-dass-result');
});

test('the client trend page shows emotion shares per session and DASS-21 history with band shading', { skip, timeout: 60_000 }, async () => {
  await page.click('a:has-text("Back to client")');
  await page.waitForSelector('[data-testid="trend-face"] svg .trend-segment');
  await page.waitForSelector('[data-testid="trend-dass"] svg .dass-line');
  assert.ok((await page.locator('[data-testid="trend-dass"] .dass-band').count()) >= 15, 'five bands × three subscales');
  const history = (await page.textContent('[data-testid="dass-history"]')) ?? '';
  assert.match(history, /1 Oct 2026/);
  assert.match(history, /D ↑ \+34 worse/);
  await fullPageShot(page, '06-client-trends');
});

test('settings show the models, ffmpeg and the database in use', { skip }, async () => {
  await page.click('a.tab:has-text("Settings")');
  await page.waitForSelector('h2:has-text("Models in use")');
  const body = (await page.textContent('main')) ?? '';
  assert.match(body, /Facial expression/);
  assert.match(body, /Vocal expression/);
  assert.doesNotMatch(body, /face-detector|voice-emotion/, 'roles in words, not ids');
  assert.match(body, /e2e\.sqlite/);
  assert.match(body, /ffmpeg/);
  await fullPageShot(page, '07-settings');
});

test('settings: choosing the ResNet-50 face model changes the models in use, and back', { skip }, async () => {
  const picker = page.getByLabel('Face expression model');
  await picker.waitFor();
  const options = await picker.locator('option').allTextContents();
  assert.ok(
    options.some((o) => o.startsWith('face-resnet50@')),
    `face models offered: ${options.join(', ')}`,
  );
  await picker.selectOption('face-resnet50');
  await page.waitForSelector('table.list td:has-text("face-resnet50@")');
  const inUse = (await page.locator('table.list').first().textContent()) ?? '';
  assert.match(inUse, /face-resnet50@/);
  assert.doesNotMatch(inUse, /face-cnn@/);
  await fullPageShot(page, '08-settings-model-choice');
  await picker.selectOption('face-cnn');
  await page.waitForSelector('table.list td:has-text("face-cnn@")');
});
