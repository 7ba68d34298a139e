import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import '../electron/privacy/no-telemetry.js';
import { AnalysisEngine } from '../electron/analysis/engine.js';
import { TextEmotionModel } from '../electron/analysis/text/text-model.js';
import { ensureClient } from '../electron/store/clients-repo.js';
import { openWithPassphrase } from '../electron/store/open-database.js';
import type { ApiOutput } from '../electron/contract/api.js';
import { speechTurns } from '../electron/store/participants-repo.js';
import { saveAnalysis } from '../electron/store/sessions-repo.js';
import { axeSeriousViolations } from './helpers/axe.js';
import {
  buildRenderer,
  E2E_PASSPHRASE,
  launchChromium,
  pageApi,
  screenshotPath,
  skipWithoutChromium,
  startServe,
  type Serve,
} from './helpers/browser.js';
import { ffmpeg, SAMPLE } from './helpers/media-fixtures.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';
import { pdfTextOf } from './helpers/pdf-text.js';
import { SHIPPED_MODELS_PRESENT, storeScriptedSession } from './helpers/stored-session.js';
import { attachTestTranscript, writeVtt } from './helpers/transcripts.js';

/**
 * Transcripts in the review and on the client page (issue 20), in Debian's Chromium at 1366×768 against the real engine
 * in browser mode, on an encrypted database: a recording analysed for real with a Teams-style VTT, the transcript in
 * step with the video, text estimates per line, search across the client's sessions that jumps to the moment, attaching
 * a transcript from the page (upload, progress, bad input), speakers renamed, exports. Screenshots:
 * tests/artifacts/transcripts-*.png.
 */
const skip = skipWithoutChromium() || (SHIPPED_MODELS_PRESENT ? false : 'needs the shipped models');
let browser: BrowserContext;
let page: Page;
let serve: Serve;
let origin: string;
let dir: string;
const ids = { client: 0, call: 0, second: 0, bare: 0 };
const pageErrors: string[] = [];
const a11y: Record<string, Awaited<ReturnType<typeof axeSeriousViolations>>> = {};

const TEAMS = `WEBVTT

NOTE Recorded with Microsoft Teams

3f6c1a9e-0d2b-4b7e-9a51-2f7d1c0e4a11/14-0
00:00:00.800 --> 00:00:03.200
<v Dr. Amira Haddad>Good morning, Sam. How has the week been since we last spoke?</v>

3f6c1a9e-0d2b-4b7e-9a51-2f7d1c0e4a11/15-0
00:00:04.000 --> 00:00:07.300
<v Sam Taylor>Honestly I&apos;m furious. They cancelled my appointment again and nobody called me.</v>

3f6c1a9e-0d2b-4b7e-9a51-2f7d1c0e4a11/16-0
00:00:08.000 --> 00:00:11.500
<v Sam Taylor>I was so scared something bad had happened. I could not sleep at all.</v>

3f6c1a9e-0d2b-4b7e-9a51-2f7d1c0e4a11/17-0
00:00:12.000 --> 00:00:15.400
<v Dr. Amira Haddad>That sounds really frightening. Tell me more about the sleeping.</v>

3f6c1a9e-0d2b-4b7e-9a51-2f7d1c0e4a11/18-0
00:00:16.000 --> 00:00:19.500
<v Sam Taylor>I&apos;m glad I came though. It feels good to talk about it.</v>
`;

const go = async (hash: string, ready: string) => {
  await page.goto(`${origin}/${hash}`);
  await page.waitForSelector(ready, { timeout: 30_000 });
};
const shot = (name: string) => page.screenshot({ path: screenshotPath(`transcripts-${name}`) });
const scan = async (name: string) => {
  a11y[name] = await axeSeriousViolations(page);
};

