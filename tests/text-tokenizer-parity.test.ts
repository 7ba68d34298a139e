import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseCsv } from '../electron/analysis/csv.js';
import { TextEmotionModel } from '../electron/analysis/text/text-model.js';
import { tokenize } from '../electron/analysis/text/tokenizer.js';
import { REPO_ROOT, sharedPath, skipWithoutShared } from './helpers/paths.js';

/**
 * Written by native-models/text-glove-cnn/train/export.py from the Python tokenizer and the PyTorch network:
 * 300 GoEmotions dev texts (referred to by id and SHA-256, the texts stay in ../shared) with SHA-256 digests of their
 * tokens ("\n"-joined) and ids (","-joined) and, for every fifth, the logits; plus written strings (emoji sequences,
 * other scripts, very long text) with their tokens and ids in full.
 */
const FIXTURE = path.join(REPO_ROOT, 'tests/fixtures/text/text-glove-cnn-parity.json');
const MODEL_DIR = path.join(REPO_ROOT, 'native-models/text-glove-cnn');

interface Row {
  tokens: string[];
  ids: number[];
  logits?: number[];
}
const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
  vocabSha256: string;
  maxTokens: number;
  dev: Array<{ id: string; textSha256: string; tokensSha256: string; idsSha256: string; logits?: number[] }>;
  written: Array<Row & { text: string }>;
};
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

function devTexts(): Map<string, string> {
  const [head, ...rows] = parseCsv(readFileSync(sharedPath('goemotions', 'dev.csv'), 'utf8'));
  const id = head.indexOf('id');
  const text = head.indexOf('text');
  return new Map(rows.map((r) => [r[id], r[text]]));
}

type Expected = { text: string; label: string; logits?: number[] } & (
  { tokens: string[]; ids: number[] } | { tokensSha256: string; idsSha256: string }
);

async function checkRows(rows: Expected[]) {
  const model = await TextEmotionModel.load(MODEL_DIR, { threads: 1 });
  try {
    assert.equal(model.manifest.tokenizer.vocabSha256, fixture.vocabSha256, 'the fixture was written for this vocabulary');
    let compared = 0;
    for (const r of rows) {
      const tokens = tokenize(r.text, fixture.maxTokens);
      const ids = model.tokenIds(r.text);
      if ('tokens' in r) {
        assert.deepEqual(tokens, r.tokens, `tokens of ${r.label}`);
        assert.deepEqual(ids, r.ids, `ids of ${r.label}`);
      } else {
        assert.equal(sha256(tokens.join('\n')), r.tokensSha256, `tokens of ${r.label}: ${JSON.stringify(tokens)}`);
        assert.equal(sha256(ids.join(',')), r.idsSha256, `ids of ${r.label}`);
      }
    }
    const withLogits = rows.filter((r) => r.logits);
    const logits = await model.logits(withLogits.map((r) => model.tokenIds(r.text)));
    withLogits.forEach((r, i) => {
      const worst = Math.max(...r.logits!.map((v, c) => Math.abs(v - logits[i][c])));
      assert.ok(worst < 2e-3, `logits of ${r.label} differ by ${worst}`);
      compared++;
    });
    return compared;
  } finally {
    await model.release();
  }
}

test('tokenizer and network parity on written strings: emoji sequences, other scripts, markup, a 500-word text', async () => {
  assert.ok(
    fixture.written.some((w) => w.tokens.length === fixture.maxTokens),
    'a text longer than maxTokens is among them',
  );
  const compared = await checkRows(fixture.written.map((w) => ({ ...w, label: JSON.stringify(w.text.slice(0, 40)) })));
  assert.ok(compared >= 10);
});

test(
  'tokenizer and network parity on 300 real GoEmotions dev texts (emoji, non-ASCII, the longest ones)',
  { skip: skipWithoutShared('goemotions') },
  async () => {
    assert.ok(existsSync(sharedPath('goemotions', 'dev.csv')));
    const texts = devTexts();
    const rows = fixture.dev.map((d) => {
      const text = texts.get(d.id);
      assert.ok(text !== undefined, `dev id ${d.id} not in dev.csv`);
      assert.equal(sha256(text!), d.textSha256, `dev text ${d.id} changed`);
      return { ...d, text, label: `dev ${d.id}` };
    });
    assert.equal(rows.length, 300);
    assert.ok(rows.filter((r) => /[^\p{ASCII}]/u.test(r.text)).length >= 100, 'non-ASCII texts are well represented');
    const compared = await checkRows(rows);
    assert.equal(compared, 60);
  },
);
