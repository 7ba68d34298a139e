import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { buildRenderer, E2E_PASSPHRASE, launchChromium, pageCall, skipWithoutChromium, startServe, fullPageShot } from './helpers/browser.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';

/**
 * Self-care in Debian's Chromium against the real service (browser mode): the clinician sets a PIN and hands the
 * workstation over; the client completes a breathing level and a game level in client mode, and the next levels open;
 * the screen locks when idle and only the PIN opens it or ends client mode; the ratings are charted on the client's
 * Self-care tab; a DASS-21 result with item 21 endorsed puts review and helplines first and offers no exercise; the
 * CLI export shows the runs. Time is driven in the page with Playwright's clock (the real level lengths are kept).
 */
const skip = skipWithoutChromium();
const PIN = '2580';
let browser: BrowserContext;
let page: Page;
let serve: { url: string; child: ChildProcess; stderr: () => string };
let dbPath: string;
let origin: string;
let clientId: number;
let otherId: number;
const pageErrors: string[] = [];

/** A call to the browser-mode API from the page, as the page would make it: the HTTP status and the answer. */
const call = (method: string, input: unknown) => pageCall(page)(method, input);
const shot = (name: string) => fullPageShot(page, `selfcare-${name}`);

before(async () => {
  if (skip) return;
  buildRenderer();
  dbPath = path.join(tempDir(), 'selfcare-e2e.sqlite');
  serve = await startServe(dbPath);
  origin = new URL(serve.url).origin;
  browser = await launchChromium();
  page = await browser.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // Fake timers from the first script on; time flows normally until a test pauses it.
  await page.clock.install();
  await page.goto(serve.url);
  await page.waitForSelector('h1:has-text("Clients")');
  clientId = (await call('clients.create', { code: 'SC-100', displayName: 'Self-care client' })).body.result.id;
  otherId = (await call('clients.create', { code: 'OTHER-7', displayName: 'Another client' })).body.result.id;
  await call('dass.save', { clientId: otherId, administeredAt: '2026-11-01', answers: Array(21).fill(1) });
  after(() => {
    assert.deepEqual(
      requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')),
      [],
      'offline: every request went to the local server',
    );
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });
});

after(async () => {
  await browser?.close();
  serve?.child.kill();
});

/** Pause the page's clock a moment from now, so runFor() decides how much time passes (retried if the moment passed). */
async function pauseClock() {
  for (let margin = 250; ; margin *= 2) {
    try {
      return await page.clock.pauseAt((await page.evaluate(() => Date.now())) + margin);
    } catch (err) {
      if (!/past/.test(String(err)) || margin > 60_000) throw err;
    }
  }
}

async function rate(when: 'before' | 'after', value: number | null) {
  const box = page.locator(`[data-testid="rating-${when}"]`);
  await box.waitFor();
  if (value === null) await box.getByRole('button', { name: 'Skip this question' }).click();
  else await box.getByRole('button', { name: `${value} out of 10`, exact: true }).click();
}

async function startLevel(exercise: string, level: number) {
  await page.locator(`[data-testid="exercise-${exercise}"] button[data-level="${level}"]`).click();
}

const levelState = (exercise: string, level: number) =>
  page.locator(`[data-testid="exercise-${exercise}"] button[data-level="${level}"]`).getAttribute('data-state');

