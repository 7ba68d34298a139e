import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { CancelledError } from './errors.js';

export interface StreamOptions {
  signal?: AbortSignal;
  /** Bytes per yielded chunk; the last chunk may be shorter (and is dropped when `exact`). */
  chunkBytes: number;
  /** Drop a trailing partial chunk (e.g. half a video frame). */
  exact?: boolean;
  /**
   * Chunks read ahead of the consumer (at least 1), on a thread of its own, so the process keeps working while the
   * caller's thread is busy: an OS pipe holds 64 KB, less than one video frame, and ffmpeg stopped on a full pipe
   * whenever the models ran synchronously (README "End to end against the decode floor", sixth round). For long
   * streams: a thread costs about 70 ms of CPU to start, more than decoding a short clip. Without it the output is read
   * on the caller's thread, one chunk at a time. Memory: at most `ahead` + 1 chunks.
   */
  ahead?: number;
  /**
   * With `ahead`: the chunks are views into one shared ring of `ahead` + 1 chunks allocated once, instead of new
   * memory each. A chunk is then valid only until the next one is asked for (the reading thread refills its slot once
   * the consumer has moved on), so the consumer must copy what it keeps. For a stream of large chunks (video frames:
   * 0.7 MB each at 640×360) this saves an allocation per chunk, and with it most of V8's full garbage collections,
   * which memory allocated outside the JS heap brings on.
   */
  ring?: boolean;
  /** Called with ffmpeg's stderr text when it exits non-zero. */
  describeFailure: (stderr: string, code: number | null) => Error;
}

/**
 * The reading thread: spawns the process, cuts its stdout into chunks of `chunkBytes` (each its own memory, sent
 * transferred, so never copied again), and stops reading while `ahead` chunks wait for the consumer (the process is
 * then paused by the pipe's backpressure). The consumer returns one credit per chunk it takes.
 */
