import { resolveModelDir } from '../../analysis/models/registry.js';
import { UsageError } from '../io.js';

/** `--model <id|dir>` as a model folder: a usage error naming the option when it cannot be found. */
export function modelOption(ref: string, option = '--model'): string {
  try {
    return resolveModelDir(ref);
  } catch (err) {
    throw new UsageError(`${option}: ${(err as Error).message}`);
  }
}

/** `--threads <n>`: a positive integer, or undefined (onnxruntime's default). */
export function threadsOption(value: string | undefined): number | undefined {
  const threads = value ? Number(value) : undefined;
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) throw new UsageError('--threads must be a positive integer');
  return threads;
}