test(
  'the clinician sets a PIN once and hands over; the service then refuses every other client, score and recording',
  { skip, timeout: 120_000 },
  async () => {
    await page.goto(`${origin}/#/client/${clientId}?tab=selfcare`);
    await page.waitForSelector('[data-testid="hand-over"]');
    await page.waitForSelector('[data-testid="selfcare-levels"]');
    await shot('01-tab-empty');
    const hand = page.locator('[data-testid="hand-over"]');
    await hand.locator('input[type="password"]').fill(PIN);
    await hand.getByRole('button', { name: 'Next' }).click();
    await hand.locator('input[type="password"]').fill(PIN);
    await hand.getByRole('button', { name: 'Save PIN' }).click();
    await hand.getByLabel('Lock after no input for').selectOption('120');
    await hand.getByRole('button', { name: 'Start client mode' }).click();
    await page.waitForSelector('[data-testid="client-mode"]');
    // Nothing of the clinician's app is on screen: no navigation, no other client.
    assert.equal(await page.locator('nav[aria-label="Main"]').count(), 0);
    assert.doesNotMatch((await page.textContent('body')) ?? '', /OTHER-7|Another client/);
    await page.waitForSelector('[data-testid="exercise-breathing"] button[data-level="1"][data-state="open"]');
    assert.equal(await levelState('breathing', 2), 'closed');
    await shot('02-client-mode');

    // The service enforces it, whatever the page asks.
    for (const [method, input] of [
      ['clients.list', {}],
      ['sessions.list', {}],
      ['dass.list', { clientId: otherId }],
      ['dass.list', { clientId }],
      ['trends.get', { clientId }],
      ['selfcare.progress', { clientId: otherId }],
      ['selfcare.export', { clientId, format: 'csv' }],
    ] as const) {
      const r = await call(method, input);
      assert.equal(r.status, 403, `${method} refused`);
    }
    assert.equal((await call('selfcare.progress', { clientId })).status, 200);
    assert.equal(await page.evaluate(async () => (await fetch('./media/1')).status), 403);
  },
);

test('in client mode the client completes breathing level 1 (2 minutes at 6 a minute) and level 2 opens', { skip, timeout: 120_000 }, async () => {
  await startLevel('breathing', 1);
  await page.waitForSelector('text=For settling the body');
  await rate('before', 6);
  await page.waitForSelector('[data-testid="breathing-pacer"]');
  await pauseClock();
  await page.clock.runFor(2_500); // half-way through the first breath in
  assert.equal(await page.getAttribute('[data-testid="breathing-pacer"]', 'data-phase'), 'in');
  await page.clock.runFor(5_000); // 7.5 s: breathing out (5 s in, 5 s out at 6 a minute, even)… with the stored pattern
  await shot('03-breathing');
  await page.clock.runFor(60_000);
  assert.equal(await page.locator('[data-testid="rating-after"]').count(), 0, 'not over after one minute');
  await page.clock.runFor(60_000);
  await rate('after', 3);
  const summary = page.locator('[data-testid="run-summary"]');
  await summary.waitFor();
  assert.match((await summary.textContent()) ?? '', /You completed level 1\.\s*Level 2 is now open\./);
  await shot('04-breathing-done');
  await summary.getByRole('button', { name: 'Back to the exercises' }).click();
  await page.waitForSelector('[data-testid="exercise-breathing"] button[data-level="2"][data-state="open"]');
  assert.equal(await levelState('breathing', 1), 'done');
  const { runs } = (await call('selfcare.progress', { clientId })).body.result;
  assert.deepEqual(
    runs.map((r: any) => [r.exercise, r.level, r.mode, r.outcome, r.tensionBefore, r.tensionAfter]),
    [['breathing', 1, 'client', 'completed', 6, 3]],
  );
  assert.ok(runs[0].lengthS >= 120 && runs[0].lengthS < 121, `length ${runs[0].lengthS}`);
});

