import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ensureClient } from '../electron/store/clients-repo.js';
import { saveDassAdministration } from '../electron/store/dass-repo.js';
import { openDatabase } from '../electron/store/db.js';
import { getSession, listSessions } from '../electron/store/sessions-repo.js';
import { buildSessionReport } from '../electron/export/report-data.js';
import { renderSessionReportPdf } from '../electron/export/report-pdf.js';
import { ARTIFACTS_DIR, REPO_ROOT, tempDir } from './helpers/paths.js';
import { HAVE_PDFTOPPM, pageCount, pdfText } from './helpers/pdf-text.js';
import { SAMPLE_MP4, SHIPPED_MODELS_PRESENT, storeScriptedSession } from './helpers/stored-session.js';

const CLIENT = 'C-0042';

/** A stored session of the bundled sample: analysed by the shipped models when present, else scripted results. */
async function storedSession(dbPath: string): Promise<{ id: number; how: string }> {
  if (SHIPPED_MODELS_PRESENT) {
    const r = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'bin/affect.mjs'), 'analyze', SAMPLE_MP4, '--db', dbPath, '--client', CLIENT, '--json'],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    return { id: JSON.parse(r.stdout.trim().split('\n').pop()!).session.id, how: 'affect analyze with the shipped models' };
  }
  const db = openDatabase(dbPath);
  const clientId = ensureClient(db, CLIENT).id;
  const id = await storeScriptedSession(
    db,
    SAMPLE_MP4,
    { faceAt: (t) => (t < 2 ? null : t < 12 ? 'happy' : 'sad'), voiceAt: (t) => (t < 9 ? 'calm' : 'neutral') },
    { clientId, recordedAt: '2026-03-10' },
  );
  db.close();
  return { id, how: 'scripted results (shipped models absent)' };
}

test('clinician PDF report from a stored session: 1–2 A4 pages, client code, majority labels, DASS change, disclaimer', async (t) => {
  const dir = tempDir();
  const dbPath = path.join(dir, 'report.sqlite');
  const { id, how } = await storedSession(dbPath);
  t.diagnostic(`session from ${how}`);
  const db = openDatabase(dbPath);
  const session = getSession(db, id)!;
  const clientId = session.clientId!;
  const date = (session.recordedAt ?? session.analysedAt).slice(0, 10);
  // Earlier administration, then one linked to this session with item 21 endorsed.
  saveDassAdministration(db, { clientId, administeredOn: '2026-01-05', answers: Array(21).fill(1) });
  const answers = Array(21).fill(2);
  answers[20] = 3;
  saveDassAdministration(db, { clientId, administeredOn: date, answers, sessionId: id });

  const report = buildSessionReport(db, id);
  db.close();
  assert.equal(report.clientCode, CLIENT);
  assert.equal(report.dass?.link, 'this session');
  // All 2s (item 21, a depression item, at 3) vs all 1s: +7 items × 2 per subscale, +2 more for depression.
  assert.deepEqual(
    report.dass?.changes?.map((c) => c.difference),
    [16, 14, 14],
  );
  assert.deepEqual(
    report.dass?.itemsOfNote.map((n) => n.item),
    [21],
  );
  assert.ok(report.timeline.face.length > 0 && report.timeline.voice.length > 0 && report.timeline.fused.length > 0);

  const file = path.join(dir, 'report.pdf');
  await renderSessionReportPdf(report, file, { compress: false });
  const pdf = readFileSync(file);
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  const pages = pageCount(pdf);
  assert.ok(pages >= 1 && pages <= 2, `${pages} pages`);
  assert.match(pdf.toString('latin1'), /\/MediaBox \[0 0 595\.28 841\.89\]/, 'A4');
  const text = pdfText(pdf);
  assert.ok(text.includes(CLIENT), 'client code');
  for (const label of [session.summary.face.majority, session.summary.voice.majority, session.summary.fused.label])
    if (label) assert.ok(text.includes(label), label);
  assert.match(text, /Expression estimates, not a diagnosis/);
  assert.match(text, /Item 21/);
  assert.match(text, /\+16/);
  assert.ok(text.includes(path.basename(SAMPLE_MP4)));
  for (const m of report.models) assert.ok(text.includes(m.id) && text.includes(m.version), m.id);

  if (!HAVE_PDFTOPPM) {
    t.diagnostic('pdftoppm not installed (apt-get install poppler-utils): PNG rendering check skipped');
    return;
  }
  const png = path.join(dir, 'page');
  const r = spawnSync('pdftoppm', ['-png', '-r', '100', file, png], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const rendered = readdirSync(dir)
    .filter((f) => f.startsWith('page') && f.endsWith('.png'))
    .sort();
  assert.equal(rendered.length, pages, 'poppler renders every page');
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  rendered.forEach((f, i) => copyFileSync(path.join(dir, f), path.join(ARTIFACTS_DIR, `session-report-page${i + 1}.png`)));
  assert.ok(existsSync(path.join(ARTIFACTS_DIR, 'session-report-page1.png')));
});

test('non-Latin client codes and file names print as written and stay searchable in the PDF', async () => {
  const dir = tempDir();
  const media = path.join(dir, 'запись Ελένη ü.mp4');
  copyFileSync(SAMPLE_MP4, media);
  const dbPath = path.join(dir, 'u.sqlite');
  const db = openDatabase(dbPath);
  const clientId = ensureClient(db, 'Клиент-7 Ω').id;
  const id = await storeScriptedSession(db, media, { faceAt: () => 'happy', voiceAt: () => 'calm' }, { clientId });
  const report = buildSessionReport(db, id);
  db.close();
  const file = path.join(dir, 'u.pdf');
  await renderSessionReportPdf(report, file, { compress: false });
  const text = pdfText(readFileSync(file));
  assert.ok(text.includes('Клиент-7 Ω'), 'client code in Cyrillic and Greek');
  assert.ok(text.includes('запись Ελένη ü.mp4'), 'file name as written');
  assert.ok(!text.includes('\ufffd') && !text.includes('?'), 'no replacement characters');
});

test('affect export --format pdf for client:<code> writes one report per session into a folder', async () => {
  const dir = tempDir();
  const dbPath = path.join(dir, 'r.sqlite');
  const db = openDatabase(dbPath);
  const clientId = ensureClient(db, 'K-7').id;
  for (let i = 0; i < 2; i++) await storeScriptedSession(db, SAMPLE_MP4, { faceAt: () => 'neutral', voiceAt: () => null }, { clientId });
  const ids = listSessions(db, { clientId }).map((s) => s.id);
  db.close();
  const out = path.join(dir, 'reports');
  const r = spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, 'bin/affect.mjs'), 'export', 'client:K-7', '--format', 'pdf', '--out', out, '--db', dbPath],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readdirSync(out).sort(), ids.map((id) => `session-${id}.pdf`).sort());
  for (const f of readdirSync(out)) assert.equal(readFileSync(path.join(out, f)).subarray(0, 5).toString('latin1'), '%PDF-');
  const none = spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, 'bin/affect.mjs'), 'export', 'client:nobody', '--format', 'pdf', '--out', out, '--db', dbPath],
    { encoding: 'utf8' },
  );
  assert.equal(none.status, 1);
  assert.match(none.stderr, /no client with code "nobody"/);
});
