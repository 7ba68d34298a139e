import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { judgeCoverage, unionSeconds, DEFAULT_COVERAGE_RULE } from '../electron/analysis/coverage.js';
import { dateDomain, dateMs, dateTicks, spreadPositions } from '../electron/contract/shared/date-axis.js';
import { contrastRatio, LABEL_COLORS, labelTextColor } from '../electron/contract/shared/labels.js';
import { parseMetadataDate } from '../electron/analysis/media/probe.js';
import { recordingDateProblem } from '../electron/api/recording-date.js';
import { parseMediaRequest } from '../electron/main/media-request.js';
import { parseSaveRequest, saveExportFile } from '../electron/main/save-file.js';
import type { AnalysisSummary } from '../electron/analysis/result.js';
import { intervalAt, layoutMarks } from '../renderer/src/components/timeline/lane-marks.js';
import { clampView, clockLabel, revealTime, ticks, timeAt, xOf, zoomView } from '../renderer/src/components/timeline/time-view.js';
import { canPlayNatively, playbackTarget } from '../renderer/src/components/playability.js';
import { REPO_ROOT } from './helpers/paths.js';

const summary = (face: Partial<AnalysisSummary['face']>, voice: Partial<AnalysisSummary['voice']> = {}): AnalysisSummary => ({
  session: { id: 1, file: 'x.mp4', durationS: 60 },
  face: { framesAnalysed: 120, framesWithFace: 120, framesAbstained: 0, majority: 'happy', distribution: { happy: 1 }, ...face },
  voice: { windows: 58, voicedWindows: 40, majority: 'calm', distribution: { calm: 1 }, meanProbs: { calm: 0.7, sad: 0.3 }, ...voice },
  fused: { label: 'happy', confidence: 0.5, rule: 'r', weights: { face: 0.7, voice: 0.4 } },
  models: [],
  warnings: [],
  elapsedS: 1,
  note: 'n',
});

test('coverage: union of overlapping windows; a face in 5 of 13 frames or one false detection is "too little data"', () => {
  assert.equal(
    unionSeconds([
      [0, 3],
      [1, 4],
      [10, 13],
      [12, 13],
    ]),
    7,
  );
  assert.equal(unionSeconds([]), 0);
  const issueCase = judgeCoverage(summary({ framesAnalysed: 13, framesWithFace: 5, majority: 'happy' }), 30);
  assert.equal(issueCase.face.enough, false);
  assert.match(issueCase.face.why!, /too little data: a face in 5 of 13 frames \(38 %\); needs at least 10 frames and 20 %/);
  const cartoon = judgeCoverage(summary({ framesAnalysed: 8, framesWithFace: 1, majority: 'sad' }), 0, DEFAULT_COVERAGE_RULE);
  assert.equal(cartoon.face.enough, false);
  assert.equal(cartoon.voice.why, 'too little data: windows with speech cover 0 s of 60 s (0 %); needs at least 5 s and 10 %');
  assert.equal(cartoon.fused.label, null);
  // Enough face, too little speech: the fused estimate comes from the face alone.
  const faceOnly = judgeCoverage(summary({ meanProbs: { happy: 0.6, sad: 0.4 } }), 2);
  assert.deepEqual(faceOnly.fused.tracks, ['face']);
  assert.equal(faceOnly.fused.label, 'happy');
  assert.ok(Math.abs(faceOnly.fused.confidence! - 0.6) < 1e-9);
  const both = judgeCoverage(summary({}), 40);
  assert.deepEqual(both.fused, { label: 'happy', confidence: 0.5, tracks: ['face', 'voice'] });
  assert.equal(
    judgeCoverage(summary({ framesAnalysed: 0, framesWithFace: 0, majority: null, reason: 'no video stream' }), 40).face.why,
    'no video stream',
  );
});

