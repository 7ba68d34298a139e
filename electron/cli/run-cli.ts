import { CancelledError } from '../analysis/media/errors.js';
import { main } from './affect.js';

/** Process-level wiring: Ctrl-C cancels cleanly (second Ctrl-C forces exit), errors print one line. */
export async function runCli(argv: string[]): Promise<number> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\ncancelling… (press Ctrl-C again to force)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    return await main(argv, {
      stdout: process.stdout,
      stderr: process.stderr,
      signal: controller.signal,
      interactive: Boolean(process.stderr.isTTY),
    });
  } catch (err) {
    if (err instanceof CancelledError) {
      process.stderr.write('affect: cancelled; nothing half-written was kept\n');
      return 130;
    }
    process.stderr.write(`affect: ${(err as Error).message}\n`);
    if (process.env.AFFECT_DEBUG) console.error(err);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