before(async () => {
  if (skip) return;
  buildRenderer();
  dir = tempDir('transcripts-e2e-');
  const dbFile = path.join(dir, 'transcripts.sqlite');
  const { db } = await openWithPassphrase(dbFile, E2E_PASSPHRASE, { kdfCost: { N: 2 ** 12, r: 8, p: 1 } });
  const engine = await AnalysisEngine.create({ threads: 1 });
  const model = await TextEmotionModel.load(path.join(REPO_ROOT, 'native-models/text-glove-cnn'), { threads: 1 });
  try {
    ids.client = ensureClient(db, 'C-7').id;
    const call = path.join(dir, 'teams call.mp4');
    copyFileSync(SAMPLE, call);
    writeFileSync(path.join(dir, 'teams call.vtt'), TEAMS);
    ids.call = saveAnalysis(db, await engine.analyze(call, { fps: 2 }), { clientId: ids.client, recordedAt: '2026-10-02' });
    // Mapped against the session's own diarized speech, as an import does.
    await attachTestTranscript(db, ids.call, path.join(dir, 'teams call.vtt'), { durationS: 19.69, model, turns: speechTurns(db, ids.call) });
    ids.second = await storeScriptedSession(
      db,
      SAMPLE,
      { faceAt: () => 'neutral', voiceAt: () => 'calm' },
      { clientId: ids.client, recordedAt: '2026-10-09' },
    );
    const second = writeVtt(dir, 'week two.vtt', [
      [1, 4, 'Sam Taylor', 'I slept better this week, maybe six hours a night.'],
      [5, 9, 'Dr. Amira Haddad', 'That is good to hear. What helped with the sleep?'],
    ]);
    await attachTestTranscript(db, ids.second, second, { durationS: 19.69, model });
    ids.bare = await storeScriptedSession(
      db,
      SAMPLE,
      { faceAt: () => 'happy', voiceAt: () => 'happy' },
      { clientId: ids.client, recordedAt: '2026-10-16' },
    );
  } finally {
    await engine.close();
    await model.release();
    db.close();
  }
  serve = await startServe(dbFile);
  origin = new URL(serve.url).origin;
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setViewportSize({ width: 1366, height: 768 });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(serve.url);
});

after(async () => {
  await browser?.close();
  await serve?.stop();
});

test('the client page searches what was said across sessions; a hit opens the review at that moment', { skip, timeout: 120_000 }, async () => {
  await go(`#/client/${ids.client}`, 'input[aria-label="Words to look for in this client\'s transcripts"]');
  await page.fill('input[aria-label="Words to look for in this client\'s transcripts"]', 'sleep');
  await page.click('button:has-text("Search transcripts")');
  await page.waitForSelector('[data-testid="search-status"]:has-text("lines in 2 sessions")');
  // "sleep" and "sleeping" in the first session, "sleep" in the second ("slept" is another word).
  assert.match((await page.textContent('[data-testid="search-status"]')) ?? '', /^3 lines in 2 sessions\./);
  const first = page.locator(`[data-testid="search-hits-${ids.call}"] li`).first();
  assert.match((await first.textContent()) ?? '', /0:08\s*Sam Taylor\s*I was so scared something bad had happened\. I could not sleep at all\./);
  assert.equal(await first.locator('mark').textContent(), 'sleep');
  await page.locator('[role="search"]').scrollIntoViewIfNeeded();
  await shot('client-search');
  await scan('client page with search hits');
  await first.locator('a').click();
  await page.waitForSelector('[data-testid="transcript-lines"] li.current');
  assert.match(page.url(), new RegExp(`#/session/${ids.call}\\?t=8$`));
  await page.waitForFunction(() => Math.abs(document.querySelector('video')!.currentTime - 8) < 0.3);
  const current = (await page.textContent('[data-testid="transcript-lines"] li.current')) ?? '';
  assert.match(current, /0:08\s*Sam Taylor/);
  assert.match(current, /I was so scared/);
});

