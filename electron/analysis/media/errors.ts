/** An input problem the user can fix: always names the file and what is wrong. */
export class MediaInputError extends Error {
  readonly file: string;
  readonly problem: string;
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'MediaInputError';
    this.file = file;
    this.problem = problem;
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
