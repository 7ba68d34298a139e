import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseCsv } from '../electron/analysis/csv.js';
import { buildSessionReport } from '../electron/export/report-data.js';
import { renderSessionReportPdf } from '../electron/export/report-pdf.js';
import { ensureClient } from '../electron/store/clients-repo.js';
import { saveDassAdministration } from '../electron/store/dass-repo.js';
import { openDatabase, type Db } from '../electron/store/db.js';
import { finishRun, startRun } from '../electron/store/selfcare-repo.js';
import { ARTIFACTS_DIR, REPO_ROOT, tempDir } from './helpers/paths.js';
import { pageCount, pdfText } from './helpers/pdf-text.js';
import { SAMPLE_MP4, storeScriptedSession } from './helpers/stored-session.js';

const HAVE_PDFTOPPM = spawnSync('pdftoppm', ['-v'], { encoding: 'utf8' }).error === undefined;
const affect = (...args: string[]) => spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/affect.mjs'), ...args], { encoding: 'utf8' });

/** Three runs for one client (completed with ratings, stopped early with one rating, never finished) and one for another. */
function seed(db: Db) {
  const a = ensureClient(db, 'SC-1').id;
  const b = ensureClient(db, 'SC-2').id;
  const r1 = startRun(db, {
    clientId: a,
    exercise: 'breathing',
    level: 1,
    mode: 'client',
    tensionBefore: 7,
    options: { pattern: 'longer-out' },
    startedAt: '2026-03-01T09:00:00.000Z',
  });
  finishRun(db, r1.id, { outcome: 'completed', lengthS: 120, tensionAfter: 3, finishedAt: '2026-03-01T09:02:05.000Z' });
  const r2 = startRun(db, {
    clientId: a,
    exercise: 'follow-light',
    level: 1,
    mode: 'clinician',
    tensionBefore: 5,
    startedAt: '2026-03-02T10:00:00.000Z',
  });
  finishRun(db, r2.id, { outcome: 'left', lengthS: 12.345, tensionAfter: null, score: 0.5, finishedAt: '2026-03-02T10:00:13.000Z' });
  startRun(db, { clientId: a, exercise: 'pmr', level: 1, mode: 'client', tensionBefore: null, startedAt: '2026-03-20T10:00:00.000Z' });
  startRun(db, { clientId: b, exercise: 'grounding', level: 1, mode: 'client', tensionBefore: 2, startedAt: '2026-03-03T10:00:00.000Z' });
  return { a, b };
}

test('affect export client:<code> --per selfcare: every run of that client in CSV and JSON, with ratings and outcome', () => {
  const dir = tempDir();
  const dbPath = path.join(dir, 'x.sqlite');
  const db = openDatabase(dbPath);
  seed(db);
  db.close();

  const json = path.join(dir, 'runs.json');
  const r = affect('export', 'client:SC-1', '--format', 'json', '--per', 'selfcare', '--out', json, '--db', dbPath);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), json);
  const doc = JSON.parse(readFileSync(json, 'utf8'));
  assert.equal(doc.per, 'selfcare');
  assert.match(doc.note, /not a clinical measure/);
  assert.deepEqual(
    doc.rows.map((x: Record<string, unknown>) => [
      x.client_code,
      x.exercise,
      x.level,
      x.outcome,
      x.tension_before,
      x.tension_after,
      x.tension_change,
      x.length_s,
    ]),
    [
      ['SC-1', 'breathing', 1, 'completed', 7, 3, -4, 120],
      ['SC-1', 'follow-light', 1, 'left', 5, null, null, 12.345],
      ['SC-1', 'pmr', 1, 'unfinished', null, null, null, null],
    ],
  );
  assert.deepEqual(doc.rows[0].options, { pattern: 'longer-out' });
  assert.equal(doc.rows[0].level_title, '6 breaths a minute, 2 minutes');
  assert.equal(doc.rows[0].started_at, '2026-03-01T09:00:00.000Z');

  const csv = path.join(dir, 'all.csv');
  assert.equal(affect('export', 'all', '--format', 'csv', '--per', 'selfcare', '--out', csv, '--db', dbPath).status, 0);
  const [header, ...rows] = parseCsv(readFileSync(csv, 'utf8'));
  assert.deepEqual(header.slice(0, 5), ['client_code', 'run_id', 'exercise', 'exercise_title', 'level']);
  assert.deepEqual(
    rows.map((x) => [x[0], x[2], x[header.indexOf('outcome')]]),
    [
      ['SC-1', 'breathing', 'completed'],
      ['SC-1', 'follow-light', 'left'],
      ['SC-1', 'pmr', 'unfinished'],
      ['SC-2', 'grounding', 'unfinished'],
    ],
  );

  const bad = affect('export', '7', '--format', 'csv', '--per', 'selfcare', '--out', csv, '--db', dbPath);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /give client:<code> or all/);
  const pdf = affect('export', 'client:SC-1', '--format', 'pdf', '--per', 'selfcare', '--out', csv, '--db', dbPath);
  assert.equal(pdf.status, 2);
  assert.match(pdf.stderr, /--per/);
});

test("the clinician PDF report lists the client's self-care runs up to the session, with levels and the mean change in tension", async (t) => {
  const dir = tempDir();
  const dbPath = path.join(dir, 'r.sqlite');
  const db = openDatabase(dbPath);
  const { a } = seed(db);
  const sessionId = await storeScriptedSession(
    db,
    SAMPLE_MP4,
    { faceAt: () => 'neutral', voiceAt: () => 'calm' },
    { clientId: a, recordedAt: '2026-03-10' },
  );
  saveDassAdministration(db, { clientId: a, administeredOn: '2026-03-10', answers: Array(21).fill(1), sessionId });
  const report = buildSessionReport(db, sessionId);
  db.close();
  // The run of 20 March is after the session and not in its report.
  assert.equal(report.selfCare?.totalRuns, 2);
  assert.equal(report.selfCare?.completedRuns, 1);
  assert.equal(report.selfCare?.meanTensionChange, -4);
  assert.deepEqual(
    report.selfCare?.levels.map((l) => [l.title, l.completed]),
    [
      ['Slow breathing', 1],
      ['Muscle relaxation', 0],
      ['5-4-3-2-1 grounding', 0],
      ['Follow the light', 0],
    ],
  );

  const file = path.join(dir, 'report.pdf');
  await renderSessionReportPdf(report, file, { compress: false });
  const pdf = readFileSync(file);
  const pages = pageCount(pdf);
  assert.ok(pages >= 1 && pages <= 2, `${pages} pages`);
  const text = pdfText(pdf).replace(/\s+/g, ' ');
  assert.match(text, /Self-care exercises/);
  assert.match(text, /2 runs up to 2026-03-10, 1 completed/);
  assert.match(text, /mean change in tension \(after − before, 0–10\) -4 over 1 rated run/);
  assert.match(text, /Slow breathing, level 1 2:00 completed 7 → 3/);
  assert.match(text, /stopped early/);
  assert.match(text, /7 → 3/);
  if (!HAVE_PDFTOPPM) return t.diagnostic('pdftoppm not installed: PNG rendering skipped');
  const r = spawnSync('pdftoppm', ['-png', '-r', '80', file, path.join(dir, 'page')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  for (let i = 1; i <= pages; i++) copyFileSync(path.join(dir, `page-${i}.png`), path.join(ARTIFACTS_DIR, `selfcare-report-page${i}.png`));
});