test('in client mode the client completes level 1 of the focus game with the mouse, and level 2 opens', { skip, timeout: 180_000 }, async () => {
  await startLevel('follow-light', 1);
  await rate('before', 5);
  await page.waitForSelector('[data-testid="follow-light"]');
  const light = page.locator('[data-testid="light"]');
  let steps = 0;
  while ((await page.locator('[data-testid="rating-after"]').count()) === 0) {
    assert.ok(steps++ < 400, 'the meter fills within 100 s of game time while following the light');
    const b = await light.boundingBox({ timeout: 2_000 }).catch(() => null); // gone once the meter is full
    if (b) await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await page.clock.runFor(250);
    if (steps === 40) await shot('05-game');
  }
  await rate('after', 2);
  const summary = page.locator('[data-testid="run-summary"]');
  await summary.waitFor();
  assert.match((await summary.textContent()) ?? '', /Level 2 is now open/);
  await summary.getByRole('button', { name: 'Back to the exercises' }).click();
  await page.waitForSelector('[data-testid="exercise-follow-light"] button[data-level="2"][data-state="open"]');
  const run = (await call('selfcare.progress', { clientId })).body.result.runs.find((r: any) => r.exercise === 'follow-light');
  assert.equal(run.outcome, 'completed');

  // The ring also follows a finger (touch pointer) and the arrow keys.
  await startLevel('follow-light', 2);
  await rate('before', null);
  const play = page.locator('[data-testid="follow-light"] .sc-play');
  const box = (await play.boundingBox())!;
  await play.dispatchEvent('pointerdown', { pointerType: 'touch', clientX: box.x + 100, clientY: box.y + 100, isPrimary: true });
  await page.clock.runFor(100);
  const ringX = async () => Number(await page.getAttribute('.sc-ring', 'cx'));
  assert.ok(Math.abs((await ringX()) - 100) < 1, 'the ring is where the finger touched');
  await page.keyboard.down('ArrowRight');
  await page.clock.runFor(1_000);
  await page.keyboard.up('ArrowRight');
  await page.clock.runFor(100);
  assert.ok((await ringX()) > 150, `the arrow key moved the ring right (${await ringX()})`);
  await page.getByRole('button', { name: 'Stop here' }).click();
  await rate('after', null);
  await page.getByRole('button', { name: 'Back to the exercises' }).click();
  assert.ok(run.lengthS >= 30 && run.lengthS < 40, `30 s on the light took ${run.lengthS} s of game time`);
  assert.ok(run.score > 0.75 && run.score <= 1, `score ${run.score}`);
});

test(
  'muscle relaxation and grounding: words on screen step by step; stopping early is fine and changes nothing',
  { skip, timeout: 120_000 },
  async () => {
    await startLevel('pmr', 1);
    await rate('before', null);
    await page.waitForSelector('[data-testid="pmr-guide"][data-step-kind="tense"]');
    assert.match((await page.textContent('[data-testid="pmr-guide"]')) ?? '', /Stronger hand and forearm.*Make a fist/s);
    await page.clock.runFor(3_000);
    await shot('06-pmr-tense');
    await page.clock.runFor(6_000);
    await page.waitForSelector('[data-testid="pmr-guide"][data-step-kind="release"]');
    await shot('07-pmr-release');
    await page.getByRole('button', { name: 'Stop here' }).click();
    await page.waitForSelector('text=That is completely fine');
    await rate('after', null);
    await page.waitForSelector('[data-testid="run-summary"]:has-text("Saved")');
    await page.getByRole('button', { name: 'Back to the exercises' }).click();
    assert.equal(await levelState('pmr', 1), 'open', 'still open after stopping');
    assert.equal(await levelState('pmr', 2), 'closed');

    await startLevel('grounding', 1);
    await page.locator('[data-testid="rating-before"]').waitFor();
    await page.keyboard.press('4'); // ratings take a digit from the keyboard
    await page.waitForSelector('[data-testid="grounding"]');
    const ticks = page.locator('[data-testid="grounding"] .sc-tick');
    assert.equal(await ticks.count(), 15);
    for (let i = 0; i < 14; i++) await ticks.nth(i).click();
    assert.equal(await page.getByRole('button', { name: 'Done', exact: true }).isDisabled(), true, 'one thing left to notice');
    await shot('08-grounding');
    await ticks.nth(14).click();
    await page.getByRole('button', { name: 'Done', exact: true }).click();
    await rate('after', 2);
    await page.waitForSelector('[data-testid="run-summary"]:has-text("Level 2 is now open")');
    await page.getByRole('button', { name: 'Back to the exercises' }).click();
  },
);

