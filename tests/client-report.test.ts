import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { AffectService } from '../electron/api/service.js';
import { buildClientReport } from '../electron/export/client-report-data.js';
import { renderClientReportPdf } from '../electron/export/client-report-pdf.js';
import { ensureClient } from '../electron/store/clients-repo.js';
import { saveDassAdministration } from '../electron/store/dass-repo.js';
import { openDatabase } from '../electron/store/db.js';
import { badInputFixtures } from './helpers/media-fixtures.js';
import { tempDir } from './helpers/paths.js';
import { pageCount, pdfText, renderPdfToArtifacts } from './helpers/pdf-text.js';
import { SAMPLE_MP4, storeScriptedSession } from './helpers/stored-session.js';

/**
 * Item 11 of the review issue: the client report (every session, trends on a recording-date axis, DASS-21 history)
 * from the client page, handed to the user as a file to save (not written into a folder behind their back).
 */
async function clientWithHistory() {
  const dir = tempDir();
  const file = path.join(dir, 'report.sqlite');
  const db = openDatabase(file);
  const clientId = ensureClient(db, 'C-0042').id;
  await storeScriptedSession(
    db,
    SAMPLE_MP4,
    { faceAt: (t) => (t < 10 ? 'sad' : 'happy'), voiceAt: () => 'calm' },
    { clientId, recordedAt: '2026-03-10' },
  );
  // A face in 4 of 40 frames and no speech: "too little data", never "face: sad".
  await storeScriptedSession(db, SAMPLE_MP4, { faceAt: (t) => (t < 2 ? 'sad' : null), voiceAt: () => null }, { clientId, recordedAt: '2026-06-02' });
  // Audio only, recording date unknown (the analysis date is used, and said).
  await storeScriptedSession(db, badInputFixtures().wav, { faceAt: () => null, voiceAt: () => 'neutral' }, { clientId });
  saveDassAdministration(db, { clientId, administeredOn: '2026-03-10', answers: Array(21).fill(2) }); // 28 / 28 / 28
  const better = Array(21).fill(1);
  better[20] = 3; // item 21 endorsed
  saveDassAdministration(db, { clientId, administeredOn: '2026-06-02', answers: better });
  return { dir, file, db, clientId };
}

test(
  'client report PDF: every session with coverage, shares on a date axis, DASS-21 history with direction, items of note',
  { timeout: 120_000 },
  async () => {
    const { dir, db, clientId } = await clientWithHistory();
    const report = buildClientReport(db, clientId);
    db.close();
    assert.equal(report.sessions.length, 3);
    assert.deepEqual(
      report.sessions.map((s) => s.dateSource),
      ['user', 'user', 'analysed'],
    );
    const lowCoverage = report.sessions[1];
    assert.equal(lowCoverage.face.label, null, 'a face in 4 of 40 frames names no label');
    assert.match(lowCoverage.face.why ?? '', /too little data: a face in 4 of 40 frames/);
    const pdfFile = path.join(dir, 'client.pdf');
    await renderClientReportPdf(report, pdfFile, { compress: false });
    const pdf = readFileSync(pdfFile);
    const text = pdfText(pdf);
    for (const s of [
      'Client report',
      'C-0042',
      'Expression estimates, not a diagnosis',
      '2026-03-10',
      '2026-06-02',
      'too little data',
      'face seen 10%',
      'DASS-21 history',
    ])
      assert.ok(text.includes(s), `the report says "${s}"`);
    assert.match(text, /28 extremely severe/);
    assert.match(text, /\u221214 \(better, band down\)/, 'a drop of 14 points reads as better, without colour');
    assert.match(text, /item 21/);
    assert.ok(pageCount(pdf) >= 1 && pageCount(pdf) <= 3, `${pageCount(pdf)} pages`);
    const pngs = renderPdfToArtifacts(pdfFile, 'client-report');
    if (pngs) assert.ok(pngs.length === pageCount(pdf));
  },
);

test(
  'export.client and export.session hand back files to save: named by client, session and date; nothing written to disk',
  { timeout: 120_000 },
  async () => {
    const { dir, file, db, clientId } = await clientWithHistory();
    const svc = new AffectService({ db, databasePath: file, engine: () => Promise.reject(new Error('no engine needed')) });
    try {
      const pdf = await svc.call('export.client', { clientId, format: 'pdf' });
      assert.equal(pdf.fileName, 'C-0042_client-report.pdf');
      assert.equal(pdf.mime, 'application/pdf');
      assert.equal(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString('latin1'), '%PDF-');
      const csv = await svc.call('export.client', { clientId, format: 'csv', per: 'summary' });
      assert.equal(csv.fileName, 'C-0042_sessions_per-summary.csv');
      const table = Buffer.from(csv.base64, 'base64')
        .toString('utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(','));
      assert.equal(table.length, 4, 'a header and one row per session');
      const col = (name: string) => table[0].indexOf(name);
      assert.ok(col('face_coverage') > 0 && col('speech_coverage') > 0 && col('face_enough_data') > 0, 'coverage in the summary table');
      assert.deepEqual(
        table.slice(1).map((r) => r[col('face_enough_data')]),
        ['true', 'false', 'false'],
        'the sparse and the audio-only session lack face data',
      );
      const sessions = await svc.call('sessions.list', { clientId });
      for (const per of ['frame', 'window', 'segment'] as const) {
        const f = await svc.call('export.session', { sessionId: sessions[0].id, format: 'csv', per });
        assert.equal(f.fileName, `C-0042_session-${sessions[0].id}_2026-03-10_per-${per}.csv`);
        const lines = Buffer.from(f.base64, 'base64').toString('utf8').trim().split('\n');
        assert.ok(lines.length > (per === 'segment' ? 1 : 10), `${per}: ${lines.length} lines`);
      }
      const eaf = await svc.call('export.session', { sessionId: sessions[0].id, format: 'eaf' });
      assert.match(Buffer.from(eaf.base64, 'base64').toString('utf8'), /<ANNOTATION_DOCUMENT/);
      writeFileSync(path.join(dir, 'marker'), '');
      const { readdirSync } = await import('node:fs');
      assert.ok(!readdirSync(dir).includes('exports'), 'no exports folder was written beside the database');
    } finally {
      await svc.close();
      db.close();
    }
  },
);
