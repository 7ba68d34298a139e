import { UsageError, type CliIO } from '../io.js';

/** affect eval face|voice|text … */
export async function runEval(argv: string[], io: CliIO): Promise<number> {
  const [target, ...rest] = argv;
  if (target === 'face') return (await import('./eval-face.js')).runEvalFace(rest, io);
  if (target === 'voice') return (await import('./eval-voice.js')).runEvalVoice(rest, io);
  if (target === 'text') return (await import('./eval-text.js')).runEvalText(rest, io);
  throw new UsageError('eval needs "face", "voice" or "text"');
}
