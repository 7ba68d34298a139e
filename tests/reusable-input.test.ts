import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReusableInput } from '../electron/analysis/models/input-buffer.js';

test('a reusable input lends the same memory to runs one after another, and separate memory to overlapping runs', async () => {
  const input = new ReusableInput();
  const first = await input.use(100, async (a) => a);
  const second = await input.use(60, async (a) => a);
  assert.equal(first.length, 100);
  assert.equal(second.length, 60);
  assert.equal(second.buffer, first.buffer, 'a later, smaller run reuses the buffer');
  assert.equal(second.byteOffset, 0, 'views start at the buffer start');

  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const outer = input.use(10, async (a) => {
    a.fill(7);
    await gate;
    return Array.from(a);
  });
  const inner = await input.use(10, async (b) => {
    b.fill(3); // must not touch the array lent to the run still in flight
    return b;
  });
  release();
  assert.deepEqual(await outer, Array(10).fill(7));
  assert.notEqual(inner.buffer, first.buffer);

  await assert.rejects(
    input.use(5, async () => {
      throw new Error('model failed');
    }),
    /model failed/,
  );
  assert.equal((await input.use(5, async (a) => a)).buffer, first.buffer, 'a failed run hands the buffer back');
});
