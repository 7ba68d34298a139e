/**
 * Pull up to `depth` items from `source` ahead of the consumer, so the producer (an ffmpeg decoder behind a pipe)
 * keeps working while the consumer (the face models) works on the current item, instead of both taking turns.
 * Items must stay valid after the next one is pulled (streamProcess's chunks do: each is its own memory).
 * Memory: at most `depth` + 1 items. Errors reach the consumer in order, after the items before them; when the
 * consumer stops early, the source is closed (which ends its process).
 */
export async function* readAhead<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  if (!(Number.isInteger(depth) && depth >= 1)) throw new Error(`read-ahead depth must be a whole number ≥ 1, got ${depth}`);
  const it = source[Symbol.asyncIterator]();
  const queue: Array<Promise<IteratorResult<T>>> = [];
  let done = false;
  // Each pull starts when the previous one has settled (an async generator serves next() calls in order anyway).
  let last: Promise<unknown> = Promise.resolve();
  const fill = () => {
    while (!done && queue.length < depth) {
      const p = last.then(() => it.next());
      p.then(
        (r) => (r.done ? (done = true) : undefined),
        () => (done = true),
      );
      p.catch(() => undefined); // handled when the consumer reaches it
      queue.push(p);
      last = p.catch(() => undefined);
    }
  };
  let finished = false;
  try {
    fill();
    while (queue.length > 0) {
      const r = await queue.shift()!;
      if (r.done) {
        finished = true;
        return;
      }
      fill();
      yield r.value;
    }
    finished = true;
  } finally {
    if (!finished) {
      queue.length = 0;
      await last;
      await it.return?.();
    }
  }
}