test('recording dates: metadata dates parsed with their zone, placeholders and future dates ignored; user dates validated', () => {
  assert.equal(parseMetadataDate('2023-02-03T21:48:14.000000Z'), '2023-02-03T21:48:14.000Z');
  assert.equal(parseMetadataDate('2023-02-03T13:48:14-0800'), '2023-02-03T21:48:14.000Z', 'QuickTime creationdate with its offset');
  assert.equal(parseMetadataDate('1904-01-01T00:00:00Z'), null);
  assert.equal(parseMetadataDate('1970-01-01T00:00:00Z'), null);
  assert.equal(parseMetadataDate('2031-01-01T00:00:00Z', Date.parse('2026-12-01')), null);
  assert.equal(parseMetadataDate('not a date'), null);
  assert.equal(recordingDateProblem('2023-02-03', '2026-12-01'), null);
  assert.match(recordingDateProblem('2030-01-01', '2026-12-01')!, /in the future/);
  assert.match(recordingDateProblem('2023-02-29', '2026-12-01')!, /not a calendar day/);
  assert.match(recordingDateProblem('1899-12-31', '2026-12-01')!, /before 1900/);
  assert.match(recordingDateProblem('3 Feb 2023', '2026-12-01')!, /not a date/);
});

test('date axis: time-proportional, ticks at true dates, none in the future; same-day bars side by side', () => {
  const dates = ['2023-02-03', '2023-02-10', '2023-06-01'].map(dateMs);
  const [lo, hi] = dateDomain(dates);
  assert.ok(lo < dates[0] && hi > dates[2]);
  // A week apart is closer than four months apart.
  const x = (ms: number) => (ms - lo) / (hi - lo);
  assert.ok(x(dates[1]) - x(dates[0]) < (x(dates[2]) - x(dates[1])) / 10);
  const t = dateTicks(lo, hi, 6);
  assert.ok(t.length >= 3 && t.length <= 7, t.map((k) => k.label).join(' | '));
  assert.equal(t[0].label, 'Feb 2023');
  assert.ok(t.every((k) => k.ms >= lo && k.ms <= hi && new Date(k.ms).getUTCDate() === 1));
  assert.ok(dateTicks(lo, Date.parse('2027-06-01'), 6, Date.parse('2026-12-01')).every((k) => k.ms <= Date.parse('2026-12-01')));
  assert.deepEqual(spreadPositions([100, 100, 300, 105], 18), [100, 118, 300, 136]);
});

test('timeline view: zoom keeps the anchor in place, views stay inside the recording, ticks at true positions', () => {
  const d = 3600;
  const v = zoomView({ start: 0, end: d }, 0.1, 1800, d);
  assert.ok(Math.abs(v.end - v.start - 360) < 1e-6);
  assert.ok(Math.abs((1800 - v.start) / (v.end - v.start) - 0.5) < 1e-9, 'the anchor stays at the same place on screen');
  assert.deepEqual(clampView({ start: -50, end: 10 }, d), { start: 0, end: 60 });
  assert.deepEqual(clampView({ start: 3590, end: 3591 }, d), { start: 3590, end: 3592 }, 'never narrower than 2 s');
  assert.deepEqual(clampView({ start: 3599, end: 3700 }, d), { start: 3499, end: 3600 }, 'never past the end');
  assert.deepEqual(revealTime({ start: 0, end: 100 }, 250, d), { start: 240, end: 340 });
  const { step, times } = ticks({ start: 0, end: 3600 }, 1200);
  assert.equal(step, 300);
  assert.deepEqual(times.slice(0, 3), [0, 300, 600]);
  for (const t of times) assert.ok(Math.abs(timeAt(xOf(t, { start: 0, end: 3600 }, 1200), { start: 0, end: 3600 }, 1200) - t) < 1e-9);
  assert.equal(clockLabel(3725), '1:02:05');
  assert.equal(clockLabel(65.5, 0.5), '1:05.5');
});

test('lane marks: one mark per estimate when there is room; zoomed out, one label per column, never a blend', () => {
  const items = Array.from({ length: 7200 }, (_, i) => ({
    start: i / 2,
    end: i / 2 + 0.5,
    label: i % 3 === 0 ? 'sad' : i % 7 === 0 ? null : 'happy',
    confidence: 0.8,
  }));
  const near = layoutMarks(items, { start: 0, end: 20 }, 1000);
  assert.equal(near.length, 40);
  assert.ok(near.every((m) => m.count === 1));
  const far = layoutMarks(items, { start: 0, end: 3600 }, 1200);
  assert.ok(far.length <= 600, `${far.length} marks for 1200 px`);
  assert.ok(
    far.every((m) => m.label === null || m.label === 'sad' || m.label === 'happy'),
    'each mark has one label of the data',
  );
  assert.ok(far.every((m) => m.counts && Object.values(m.counts).reduce((a, b) => a + b, 0) === m.count));
  assert.equal(intervalAt(items, 10.2)?.start, 10);
  assert.equal(intervalAt([{ start: 0, end: 1 }], 5, 1), null);
});

