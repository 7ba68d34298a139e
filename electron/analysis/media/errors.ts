import { basename } from 'node:path';

/**
 * An input problem the user can fix: always names the file and what is wrong. `problem` is said in words; `detail` is
 * the tool's own message (ffprobe, ffmpeg) for a technical reader. `retryable` is false when the file's content is the
 * problem, so analysing the same file again cannot succeed (true when, say, the file is missing and may come back).
 */
export class MediaInputError extends Error {
  readonly file: string;
  readonly problem: string;
  readonly detail: string | null;
  readonly retryable: boolean;
  constructor(file: string, problem: string, opts: { detail?: string; retryable?: boolean } = {}) {
    super(`${file}: ${problem}${opts.detail ? ` (${opts.detail})` : ''}`);
    this.name = 'MediaInputError';
    this.file = file;
    this.problem = problem;
    // The tool repeats the path; the detail names the file by its name only (the path is in `file`, and for an upload
    // it is an internal folder nobody needs to see).
    this.detail = opts.detail ? opts.detail.split(file).join(basename(file)) : null;
    this.retryable = opts.retryable ?? false;
  }
}

/** Thrown when the caller's AbortSignal fires. Nothing half-done is kept. */
export class CancelledError extends Error {
  constructor(what = 'analysis') {
    super(`${what} cancelled`);
    this.name = 'CancelledError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw new CancelledError(what);
}
