import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { parseCsv } from '../electron/analysis/csv.js';
import { runDass } from '../electron/cli/commands/dass.js';
import type { CliIO } from '../electron/cli/io.js';
import { REPO_ROOT, sharedPath, skipWithoutShared, tempDir } from './helpers/paths.js';

function captureIO(): { io: CliIO; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c) => (o += String(c)));
  stderr.on('data', (c) => (e += String(c)));
  return { io: { stdout, stderr, signal: new AbortController().signal, interactive: false }, out: () => o, err: () => e };
}

const HEADER = ['id', ...Array.from({ length: 21 }, (_, i) => `q${i + 1}`)].join(',');
const row = (id: string, answers: (number | string)[]) => [id, ...answers].join(',');

test('score: hand-worked rows, with quoted fields, CRLF, a BOM, a prorated and an incomplete row', async () => {
  const dir = tempDir();
  const input = path.join(dir, 'in.csv');
  const all1 = Array.from({ length: 21 }, () => 1);
  const oneMissing = all1.map((v, i) => (i === 20 ? '' : v)); // item 21 (depression) missing
  const twoMissing = all1.map((v, i) => (i === 0 || i === 5 ? '' : v)); // items 1 and 6 (stress) missing
  const text = '\ufeff' + [HEADER, row('"client, A"', all1), row('"B ""2"""', oneMissing), row('C', twoMissing)].join('\r\n') + '\r\n';
  writeFileSync(input, text);
  const outFile = path.join(dir, 'out.csv');
  const cap = captureIO();
  assert.equal(await runDass(['score', '--csv', input, '--out', outFile], cap.io), 0, cap.err());
  assert.equal(cap.out(), '', 'with --out nothing goes to stdout');
  const rows = parseCsv(readFileSync(outFile, 'utf8'));
  assert.deepEqual(rows[0], ['id', 'depression', 'anxiety', 'stress', 'depressionBand', 'anxietyBand', 'stressBand', 'complete']);
  // All 1: each subscale 2 × 7 = 14 → depression moderate (14-20), anxiety moderate (10-14), stress normal (0-14).
  assert.deepEqual(rows[1], ['client, A', '14', '14', '14', 'moderate', 'moderate', 'normal', 'true']);
  // Depression six items of 1 → sum 6 → round(14) = 14.
  assert.deepEqual(rows[2], ['B "2"', '14', '14', '14', 'moderate', 'moderate', 'normal', 'true']);
  assert.deepEqual(rows[3], ['C', '14', '14', '', 'moderate', 'moderate', '', 'false']);
  assert.match(cap.err(), /prorated.*B "2" depression \(item 21 missing\)/);
  assert.match(cap.err(), /no score.*C stress \(items 1, 6 missing\)/);
});

test('score without --out writes CSV to stdout', async () => {
  const input = path.join(tempDir(), 'in.csv');
  writeFileSync(
    input,
    [
      HEADER,
      row(
        'x',
        Array.from({ length: 21 }, () => 3),
      ),
    ].join('\n'),
  );
  const cap = captureIO();
  assert.equal(await runDass(['score', '--csv', input], cap.io), 0);
  assert.equal(
    cap.out(),
    'id,depression,anxiety,stress,depressionBand,anxietyBand,stressBand,complete\nx,42,42,42,extremely severe,extremely severe,extremely severe,true\n',
  );
});