test('label colours: colour-blind-safe set, all distinct, text on each at least 4.5:1', () => {
  const colors = Object.values(LABEL_COLORS);
  assert.equal(new Set(colors).size, colors.length);
  for (const [label, c] of Object.entries(LABEL_COLORS))
    assert.ok(contrastRatio(c, labelTextColor(label)) >= 4.5, `${label}: ${contrastRatio(c, labelTextColor(label)).toFixed(2)}`);
  assert.notEqual(LABEL_COLORS.neutral, '#c4c9cf', 'neutral is not the grey of uncertain');
});

test('save dialog (main process): plain file names with known extensions only; cancelled means nothing written', async () => {
  assert.throws(() => parseSaveRequest({ fileName: '../x.csv', base64: '' }), /not a plain file name/);
  assert.throws(() => parseSaveRequest({ fileName: 'x.exe', base64: '' }), /not exports/);
  assert.throws(() => parseSaveRequest({ fileName: 'x.csv', base64: 'not base64!' }), /not base64/);
  const written: Array<[string, string]> = [];
  const deps = (answer: { canceled: boolean; filePath?: string }) => ({
    defaultDir: '/home/u/Documents',
    showSaveDialog: async (o: { defaultPath: string; filters: Array<{ extensions: string[] }> }) => {
      assert.equal(o.defaultPath, path.join('/home/u/Documents', 'C-1_session-3_2023-02-03_per-window.csv'));
      assert.deepEqual(o.filters[0].extensions, ['csv']);
      return answer;
    },
    writeFile: async (f: string, data: Buffer) => void written.push([f, data.toString('utf8')]),
  });
  const req = { fileName: 'C-1_session-3_2023-02-03_per-window.csv', base64: Buffer.from('a,b\n1,2\n').toString('base64') };
  assert.equal(await saveExportFile(req, deps({ canceled: true })), null);
  assert.deepEqual(written, []);
  assert.equal(await saveExportFile(req, deps({ canceled: false, filePath: '/tmp/chosen' })), '/tmp/chosen.csv');
  assert.deepEqual(written, [['/tmp/chosen.csv', 'a,b\n1,2\n']]);
});

test('media requests: affect-media://session/<id>, optionally the playback copy', () => {
  assert.deepEqual(parseMediaRequest('affect-media://session/12'), { sessionId: 12, variant: 'original' });
  assert.deepEqual(parseMediaRequest('affect-media://session/12?variant=playback'), { sessionId: 12, variant: 'playback' });
  assert.equal(parseMediaRequest('affect-media://session/../x'), null);
  assert.equal(parseMediaRequest('affect-media://other/1'), null);
});

test('playability: HEVC or an unknown codec needs a copy; H.264/AAC plays; the copy is H.264 where it plays, else VP9', () => {
  const chromium = { canPlayType: (t: string) => (/hvc1|hev1|quicktime/.test(t) ? '' : 'probably') as CanPlayTypeResult };
  const media = (videoCodec: string | null, audioCodec: string | null) => ({
    hasVideo: videoCodec !== null,
    hasAudio: audioCodec !== null,
    width: 1,
    height: 1,
    videoCodec,
    audioCodec,
    format: 'mov',
  });
  assert.equal(canPlayNatively(media('hevc', 'aac'), chromium), false);
  assert.equal(canPlayNatively(media('h264', 'aac'), chromium), true);
  assert.equal(canPlayNatively(media('prores', 'pcm_s16le'), chromium), false);
  assert.equal(canPlayNatively(media(null, 'mp3'), chromium), true);
  assert.equal(playbackTarget(chromium), 'h264');
  assert.equal(playbackTarget({ canPlayType: (t: string) => (/avc1/.test(t) ? '' : 'maybe') as CanPlayTypeResult }), 'vp9');
});

test('affect <command> --help prints that command’s usage and exits 0 (affect dass --help was an error)', () => {
  for (const cmd of ['dass', 'analyze', 'export']) {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/affect.mjs'), cmd, '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`affect ${cmd} `));
    assert.equal(r.stderr, '');
  }
});
