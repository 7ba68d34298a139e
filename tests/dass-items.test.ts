import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { canonicalTexts, DASS21_DATA_DIR, loadDass21Items } from '../electron/analysis/dass/items.js';
import { SUBSCALE_ITEMS } from '../electron/contract/shared/dass-score.js';
import { sharedPath, skipWithoutShared } from './helpers/paths.js';

// Pinned: sha256 of the canonical texts (instructions, scale, items) of data/dass21/items.json. Changing
// any character of the questionnaire changes this; the DASS must not be altered.
const PINNED_TEXTS_SHA256 = '7c975af7b5aeea406ec8cdb0879e4e1be0c421d59f5ae49c105b2fc86ccf500c';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

test('items.json: texts match the pinned sha256, and the file states the same digest', () => {
  const items = loadDass21Items();
  assert.equal(sha256(canonicalTexts(items)), PINNED_TEXTS_SHA256);
  assert.equal(items.textsSha256, PINNED_TEXTS_SHA256);
  assert.equal(items.items.length, 21);
  assert.deepEqual(
    items.scale.map((s) => s.value),
    [0, 1, 2, 3],
  );
});

test('items.json credits the DASS website and Lovibond & Lovibond (1995)', () => {
  const items = loadDass21Items();
  assert.equal(items.source.website, 'http://www2.psy.unsw.edu.au/dass/');
  assert.match(items.source.credit, /Lovibond/);
  assert.match(items.source.credit, /1995/);
  assert.match(items.source.terms, /not be modified/);
});

test('the subscale of every item agrees with the scoring key', () => {
  const items = loadDass21Items();
  const code = { depression: 'D', anxiety: 'A', stress: 'S' } as const;
  for (const [subscale, numbers] of Object.entries(SUBSCALE_ITEMS) as [keyof typeof code, readonly number[]][])
    for (const n of numbers) assert.equal(items.items[n - 1].subscale, code[subscale], `item ${n}`);
});

test(
  'instructions, scale labels and item texts are byte-identical to the shared dass21-items.json',
  { skip: skipWithoutShared('dass/dass21-items.json') },
  () => {
    const shared = JSON.parse(readFileSync(sharedPath('dass', 'dass21-items.json'), 'utf8')) as {
      instructions: string;
      scale: { value: number; label: string }[];
      items: { number: number; text: string; subscale: string }[];
    };
    const ours = JSON.parse(readFileSync(path.join(DASS21_DATA_DIR, 'items.json'), 'utf8')) as typeof shared;
    assert.equal(Buffer.compare(Buffer.from(ours.instructions, 'utf8'), Buffer.from(shared.instructions, 'utf8')), 0, 'instructions');
    assert.deepEqual(ours.scale, shared.scale);
    assert.equal(ours.items.length, shared.items.length);
    ours.items.forEach((item, i) => {
      assert.equal(item.number, shared.items[i].number);
      assert.equal(Buffer.compare(Buffer.from(item.text, 'utf8'), Buffer.from(shared.items[i].text, 'utf8')), 0, `item ${item.number} text`);
      assert.equal(item.subscale, shared.items[i].subscale, `item ${item.number} subscale`);
    });
    assert.equal(sha256(canonicalTexts(shared)), PINNED_TEXTS_SHA256);
  },
);