test('reduced motion gives a still pacer with a count; large text is one press away', { skip, timeout: 60_000 }, async () => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.getByRole('button', { name: 'Larger text' }).click();
  await page.waitForSelector('.client-mode.large-text');
  await shot('09-large-text');
  await startLevel('breathing', 2);
  await rate('before', null);
  await page.waitForSelector('[data-testid="breathing-pacer"][data-reduced-motion="true"]');
  const scaleAt = async () => page.getAttribute('.sc-pacer-disc', 'transform');
  const first = await scaleAt();
  await page.clock.runFor(2_000);
  assert.equal(await scaleAt(), first, 'the circle does not move');
  assert.match((await page.textContent('.sc-pacer-count')) ?? '', /^\d+$/);
  await shot('10-breathing-reduced-motion');
  await page.getByRole('button', { name: 'Stop here' }).click();
  await rate('after', null);
  await page.getByRole('button', { name: 'Back to the exercises' }).click();
  await page.getByRole('button', { name: 'Normal text' }).click();
  await page.emulateMedia({ reducedMotion: 'no-preference' });
});

test(
  'idle for the chosen time, the screen locks; only the PIN opens it, and leaving client mode needs the PIN',
  { skip, timeout: 60_000 },
  async () => {
    await page.waitForSelector('[data-testid="client-mode"]');
    // The client completes grounding level 2 and walks away at the rating after: the screen locks, the level still counts.
    await startLevel('grounding', 2);
    await rate('before', null);
    const words = page.locator('[data-testid="grounding"] input[type="text"]');
    await words.first().waitFor();
    assert.equal(await words.count(), 15);
    for (let i = 0; i < 15; i++) await words.nth(i).fill(`thing ${i + 1}`);
    await page.getByRole('button', { name: 'Done', exact: true }).click();
    await page.locator('[data-testid="rating-after"]').waitFor();
    await page.clock.runFor(60_000);
    assert.equal(await page.locator('[data-testid="locked-screen"]').count(), 0, 'not locked before the idle time');
    await page.clock.runFor(61_000);
    await page.waitForSelector('[data-testid="locked-screen"]');
    assert.doesNotMatch((await page.textContent('body')) ?? '', /SC-100|Self-care client/, 'the locked screen names no one');
    assert.equal((await call('selfcare.progress', { clientId })).status, 403, 'locked in the service too');
    await shot('11-locked');
    const lock = page.locator('[data-testid="locked-screen"]');
    await lock.locator('input[type="password"]').fill('0000');
    await lock.getByRole('button', { name: 'Unlock' }).click();
    await lock.locator('[role="alert"]:has-text("wrong PIN")').waitFor();
    await shot('12-locked-wrong-pin');
    await lock.locator('input[type="password"]').fill(PIN);
    await lock.getByRole('button', { name: 'Unlock' }).click();
    await page.waitForSelector('[data-testid="client-mode"]');
    await page.waitForSelector('[data-testid="exercise-grounding"] button[data-level="3"][data-state="open"]');
    // A reload stays in client mode: the service, not the page, decides.
    await page.reload();
    await page.waitForSelector('[data-testid="client-mode"]');
    await page.getByRole('button', { name: 'For the clinician: end' }).click();
    await page.locator('.sc-pin input[type="password"]').fill('1111');
    await page.locator('.sc-pin').getByRole('button', { name: 'End client mode' }).click();
    await page.locator('.sc-pin [role="alert"]:has-text("wrong PIN")').waitFor();
    assert.equal(await page.locator('[data-testid="client-mode"]').count(), 1, 'still in client mode');
    await page.locator('.sc-pin input[type="password"]').fill(PIN);
    await page.locator('.sc-pin').getByRole('button', { name: 'End client mode' }).click();
    await page.waitForSelector('nav[aria-label="Main"]');
    assert.equal((await call('clients.list', {})).status, 200);
    await page.clock.resume();
  },
);

