/**
 * One async stream read once and seen whole by `n` consumers (the engine's one audio decode feeds the voice track and
 * the speaker finder). The source is read as fast as the fastest branch asks, but never more than `maxAhead` items
 * ahead of the slowest branch still reading: memory is at most `maxAhead` + 1 items whatever the stream's length. A
 * branch that stops early no longer holds the others back; when every branch has stopped, the source is closed. An
 * error of the source reaches every branch after the items before it. Branches must not wait for one another's output.
 */
export function tee<T>(source: AsyncIterable<T>, n: number, maxAhead: number): AsyncGenerator<T>[] {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`tee needs a whole number of branches ≥ 1, got ${n}`);
  if (!(Number.isInteger(maxAhead) && maxAhead >= 1)) throw new Error(`tee's maxAhead must be a whole number ≥ 1, got ${maxAhead}`);
  const it = source[Symbol.asyncIterator]();
  const buffer: T[] = [];
  let base = 0; // the stream index of buffer[0]
  const position = new Array<number>(n).fill(0);
  const reading = new Array<boolean>(n).fill(true);
  let ended = false;
  let failure: { error: unknown } | null = null;
  let pulling: Promise<void> | null = null;
  let waiting: Array<() => void> = [];
  const wake = () => {
    const w = waiting;
    waiting = [];
    for (const f of w) f();
  };
  const slowest = () => Math.min(...position.filter((_, i) => reading[i]));
  const trim = () => {
    const keepFrom = Math.min(slowest(), base + buffer.length);
    if (keepFrom > base) {
      buffer.splice(0, keepFrom - base);
      base = keepFrom;
    }
  };
  const pull = () =>
    (pulling ??= (async () => {
      try {
        const r = await it.next();
        if (r.done) ended = true;
        else buffer.push(r.value);
      } catch (error) {
        failure = { error };
      } finally {
        pulling = null;
        wake();
      }
    })());
  async function* branch(i: number): AsyncGenerator<T> {
    try {
      for (;;) {
        const k = position[i];
        if (k < base + buffer.length) {
          const item = buffer[k - base];
          position[i]++;
          trim();
          wake();
          yield item;
        } else if (failure) throw failure.error;
        else if (ended) return;
        else if (k - slowest() >= maxAhead) await new Promise<void>((resolve) => waiting.push(resolve));
        else await pull();
      }
    } finally {
      reading[i] = false;
      trim();
      wake();
      if (reading.every((r) => !r) && !ended && !failure) await it.return?.();
    }
  }
  return Array.from({ length: n }, (_, i) => branch(i));
}
