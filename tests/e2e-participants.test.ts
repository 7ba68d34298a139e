import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { AnalysisEngine } from '../electron/analysis/engine.js';
import { ensureClient } from '../electron/store/clients-repo.js';
import { openDatabase } from '../electron/store/db.js';
import { saveAnalysis } from '../electron/store/sessions-repo.js';
import { buildCall, TWO_RAVDESS_VOICES } from '../scripts/lib/call-recording.js';
import { axeSeriousViolations } from './helpers/axe.js';
import { buildRenderer, launchChromium, screenshotPath, skipWithoutChromium, startServe, type Serve, fullPageShot } from './helpers/browser.js';
import { sharedPath, skipWithoutShared, tempDir } from './helpers/paths.js';
import { SHIPPED_MODELS_PRESENT } from './helpers/stored-session.js';

/**
 * The review of a two-person call in Debian's Chromium against the real engine (browser mode): one lane per
 * participant with the face thumbnail, their expression estimates and speaking turns; naming participants and marking
 * the client (the summary follows); a name offered for the same face in the client's next session. Both sessions are
 * real analyses of call recordings built from real faces and real speech (scripts/lib/call-recording.ts).
 * Screenshots: tests/artifacts/participants-*.png.
 */
const skip =
  skipWithoutChromium() ||
  (SHIPPED_MODELS_PRESENT ? false : 'needs the shipped models') ||
  skipWithoutShared('videos') ||
  skipWithoutShared('ravdess-speech');
let browser: BrowserContext;
let page: Page;
let serve: Serve;
let origin: string;
const ids = { first: 0, second: 0 };
const pageErrors: string[] = [];

before(async () => {
  if (skip) return;
  buildRenderer();
  const dir = tempDir('participants-e2e-');
  const dbFile = path.join(dir, 'people.sqlite');
  const db = openDatabase(dbFile);
  const engine = await AnalysisEngine.create({ threads: 1 });
  try {
    const clientId = ensureClient(db, 'P-17').id;
    const calls = path.join(dir, 'calls');
    const talking = await buildCall(
      sharedPath('videos'),
      sharedPath('ravdess-speech'),
      { name: 'talking', voices: TWO_RAVDESS_VOICES, gapS: 0.6, talking: true },
      calls,
    );
    ids.first = saveAnalysis(db, await engine.analyze(talking.file, { fps: 2 }), { clientId, recordedAt: '2026-10-01' });
    const plain = await buildCall(
      sharedPath('videos'),
      sharedPath('ravdess-speech'),
      { name: 'plain', voices: TWO_RAVDESS_VOICES, gapS: 0.6 },
      calls,
    );
    ids.second = saveAnalysis(db, await engine.analyze(plain.file, { fps: 2 }), { clientId, recordedAt: '2026-10-08' });
  } finally {
    await engine.close();
    db.close();
  }
  serve = await startServe(dbFile, { passphrase: null }); // stored in a plain database here
  origin = new URL(serve.url).origin;
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setViewportSize({ width: 1366, height: 900 });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(serve.url);
});

after(async () => {
  await browser?.close();
  await serve?.stop();
});

const shot = (name: string, full = false) =>
  full ? fullPageShot(page, `participants-${name}`) : page.screenshot({ path: screenshotPath(`participants-${name}`) });

test('a lane per participant: face thumbnail, expression estimates, speaking turns', { skip, timeout: 120_000 }, async () => {
  await page.goto(`${origin}/#/session/${ids.first}`);
  await page.waitForSelector('[data-testid="lane-participant-1"]', { timeout: 30_000 });
  const lanes = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid^="lane-participant-"]')].map((l) => ({
      id: l.getAttribute('data-testid'),
      thumbnail: (l.querySelector('img.lane-thumbnail') as HTMLImageElement | null)?.naturalWidth ?? 0,
      marks: l.querySelectorAll('rect.participant-mark').length,
      turns: l.querySelectorAll('rect.speaking-turn').length,
      title: l.querySelector('.lane-title')?.textContent,
    })),
  );
  const withFace = lanes.filter((l) => l.thumbnail > 0);
  assert.ok(withFace.length >= 2, `two lanes with a face thumbnail: ${JSON.stringify(lanes)}`);
  for (const l of withFace) assert.ok(l.marks > 10, `${l.id} draws its face estimates`);
  assert.ok(
    lanes.some((l) => l.turns > 0),
    `speaking turns are drawn: ${JSON.stringify(lanes)}`,
  );
  // The hover names the participant and what they do at that time.
  const body = page.locator('[data-testid="lane-participant-1"] .lane-body');
  const box = (await body.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + 10);
  assert.match((await (await page.waitForSelector('.lane-tip')).textContent()) ?? '', /^P1 · face /);
  await shot('lanes');
  const a11y = await axeSeriousViolations(page);
  assert.deepEqual(a11y, [], JSON.stringify(a11y));
});

test('naming participants and marking the client: the summary describes the client', { skip, timeout: 120_000 }, async () => {
  const card = page.locator('[data-testid="participant-2"]');
  await card.locator('input[aria-label^="Name of"]').fill('Alex');
  await card.locator('button:has-text("Save name")').click();
  await page.waitForSelector('[data-testid="lane-participant-2"] .lane-detail:has-text("Alex")');
  await card.locator('input[type="radio"]').click();
  await page.waitForSelector('[data-testid="participant-2"] .badge:has-text("client")');
  assert.match((await page.textContent('[data-testid="summary-describes"]')) ?? '', /Of P2 Alex \(client\)/);
  // The face lane's title says whose it is now.
  assert.match((await page.textContent('[data-testid="lane-face"] .lane-title')) ?? '', /Face · P2/);
  const p1 = page.locator('[data-testid="participant-1"]');
  await p1.locator('input[aria-label^="Name of"]').fill('Dr Lee');
  await p1.locator('button:has-text("Save name")').click();
  await page.waitForSelector('[data-testid="lane-participant-1"] .lane-detail:has-text("Dr Lee")');
  await shot('named', true);
});

test("the client's next session offers the names given to the same faces", { skip, timeout: 120_000 }, async () => {
  await page.goto(`${origin}/#/session/${ids.second}`);
  await page.waitForSelector('[data-testid="participants"]', { timeout: 30_000 });
  const suggestions = await page.locator('[data-testid^="suggestion-"]').allTextContents();
  assert.equal(suggestions.length, 2, suggestions.join(' | '));
  assert.ok(
    suggestions.some((s) => /Looks like Alex \(the client\)/.test(s)) && suggestions.some((s) => /Looks like Dr Lee/.test(s)),
    suggestions.join(' | '),
  );
  await shot('suggestions', true);
  const alex = page.locator('[data-testid^="suggestion-"]:has-text("Alex")');
  const id = (await alex.getAttribute('data-testid'))!.replace('suggestion-', '');
  await alex.locator('button:has-text("Use this name")').click();
  await page.waitForSelector(`[data-testid="participant-${id}"] .badge:has-text("client")`);
  assert.match((await page.textContent('[data-testid="summary-describes"]')) ?? '', new RegExp(`Of P${id} Alex \\(client\\)`));
  assert.deepEqual(pageErrors, []);
});