test('the Self-care tab shows the levels reached and charts the ratings before and after', { skip, timeout: 60_000 }, async () => {
  await page.goto(`${origin}/#/client/${clientId}?tab=selfcare`);
  await page.waitForSelector('[data-testid="selfcare-chart"] .recharts-line');
  const { runs } = (await call('selfcare.progress', { clientId })).body.result;
  const rated = runs.filter((r: any) => r.tensionBefore !== null || r.tensionAfter !== null);
  const dots = rated.reduce((n: number, r: any) => n + (r.tensionBefore !== null ? 1 : 0) + (r.tensionAfter !== null ? 1 : 0), 0);
  assert.equal(rated.length, 3, 'breathing 6 → 3, game 5 → 2, grounding 4 → 2');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="selfcare-chart"] .recharts-line-dot').length === n, dots);
  const levels = (await page.textContent('[data-testid="selfcare-levels"]')) ?? '';
  assert.match(levels, /Slow breathing\s*1 of 6/);
  assert.match(levels, /Muscle relaxation\s*0 of 4/);
  assert.match(levels, /grounding\s*2 of 3/);
  assert.match(levels, /Follow the light\s*1 of 5/);
  const table = (await page.textContent('[data-testid="selfcare-runs"]')) ?? '';
  assert.match(table, /client mode/);
  assert.match(table, /stopped early/);
  assert.match(table, /6 → 3/);
  await shot('13-tab');
  await page.getByRole('link', { name: 'Overview' }).click();
  await page.waitForSelector('[data-testid="dass-history"]');
});

test(
  'a DASS-21 result with item 21 endorsed puts review and helplines first and offers no exercise; an all-normal one offers them',
  { skip, timeout: 60_000 },
  async () => {
    const enter = async (answers: number[]) => {
      await page.goto(`${origin}/#/client/${clientId}`);
      await page.click('a:has-text("New DASS-21")');
      await page.waitForSelector('[data-testid="dass-item-1"]:focus');
      for (const a of answers) await page.keyboard.press(String(a));
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid="dass-result"]');
    };
    const item21 = Array(21).fill(0);
    item21[20] = 2;
    await enter(item21);
    const steps = page.locator('.card:has(h2:has-text("Suggested next steps")) li');
    const kinds = await steps.evaluateAll((els) => els.map((e) => e.className));
    assert.equal(kinds[0], 'step-review', 'the review comes first');
    assert.ok(kinds.includes('step-helpline'));
    assert.ok(kinds.slice(0, kinds.indexOf('step-helpline')).every((k) => k === 'step-review' || k === 'step-referral'));
    assert.ok(!kinds.includes('step-exercise'), 'no exercise offered');
    assert.equal(await page.locator('a:has-text("Open the self-care exercises")').count(), 0);
    await shot('14-dass-item21');

    await enter(Array(21).fill(0));
    const normal = await page.locator('.card:has(h2:has-text("Suggested next steps")) li').evaluateAll((els) => els.map((e) => e.className));
    assert.ok(normal.filter((k) => k === 'step-exercise').length >= 4);
    assert.ok(!normal.includes('step-helpline'));
    await page.locator('a:has-text("Open the self-care exercises")').first().click();
    await page.waitForSelector('[data-testid="hand-over"]');
  },
);

test('the CLI export shows the runs (JSON, --per selfcare)', { skip, timeout: 60_000 }, async () => {
  const out = path.join(tempDir(), 'runs.json');
  const r = spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, 'bin/affect.mjs'), 'export', 'client:SC-100', '--format', 'json', '--per', 'selfcare', '--out', out, '--db', dbPath],
    { encoding: 'utf8', env: { ...process.env, AFFECT_PASSPHRASE: E2E_PASSPHRASE } },
  );
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(readFileSync(out, 'utf8')).rows as Array<Record<string, unknown>>;
  assert.deepEqual(
    rows.map((x) => [x.exercise, x.level, x.mode, x.outcome, x.tension_before, x.tension_after]),
    [
      ['breathing', 1, 'client', 'completed', 6, 3],
      ['follow-light', 1, 'client', 'completed', 5, 2],
      ['follow-light', 2, 'client', 'left', null, null],
      ['pmr', 1, 'client', 'left', null, null],
      ['grounding', 1, 'client', 'completed', 4, 2],
      ['breathing', 2, 'client', 'left', null, null],
      ['grounding', 2, 'client', 'completed', null, null],
    ],
  );
  assert.deepEqual(rows[5].options, { pattern: 'longer-out', largeText: true, reducedMotion: true });
});
