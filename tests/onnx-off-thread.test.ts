import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { openOnnxModel } from '../electron/analysis/models/onnx-runtime.js';
import { REPO_ROOT } from './helpers/paths.js';

const FACE_CNN = path.join(REPO_ROOT, 'native-models/face-cnn/model.onnx');
const SILERO = path.join(REPO_ROOT, 'native-models/silero-vad');

function noise(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 8) / 2 ** 24 - 0.5;
  }
  return out;
}

/** How many times the event loop turned while `work` was pending. */
async function turnsDuring(work: Promise<unknown>): Promise<number> {
  let turns = 0;
  let done = false;
  const spin = () => {
    if (done) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  await work;
  done = true;
  return turns;
}

test('a session on its own thread gives the same outputs as one on this thread, and leaves this thread free while it runs', async () => {
  const here = await openOnnxModel(FACE_CNN, { threads: 1 });
  const there = await openOnnxModel(FACE_CNN, { threads: 1, offThread: true });
  try {
    assert.deepEqual(there.inputNames, here.inputNames);
    assert.deepEqual(there.outputNames, here.outputNames);
    const input = { input: { data: noise(32 * 48 * 48, 7), dims: [32, 1, 48, 48] } };
    const a = await here.run(input);
    const b = await there.run(input);
    assert.deepEqual(b.logits.dims, a.logits.dims);
    assert.deepEqual(Array.from(b.logits.data), Array.from(a.logits.data), 'bit-identical logits');
    // onnxruntime-node runs inference synchronously on the calling thread: nothing else happens there meanwhile.
    assert.ok((await turnsDuring(here.run(input))) <= 2);
    assert.ok((await turnsDuring(there.run(input))) > 10, 'the event loop kept turning during an off-thread run');
    // Requests in flight together are answered, each with its own result.
    const inputs = [1, 2, 3].map((seed) => ({ input: { data: noise(4 * 48 * 48, seed), dims: [4, 1, 48, 48] } }));
    const together = await Promise.all(inputs.map((x) => there.run(x)));
    for (let i = 0; i < inputs.length; i++)
      assert.deepEqual(Array.from(together[i].logits.data), Array.from((await here.run(inputs[i])).logits.data));
  } finally {
    await here.release();
    await there.release();
  }
  await assert.rejects(there.run({ input: { data: new Float32Array(48 * 48), dims: [1, 1, 48, 48] } }), /inference thread/);
});

test('an off-thread session reports a bad model file or a bad input with the model path, and stays usable after a bad input', async () => {
  await assert.rejects(openOnnxModel(path.join(SILERO, 'manifest.json'), { offThread: true }), (e: Error) => e.message.includes('manifest.json'));
  const model = await openOnnxModel(FACE_CNN, { threads: 1, offThread: true });
  try {
    await assert.rejects(model.run({ nope: { data: new Float32Array(4), dims: [1, 4] } }), (e: Error) => e.message.includes('face-cnn'));
    const ok = await model.run({ input: { data: noise(48 * 48, 1), dims: [1, 1, 48, 48] } });
    assert.equal(ok.logits.data.length, 7);
  } finally {
    await model.release();
  }
});
