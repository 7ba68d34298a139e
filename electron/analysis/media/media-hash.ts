import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { CancelledError } from './errors.js';

/** sha256 of a file's whole content, streamed (bounded memory), cancellable. */
export async function hashFile(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    if (signal?.aborted) throw new CancelledError();
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}
