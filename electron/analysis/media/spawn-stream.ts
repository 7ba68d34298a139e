import { spawn } from 'node:child_process';
import { CancelledError } from './errors.js';

export interface StreamOptions {
  signal?: AbortSignal;
  /** Bytes per yielded chunk; the last chunk may be shorter (and is dropped when `exact`). */
  chunkBytes: number;
  /** Drop a trailing partial chunk (e.g. half a video frame). */
  exact?: boolean;
  /** Called with ffmpeg's stderr text when it exits non-zero. */
  describeFailure: (stderr: string, code: number | null) => Error;
}

/**
 * Run a process and yield its stdout in fixed-size chunks. Memory stays bounded:
 * the child is paused (via stream backpressure) while the consumer works on a chunk.
 * Each chunk is its own memory, never written again, so a consumer may hold several (media/read-ahead.ts does).
 */
export async function* streamProcess(cmd: string, args: string[], opts: StreamOptions): AsyncGenerator<Buffer> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    stderr = (stderr + d).slice(-8000);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  exited.catch(() => undefined);
  const onAbort = () => child.kill('SIGKILL');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for await (const data of child.stdout as AsyncIterable<Buffer>) {
      if (opts.signal?.aborted) throw new CancelledError();
      pending.push(data);
      pendingBytes += data.length;
      if (pendingBytes < opts.chunkBytes) continue;
      let all = Buffer.concat(pending, pendingBytes);
      let offset = 0;
      while (all.length - offset >= opts.chunkBytes) {
        yield all.subarray(offset, offset + opts.chunkBytes);
        offset += opts.chunkBytes;
        if (opts.signal?.aborted) throw new CancelledError();
      }
      all = all.subarray(offset);
      pending = all.length ? [Buffer.from(all)] : [];
      pendingBytes = all.length;
    }
    const code = await exited;
    if (opts.signal?.aborted) throw new CancelledError();
    if (code !== 0) throw opts.describeFailure(stderr, code);
    if (pendingBytes > 0 && !opts.exact) yield Buffer.concat(pending, pendingBytes);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** Run a process to completion and return its stdout as text. */
export function runToText(cmd: string, args: string[], signal?: AbortSignal): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-8000)));
    child.once('error', (err) => reject(err.name === 'AbortError' ? new CancelledError() : err));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