test(
  'the review at 1366×768: video, transcript in step, text estimates per line in words, the text lane, lanes on screen',
  { skip, timeout: 120_000 },
  async () => {
    await go(`#/session/${ids.call}`, '[data-testid="lane-text"] rect');
    for (const sel of [
      'video',
      '[data-testid="transcript-lines"]',
      '[data-testid="lane-face"]',
      '[data-testid="lane-voice"]',
      '[data-testid="lane-fused"]',
      '[data-testid="lane-text"]',
      '[data-testid="time-axis"]',
    ]) {
      const box = (await page.locator(sel).boundingBox())!;
      assert.ok(box && box.y >= 0 && box.y + box.height <= 768, `${sel} is on screen without scrolling (${JSON.stringify(box)})`);
    }
    const lines = page.locator('[data-testid="transcript-lines"] li');
    assert.equal(await lines.count(), 5);
    // Each line says its estimate in words (never colour alone).
    for (let i = 0; i < 5; i++)
      assert.match(
        (await lines.nth(i).locator('.cue-estimate').textContent()) ?? '',
        /^(angry|disgust|fearful|happy|neutral|sad|surprised) \d+%$|^uncertain \(\w+\?\) \d+%$/,
      );
    assert.match((await lines.nth(2).textContent()) ?? '', /fearful \d+%/);
    assert.match((await page.textContent('[data-testid="text-summary"]')) ?? '', /^\w+ \d+%.* of \d lines with an estimate.*not fused/);
    // Playing moves the highlight; a click on a line seeks there.
    await lines.nth(3).locator('button').click();
    await page.waitForFunction(() => Math.abs(document.querySelector('video')!.currentTime - 12) < 0.3);
    assert.equal(await lines.nth(3).getAttribute('aria-current'), 'true');
    assert.match((await page.textContent('[data-testid="now"]')) ?? '', /At 0:12: .* · words (fearful|\w+) \(\d+%\)|At 0:12: .* · words uncertain/);
    await page.evaluate(() => {
      const v = document.querySelector('video')!;
      v.muted = true;
      v.currentTime = 16.2;
    });
    await page.waitForSelector('[data-testid="transcript-lines"] li.current:has-text("glad I came")');
    // The text lane's tooltip names the speaker, the estimate and the words.
    const lane = (await page.locator('[data-testid="lane-text"] .lane-body').boundingBox())!;
    await page.mouse.move(lane.x + (lane.width * 9.5) / 19.69, lane.y + lane.height / 2);
    await page.waitForSelector('.lane-tip');
    assert.match((await page.textContent('.lane-tip')) ?? '', /^Text · Sam Taylor · \w+ · \d+% · 0:08\.0 “I was so scared/);
    await page.mouse.move(0, 0);
    await page.evaluate(() => (document.querySelector('video')!.currentTime = 9));
    await page.waitForSelector('[data-testid="transcript-lines"] li.current:has-text("so scared")');
    await shot('review-1366x768');
    await scan('review with a transcript');
  },
);

test(
  'speakers: named by hand, the name shown on every line and in the search; the text estimates per speaker',
  { skip, timeout: 120_000 },
  async () => {
    await go(`#/session/${ids.call}`, '[aria-label="Speakers in the transcript"]');
    const card = page.locator('[aria-label="Speakers in the transcript"]');
    assert.match((await card.textContent()) ?? '', /Sam Taylor.*3(only \d lines have a clear estimate|\w+ \d+%)/);
    // The sample has one real voice (diarized into P1's turns): each speaker of the file is mapped to it by overlap, or the
    // card says why not, as the API does.
    const shown = (await card.textContent()) ?? '';
    const t = (await pageApi(page)('transcripts.get', { sessionId: ids.call })) as ApiOutput<'transcripts.get'> & object;
    assert.ok(
      t.speakers.some((s) => s.evidence.overlaps.some((o) => o.participant === 1)),
      "the speakers overlap P1's diarized speech",
    );
    for (const s of t.speakers) {
      const words = s.participant !== null ? 'by overlap with their speech' : `not mapped: ${s.evidence.why}`;
      assert.ok(s.participant !== null || s.evidence.why, `${s.label}: mapped, or the reason given`);
      assert.ok(shown.includes(words), `${s.label}: "${words}" on the card`);
    }
    await page.fill('input[aria-label="Name for Sam Taylor"]', 'Sam T. (client)');
    await page.press('input[aria-label="Name for Sam Taylor"]', 'Enter');
    await page.waitForSelector('[data-testid="transcript-lines"] li:nth-child(2) .cue-speaker:has-text("Sam T. (client)")');
    await card.scrollIntoViewIfNeeded();
    await shot('speakers');
    await scan('review: speakers card');
    const api = pageApi(page);
    const found = await api('transcripts.search', { clientId: ids.client, query: 'furious' });
    assert.equal(found.hits[0].speaker, 'Sam T. (client)');
  },
);