const READER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const { cmd, args, chunkBytes, exact, ahead, ring } = workerData;
const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
let stderr = '';
child.stderr.setEncoding('utf8');
child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-8000); });
// With a ring, a slot is handed back (a credit) once the consumer has moved past it; all its slots may be in flight.
const slots = ring ? ring.byteLength / chunkBytes : 0;
let credit = ring ? slots : ahead;
let sent = 0;
const fresh = () => (ring ? new Uint8Array(ring, (sent % slots) * chunkBytes, chunkBytes) : new Uint8Array(chunkBytes));
let chunk = fresh();
let filled = 0;
let stopping = false;
const send = (length) => {
  if (ring) parentPort.postMessage({ type: 'chunk', slot: sent % slots, length });
  else {
    const bytes = length === chunkBytes ? chunk : chunk.slice(0, length);
    parentPort.postMessage({ type: 'chunk', bytes }, [bytes.buffer]);
  }
  sent++;
  chunk = fresh();
  filled = 0;
  if (--credit <= 0) child.stdout.pause();
};
// Bytes read while no slot of the ring was free, in order: placed as the consumer frees slots (the process is paused
// meanwhile; a read already under way may still arrive, and queues behind them).
const backlog = [];
// Copies data into chunks while a slot is free; returns what is left over (null when all of it was placed).
const place = (data) => {
  for (let at = 0; at < data.length; ) {
    if (ring && credit <= 0) return data.subarray(at);
    const n = Math.min(chunkBytes - filled, data.length - at);
    chunk.set(data.subarray(at, at + n), filled);
    filled += n;
    at += n;
    if (filled === chunkBytes) send(chunkBytes);
  }
  return null;
};
const drain = () => {
  while (backlog.length > 0 && credit > 0) {
    const left = place(backlog[0]);
    if (left) backlog[0] = left;
    else backlog.shift();
  }
};
child.stdout.on('data', (data) => {
  if (stopping) return;
  const left = backlog.length > 0 ? data : place(data);
  if (left) {
    backlog.push(left);
    child.stdout.pause();
  }
});
let failed = false;
let closed = null;
const finish = () => {
  if (!closed || backlog.length > 0 || stopping) return;
  if (filled > 0 && !exact) send(filled);
  parentPort.postMessage({ type: 'end', code: closed.code, stderr });
  closed = null; // said once
};
child.once('error', (e) => {
  failed = true;
  if (!stopping) parentPort.postMessage({ type: 'error', message: String(e && e.message), code: e && e.code });
});
child.once('close', (code) => {
  if (failed || stopping) return;
  closed = { code };
  finish();
});
const exited = () => child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
parentPort.on('message', (m) => {
  if (m === 'more') {
    credit++;
    if (backlog.length > 0 && !stopping) {
      drain();
      finish();
    }
    if (credit > 0 && backlog.length === 0) child.stdout.resume();
  } else if (m === 'stop' && !stopping) {
    // Kill, then say so once the process has been reaped (no zombie is left behind when this thread ends).
    stopping = true;
    if (exited()) parentPort.postMessage({ type: 'stopped' });
    else {
      child.once('exit', () => parentPort.postMessage({ type: 'stopped' }));
      child.kill('SIGKILL');
      child.stdout.resume();
    }
  }
});
`;

type ReaderMessage =
  | { type: 'chunk'; bytes: Uint8Array }
  | { type: 'chunk'; slot: number; length: number }
  | { type: 'end'; code: number | null; stderr: string }
  | { type: 'error'; message: string; code?: string }
  | { type: 'stopped' };

/** How long to wait for a killed process to be reaped before the reading thread is ended anyway. */
const STOP_WAIT_MS = 5000;

/**
 * Run a process and yield its stdout in fixed-size chunks, read ahead on a thread of its own when `ahead` is given.
 * Memory stays bounded whatever the length of the output: the process is paused (pipe backpressure) while the
 * consumer works, or while `ahead` chunks wait. Each chunk is its own memory, never written again, so a consumer may
 * hold several. Stopping early or aborting kills the process.
 */
export function streamProcess(cmd: string, args: string[], opts: StreamOptions): AsyncGenerator<Buffer> {
  return opts.ahead === undefined ? streamHere(cmd, args, opts) : streamOnThread(cmd, args, opts.ahead, opts);
}

/** The output read on the caller's thread, one chunk at a time (the child paused by backpressure meanwhile). */
async function* streamHere(cmd: string, args: string[], opts: StreamOptions): AsyncGenerator<Buffer> {
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

/** The output read ahead on a thread of its own (READER_SOURCE), at most `ahead` chunks waiting. */
async function* streamOnThread(cmd: string, args: string[], ahead: number, opts: StreamOptions): AsyncGenerator<Buffer> {
  if (!(Number.isInteger(ahead) && ahead >= 1)) throw new Error(`ahead must be a whole number ≥ 1, got ${ahead}`);
  if (opts.signal?.aborted) throw new CancelledError();
  const ring = opts.ring ? new SharedArrayBuffer((ahead + 1) * opts.chunkBytes) : null;
  // execArgv: [] — the thread needs Node's own modules only, not the parent's --import hooks (tsx in the CLI and tests).
  const worker = new Worker(READER_SOURCE, {
    eval: true,
    execArgv: [],
    workerData: { cmd, args, chunkBytes: opts.chunkBytes, exact: !!opts.exact, ahead, ring },
  });
  const inbox: ReaderMessage[] = [];
  let wake: (() => void) | null = null;
  let lost: Error | null = null;
  let finished = false; // the process ended (or never started) and was reaped
  let stopped = false;
  const arrived = () => (wake?.(), (wake = null));
  const next = () => new Promise<void>((resolve) => (wake = resolve));
  worker.on('message', (m: ReaderMessage) => {
    if (m.type === 'stopped') stopped = true;
    else inbox.push(m);
    arrived();
  });
  worker.on('error', (e) => ((lost = e), arrived()));
  worker.on('exit', (code) => ((lost ??= new Error(`the thread reading ${cmd} exited (code ${code})`)), arrived()));
  const onAbort = () => worker.postMessage('stop');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (inbox.length === 0) {
        if (lost) throw lost;
        if (stopped) throw new CancelledError(); // only an abort stops the process before its end
        await next();
        continue;
      }
      const m = inbox.shift()!;
      if (m.type !== 'chunk') finished = true;
      if (opts.signal?.aborted) throw new CancelledError();
      if (m.type === 'chunk' && 'slot' in m) {
        yield Buffer.from(ring!, m.slot * opts.chunkBytes, m.length);
        worker.postMessage('more'); // the consumer has moved on: the slot may be refilled
      } else if (m.type === 'chunk') {
        worker.postMessage('more');
        yield Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
      } else if (m.type === 'error') {
        throw Object.assign(new Error(m.message), m.code ? { code: m.code } : {});
      } else if (m.type === 'end') {
        if (m.code !== 0) throw opts.describeFailure(m.stderr, m.code);
        return;
      }
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (!finished && !lost) {
      worker.postMessage('stop');
      const deadline = Date.now() + STOP_WAIT_MS;
      const timer = setTimeout(arrived, STOP_WAIT_MS);
      while (!stopped && !lost && Date.now() < deadline) await next();
      clearTimeout(timer);
    }
    worker.removeAllListeners('exit');
    await worker.terminate();
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