test('invalid answers: every problem named by row id and item, exit 1, nothing written', async () => {
  const dir = tempDir();
  const input = path.join(dir, 'bad.csv');
  const ok = Array.from({ length: 21 }, () => 0);
  const bad1 = ok.map((v, i) => (i === 3 ? 4 : v));
  const bad2 = ok.map((v, i) => (i === 9 ? '1.5' : i === 10 ? 'a' : v));
  const bad3 = ok.map((v, i) => (i === 20 ? -1 : v));
  writeFileSync(input, [HEADER, row('good', ok), row('r-1', bad1), row('r-2', bad2), row('r-3', bad3)].join('\n'));
  const outFile = path.join(dir, 'out.csv');
  const cap = captureIO();
  assert.equal(await runDass(['score', '--csv', input, '--out', outFile], cap.io), 1);
  const err = cap.err();
  assert.match(err, /row "r-1" \(line 3\), item 4 \(column q4\): "4"/);
  assert.match(err, /row "r-2" \(line 4\), item 10 \(column q10\): "1.5"/);
  assert.match(err, /row "r-2" \(line 4\), item 11 \(column q11\): "a"/);
  assert.match(err, /row "r-3" \(line 5\), item 21 \(column q21\): "-1"/);
  assert.match(err, /4 problem\(s\) found; nothing was scored or written/);
  assert.equal(existsSync(outFile), false);
  assert.equal(cap.out(), '');
});

test('malformed files: missing columns, ragged rows, duplicate ids, unclosed quotes, absent file', async () => {
  const dir = tempDir();
  const cases: [string, RegExp][] = [
    ['id,q1,q2\nA,1,2\n', /missing column\(s\) q3, q4/],
    [`${HEADER}\nA,1,2,3\n`, /row "A" \(line 2\): 4 cells, the header has 22/],
    [`${HEADER}\n${row('A', Array(21).fill(0))}\n${row('A', Array(21).fill(1))}\n`, /row "A" \(line 3\): id "A" already used on line 2/],
    [`${HEADER}\n"A,${Array(21).fill(0).join(',')}\n`, /quoted field is never closed/],
  ];
  for (const [text, expected] of cases) {
    const input = path.join(dir, 'x.csv');
    writeFileSync(input, text);
    const cap = captureIO();
    assert.equal(await runDass(['score', '--csv', input], cap.io), 1, text);
    assert.match(cap.err(), expected);
    assert.equal(cap.out(), '');
  }
  const cap = captureIO();
  assert.equal(await runDass(['score', '--csv', path.join(dir, 'absent.csv')], cap.io), 1);
  assert.match(cap.err(), /cannot read .*absent\.csv: ENOENT/);
  await assert.rejects(runDass(['score'], captureIO().io), /--csv <in.csv> is required/);
  await assert.rejects(runDass(['frobnicate'], captureIO().io), /unknown dass subcommand/);
});

test('estimate: labelled estimates for unscorable subscales only', async () => {
  const input = path.join(tempDir(), 'in.csv');
  const base = [2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2];
  const blank = (items: number[]) => base.map((v, i) => (items.includes(i + 1) ? '' : v));
  writeFileSync(
    input,
    [
      HEADER,
      row('complete', base),
      row('dep5', blank([3, 5, 10, 13, 16])),
      row('dep2', blank([3, 5])),
      row('anx7', blank([2, 4, 7, 9, 15, 19, 20])),
    ].join('\n'),
  );
  const cap = captureIO();
  assert.equal(await runDass(['estimate', '--csv', input], cap.io), 0, cap.err());
  const rows = parseCsv(cap.out());
  assert.deepEqual(rows[0], ['id', 'subscale', 'missingItems', 'estimatedBand', 'voteShare', 'status']);
  const byId = new Map(rows.slice(1).map((r) => [`${r[0]}/${r[1]}`, r]));
  assert.equal(byId.size, 3, 'the complete row and scorable subscales are not listed');
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'native-models/dass-severity-rf/manifest.json'), 'utf8')) as {
    shippedFor: Record<string, number[]>;
  };
  for (const [key, subscale, k] of [
    ['dep5/depression', 'depression', 5],
    ['dep2/depression', 'depression', 2],
    ['anx7/anxiety', 'anxiety', 7],
  ] as const) {
    const r = byId.get(key)!;
    assert.equal(r[2], String(k));
    if (manifest.shippedFor[subscale].includes(k)) {
      assert.ok(['normal', 'mild', 'moderate', 'severe', 'extremely severe'].includes(r[3]), key);
      assert.ok(Number(r[4]) > 0 && Number(r[4]) <= 1);
      assert.match(r[5], /^ESTIMATE/);
    } else {
      assert.equal(r[3], '');
      assert.match(r[5], /^no estimate/);
    }
  }
  assert.match(cap.err(), /ESTIMATES.*not DASS scores, not a diagnosis/);
});

