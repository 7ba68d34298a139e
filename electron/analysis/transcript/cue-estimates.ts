import { ProgressTracker, type ProgressListener } from '../progress.js';
import type { TextEmotionModel, TextEstimate } from '../text/text-model.js';
import { throwIfAborted } from '../media/errors.js';

/** Lines per step: small enough for a prompt cancel and a moving progress bar, large enough to batch well. */
const STEP = 256;

/**
 * The text model's estimate for every line of a transcript, in order, in steps of STEP lines with progress (an ETA)
 * between steps; a cancel (the signal) stops it with CancelledError between steps.
 */
export async function estimateLines(
  model: TextEmotionModel,
  texts: readonly string[],
  opts: { signal?: AbortSignal; onProgress?: ProgressListener } = {},
): Promise<TextEstimate[]> {
  const progress = new ProgressTracker(opts.onProgress);
  const out: TextEstimate[] = [];
  progress.update('text emotion', 0, `0 of ${texts.length} lines`, true);
  for (let i = 0; i < texts.length; i += STEP) {
    throwIfAborted(opts.signal);
    try {
      out.push(...(await model.classify(texts.slice(i, i + STEP), opts.signal)));
    } catch (err) {
      throwIfAborted(opts.signal); // the model's own abort error, as the app's CancelledError
      throw err;
    }
    progress.update('text emotion', out.length / texts.length, `${out.length} of ${texts.length} lines`, out.length === texts.length);
  }
  throwIfAborted(opts.signal);
  return out;
}
