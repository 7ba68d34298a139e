/**
 * One input tensor's memory, reused from model run to model run instead of allocating one per run (a long recording
 * makes thousands of runs; each fresh buffer is external memory that brings V8's next full garbage collection nearer).
 * `use(n, run)` lends the first `n` values for the duration of `run`; a call made while the buffer is lent (two runs
 * in flight at once) gets a fresh array, so overlapping callers never share memory.
 */
export class ReusableInput {
  private buffer = new Float32Array(0);
  private lent = false;

  async use<T>(n: number, run: (input: Float32Array) => Promise<T>): Promise<T> {
    if (this.lent) return run(new Float32Array(n));
    if (this.buffer.length < n) this.buffer = new Float32Array(n);
    this.lent = true;
    try {
      // A view from the buffer's first byte: onnxruntime reads `n` values from its start.
      return await run(this.buffer.subarray(0, n));
    } finally {
      this.lent = false;
    }
  }
}