test('`affect dass` is reachable through bin/affect.mjs', () => {
  const input = path.join(tempDir(), 'in.csv');
  writeFileSync(
    input,
    [
      HEADER,
      row(
        'p',
        Array.from({ length: 21 }, () => 0),
      ),
    ].join('\n'),
  );
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/affect.mjs'), 'dass', 'score', '--csv', input], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^id,depression,.*\np,0,0,0,normal,normal,normal,true\n$/s);
});

// ---- all 4,000 shared respondents: CLI scores vs an independent recomputation from the DASS-42 answers

/** DASS-21 item → DASS-42 item (SOURCE.txt, "Codebook: dass21.csv"). */
const MAP_21_TO_42 = [22, 2, 3, 4, 42, 6, 41, 12, 40, 10, 39, 8, 26, 35, 28, 31, 17, 18, 25, 20, 38];
const KEY21 = { depression: [3, 5, 10, 13, 16, 17, 21], anxiety: [2, 4, 7, 9, 15, 19, 20], stress: [1, 6, 8, 11, 12, 14, 18] };
/** Upper bound (inclusive) of normal, mild, moderate, severe; written out again here on purpose. */
const UPPER = { depression: [9, 13, 20, 27], anxiety: [7, 9, 14, 19], stress: [14, 18, 25, 33] };
const NAMES = ['normal', 'mild', 'moderate', 'severe', 'extremely severe'];
const independentBand = (s: keyof typeof UPPER, score: number) => NAMES[UPPER[s].filter((u) => score > u).length];

test(
  'all 4,000 shared DASS-21 rows scored by the CLI match a recomputation from dass42.csv',
  { skip: skipWithoutShared('dass/dass42.csv') },
  async () => {
    const dir = tempDir();
    const [h21, ...r21] = parseCsv(readFileSync(sharedPath('dass', 'dass21.csv'), 'utf8'));
    assert.equal(h21[0], 'respondent_id');
    const input = path.join(dir, 'dass21-as-input.csv');
    writeFileSync(input, [HEADER, ...r21.map((r) => r.join(','))].join('\n') + '\n');
    const outFile = path.join(dir, 'scores.csv');
    const cap = captureIO();
    assert.equal(await runDass(['score', '--csv', input, '--out', outFile], cap.io), 0, cap.err());
    const [outHeader, ...scored] = parseCsv(readFileSync(outFile, 'utf8'));
    assert.equal(outHeader.length, 8);
    assert.equal(scored.length, 4000);

    const [h42, ...r42] = parseCsv(readFileSync(sharedPath('dass', 'dass42.csv'), 'utf8'));
    const itemCol = (n: number) => h42.indexOf(`item${n}`);
    const expected = new Map(
      r42.map((r) => {
        const scores = (['depression', 'anxiety', 'stress'] as const).map(
          (s) => 2 * KEY21[s].reduce((sum, i21) => sum + Number(r[itemCol(MAP_21_TO_42[i21 - 1])]), 0),
        );
        return [r[0], scores];
      }),
    );
    let bandsSeen = new Set<string>();
    for (const r of scored) {
      const e = expected.get(r[0]);
      assert.ok(e, `respondent ${r[0]} is in dass42.csv`);
      assert.deepEqual(r.slice(1, 4).map(Number), e, r[0]);
      assert.deepEqual(r.slice(4, 7), [independentBand('depression', e[0]), independentBand('anxiety', e[1]), independentBand('stress', e[2])], r[0]);
      assert.equal(r[7], 'true');
      bandsSeen = new Set([...bandsSeen, ...r.slice(4, 7)]);
    }
    assert.equal(bandsSeen.size, 5, 'every band occurs in the real data');
  },
);
