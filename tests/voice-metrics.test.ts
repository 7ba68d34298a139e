import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classificationReport, confusionMatrix, formatReport } from '../electron/analysis/metrics.js';

const close = (a: number, b: number, msg?: string) => assert.ok(Math.abs(a - b) < 1e-12, `${msg ?? ''} ${a} != ${b}`);

test('confusion matrix: rows are true labels, columns predicted', () => {
  const cm = confusionMatrix(['a', 'b', 'c'], ['a', 'a', 'b', 'c', 'c', 'c'], ['a', 'b', 'b', 'c', 'a', 'c']);
  assert.deepEqual(cm.matrix, [
    [1, 1, 0],
    [0, 1, 0],
    [1, 0, 2],
  ]);
});

test('hand-worked 3-class report', () => {
  // true a: 4 (3 right, 1 → b); true b: 2 (both right); true c: 4 (1 right, 2 → a, 1 → b)
  const truth = ['a', 'a', 'a', 'a', 'b', 'b', 'c', 'c', 'c', 'c'];
  const pred = ['a', 'a', 'a', 'b', 'b', 'b', 'c', 'a', 'a', 'b'];
  const r = classificationReport(['a', 'b', 'c'], truth, pred);
  assert.equal(r.n, 10);
  close(r.accuracy, 6 / 10);
  // recall: a 3/4, b 2/2, c 1/4 ; precision: a 3/5, b 2/4, c 1/1
  close(r.perClass.a.recall, 0.75);
  close(r.perClass.b.recall, 1);
  close(r.perClass.c.recall, 0.25);
  close(r.perClass.a.precision, 0.6);
  close(r.perClass.b.precision, 0.5);
  close(r.perClass.c.precision, 1);
  const f1 = (p: number, q: number) => (2 * p * q) / (p + q);
  close(r.perClass.a.f1, f1(0.6, 0.75));
  close(r.perClass.b.f1, f1(0.5, 1));
  close(r.perClass.c.f1, f1(1, 0.25));
  close(r.uar, (0.75 + 1 + 0.25) / 3);
  close(r.macroF1, (f1(0.6, 0.75) + f1(0.5, 1) + f1(1, 0.25)) / 3);
  assert.deepEqual(r.perClass.c.n, 4);
  assert.deepEqual(r.confusion.matrix, [
    [3, 1, 0],
    [0, 2, 0],
    [2, 1, 1],
  ]);
});

test('classes without true examples are left out of UAR and macro-F1 but kept in the table', () => {
  const r = classificationReport(['x', 'y', 'z'], ['x', 'x', 'y'], ['x', 'z', 'y']);
  close(r.uar, (0.5 + 1) / 2);
  assert.equal(r.perClass.z.n, 0);
  close(r.perClass.z.precision, 0); // predicted once, never right
  close(r.macroF1, ((2 * 1 * 0.5) / 1.5 + 1) / 2);
  close(r.accuracy, 2 / 3);
});

test('abstentions (null) count in support but as no hit', () => {
  const r = classificationReport(['p', 'q'], ['p', 'p', 'q', 'q'], ['p', null, 'q', null]);
  assert.equal(r.abstained, 2);
  close(r.accuracy, 0.5);
  close(r.perClass.p.recall, 0.5);
  close(r.perClass.p.precision, 1);
  assert.deepEqual(r.confusion.matrix, [
    [1, 0],
    [0, 1],
  ]);
});

test('perfect and all-wrong predictions', () => {
  const labels = ['neutral', 'happy', 'sad'];
  const perfect = classificationReport(labels, ['neutral', 'happy', 'sad'], ['neutral', 'happy', 'sad']);
  assert.equal(perfect.accuracy, 1);
  assert.equal(perfect.uar, 1);
  assert.equal(perfect.macroF1, 1);
  const wrong = classificationReport(labels, ['neutral', 'happy', 'sad'], ['happy', 'sad', 'neutral']);
  assert.equal(wrong.accuracy, 0);
  assert.equal(wrong.uar, 0);
  assert.equal(wrong.macroF1, 0);
});

test('unknown labels and length mismatch are errors, not guesses', () => {
  assert.throws(() => confusionMatrix(['a'], ['b'], ['a']), /true label "b"/);
  assert.throws(() => confusionMatrix(['a'], ['a'], ['b']), /predicted label "b"/);
  assert.throws(() => confusionMatrix(['a'], ['a', 'a'], ['a']), /2 items/);
  assert.throws(() => confusionMatrix(['a', 'a'], ['a'], ['a']), /duplicates/);
});

test('formatReport prints every class and the matrix', () => {
  const text = formatReport(classificationReport(['calm', 'angry'], ['calm', 'angry'], ['calm', 'calm']));
  assert.match(text, /accuracy 50\.0%/);
  assert.match(text, /^calm\s/m);
  assert.match(text, /^angry\s/m);
  assert.match(text, /confusion/);
});
