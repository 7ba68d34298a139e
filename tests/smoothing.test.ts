import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flickerRate, smoothProbabilities } from '../electron/analysis/smoothing.js';

const p = (...v: number[]) => Float32Array.from(v);

test('moving average over neighbours with probabilities; gaps are never bridged', () => {
  const out = smoothProbabilities([p(1, 0), p(0, 1), p(1, 0), null, p(0, 1)], 1);
  assert.deepEqual(Array.from(out[0]!), [0.5, 0.5]);
  assert.deepEqual(
    Array.from(out[1]!).map((x) => +x.toFixed(4)),
    [0.6667, 0.3333],
  );
  assert.deepEqual(Array.from(out[2]!), [0.5, 0.5], 'the null on the right is not averaged in');
  assert.equal(out[3], null);
  assert.deepEqual(Array.from(out[4]!), [0, 1], 'an isolated frame keeps its own probabilities');
  assert.deepEqual(smoothProbabilities([p(1, 0)], 0), [p(1, 0)]);
});

test('flicker rate counts label changes between consecutive labelled frames', () => {
  assert.equal(flickerRate(['a', 'a', 'b', null, 'b', 'a']), 2 / 4);
  assert.equal(flickerRate(['a', 'a', 'a']), 0);
  assert.equal(flickerRate(['a', null]), null);
});
