/**
 * Where the CLI gets a passphrase: the environment (AFFECT_PASSPHRASE; AFFECT_NEW_PASSPHRASE for a new one when
 * changing it), else a prompt on the terminal that does not echo what is typed. Never from an argument (it would
 * show in the process list and the shell history).
 */

export const PASSPHRASE_ENV = 'AFFECT_PASSPHRASE';
export const NEW_PASSPHRASE_ENV = 'AFFECT_NEW_PASSPHRASE';

export function passphraseFromEnv(name = PASSPHRASE_ENV, env: NodeJS.ProcessEnv = process.env): string | null {
  const v = env[name];
  return v === undefined || v === '' ? null : v;
}

export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** Ask on the terminal without echo; resolves with what was typed (Ctrl-C rejects). */
export function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let typed = '';
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err: Error | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003') return done(new Error('cancelled at the passphrase prompt; nothing was changed'));
        if (ch === '\u0004' && typed === '') return done(null);
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else if (ch >= ' ') typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** A new passphrase: typed twice on a terminal (must match); null when the terminal answer is empty. */
export async function promptNewPassphrase(what: string): Promise<string | null> {
  const first = await promptHidden(
    `New passphrase for ${what} (at least 8 characters${what.includes('new database') ? '; empty: no encryption' : ''}): `,
  );
  if (first === '') return null;
  const second = await promptHidden('Type it again: ');
  if (first !== second) throw new Error('the two passphrases differ; nothing was changed');
  return first;
}

/** Ask a yes/no question on the terminal (echoed); true only for y/yes. */
export async function confirmOnTty(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^(y|yes)$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