test(
  'attaching from the page: a bad file is refused naming the file and line; a good one appears with progress; exports',
  { skip, timeout: 180_000 },
  async () => {
    await go(`#/session/${ids.bare}`, 'button:has-text("Attach a transcript…")');
    await shot('no-transcript');
    const bad = path.join(dir, 'broken export.srt');
    writeFileSync(bad, '1\n00:00:01,000 --> 00:00:03,000\nSam: hello\n\n2\n00:00:05,000 --> 00:00:04,000\nSam: backwards\n');
    await page.setInputFiles('[data-testid="transcript-input"]', bad);
    await page.waitForSelector('[data-testid="no-transcript"] .error');
    assert.match(
      (await page.textContent('[data-testid="no-transcript"] .error')) ?? '',
      /^broken export\.srt, line 6: the cue ends \(0:04\.000\) before it starts \(0:05\.000\)/,
    );
    await shot('attach-refused');
    // A long Otter-style text file, uploaded and estimated (progress shows while it runs).
    const lines = Array.from(
      { length: 3000 },
      (_, i) => `[00:00:${(i * 0.006).toFixed(3).padStart(6, '0')}] ${i % 2 ? 'Sam' : 'Amira'}: line ${i}, we talked about sleep and the garden`,
    );
    const good = path.join(dir, 'otter notes.txt');
    writeFileSync(good, lines.join('\n'));
    await page.setInputFiles('[data-testid="transcript-input"]', good);
    await page.waitForSelector('[data-testid="attach-progress"]');
    await page.waitForSelector('[data-testid="transcript-source"]:has-text("otter notes.txt · 3000 lines")', { timeout: 120_000 });
    await page.waitForSelector('[data-testid="lane-text"]');
    // Exports of the transcript, and the PDF without its words.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Transcript CSV")')]);
    assert.match(csv.suggestedFilename(), new RegExp(`^C-7_session-${ids.bare}_2026-10-16_transcript\\.csv$`));
    const rows = readFileSync((await csv.path())!, 'utf8')
      .trim()
      .split('\n');
    assert.equal(rows.length, 3001);
    await go(`#/session/${ids.call}`, '[data-testid="transcript-lines"]');
    await page.check("text=Leave the transcript's words out of the PDF report");
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("PDF report (no words)")')]);
    assert.match(pdf.suggestedFilename(), /_report_no-text\.pdf$/);
    const text = pdfTextOf(readFileSync((await pdf.path())!));
    assert.ok(text.includes('What was said'));
    for (const s of ['furious', 'Sam', 'Amira', 'teams call.vtt']) assert.equal(text.includes(s), false, s);
  },
);

test(
  'import: a recording and its transcript dropped together go together (browser uploads); a transcript alone is said to need its recording',
  { skip, timeout: 240_000 },
  async () => {
    await go(`#/import?client=${ids.client}`, 'h1:has-text("Import recordings")');
    // The same recording as session 1 would be "already analysed" (and keep its transcript): another cut of it.
    const visit = path.join(tempDir(), 'visit 5.mp4');
    ffmpeg('-i', SAMPLE, '-t', '15', '-c', 'copy', visit);
    const vtt = writeVtt(path.dirname(visit), 'visit 5.vtt', [
      [1, 4, 'Sam Taylor', 'The new routine is helping with the Brindlewood commute.'],
      [5, 9, 'Dr. Amira Haddad', 'Good, let us keep it going.'],
    ]);
    const stray = writeVtt(path.dirname(visit), 'notes from tuesday.vtt', [[1, 2, 'A', 'hello']]);
    await page.setInputFiles('input[data-testid="file-input"]', [visit, vtt, stray]);
    await page.waitForSelector('p.error:has-text("notes from tuesday.vtt: no recording with the same name was added with it")');
    const row = page.locator('tr:has-text("visit 5.mp4")').first();
    await row.locator('text=with the transcript visit 5.vtt').waitFor();
    await page.waitForSelector('tr[data-job-status="done"]:has-text("visit 5.mp4")', { timeout: 200_000 });
    await shot('import-with-transcript');
    await scan('import page');
    await row.locator('a:has-text("Review session")').click();
    await page.waitForSelector('[data-testid="transcript-source"]:has-text("visit 5.vtt · 2 lines")');
    const api = pageApi(page);
    assert.equal((await api('transcripts.search', { clientId: ids.client, query: 'brindlewood' })).total, 1);
  },
);

test('accessibility: axe-core finds no serious or critical violation on the pages touched', { skip }, async () => {
  await go(`#/session/${ids.bare}`, '[data-testid="transcript-lines"]');
  await scan('review after attaching');
  const found = Object.entries(a11y).filter(([, v]) => v.length > 0);
  writeFileSync(screenshotPath('transcripts-axe').replace(/\.png$/, '.json'), JSON.stringify(a11y, null, 1));
  assert.deepEqual(found, [], JSON.stringify(found, null, 1));
  assert.ok(Object.keys(a11y).length >= 4, Object.keys(a11y).join(', '));
  assert.deepEqual(pageErrors, []);
});
