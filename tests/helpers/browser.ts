import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { quietChromiumArgs } from '../../electron/main/security.js';
import { commandLineOf, descendants } from './network-watch.js';
import { ARTIFACTS_DIR, REPO_ROOT, tempDir } from './paths.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function skipWithoutChromium(): string | false {
  return existsSync(CHROMIUM) ? false : `needs Debian's Chromium at ${CHROMIUM} (apt-get install -y chromium); .ci/run installs it`;
}

/** Build the renderer (electron-vite) once per test process. */
let built = false;
export function buildRenderer(): void {
  if (built) return;
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stdout}\n${r.stderr}`);
  built = true;
}

/** The passphrase the browser tests' databases are encrypted with (the server opens unlocked with it). */
export const E2E_PASSPHRASE = 'e2e test passphrase';

export interface ServeOptions {
  /** Start it as the README says, `npm run serve -- --db <file>` (renderer build included), not the server alone. */
  viaNpm?: boolean;
  /** Wrap the command line (e.g. to run it under strace); gets and returns [command, args]. */
  wrap?: (command: string, args: string[]) => [string, string[]];
  env?: NodeJS.ProcessEnv;
  /**
   * AFFECT_PASSPHRASE for the server: by default E2E_PASSPHRASE, so the database is created encrypted and opens
   * unlocked; null starts it without one (an encrypted database then waits locked, a new one in first-run setup).
   */
  passphrase?: string | null;
  /** Extra server arguments (e.g. ['--max-upload-mb', '1']). */
  args?: string[];
}

export interface Serve {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  /** SIGTERM to the server process itself (below npm or a wrapper), then wait until everything started has exited. */
  stop: () => Promise<void>;
}

const SERVER_URL = /^(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)\r?\n/m;

/** `npm run serve`'s server on a database; resolves with the URL it prints (its first line of its own). */
export async function startServe(dbPath: string, opts: ServeOptions = {}): Promise<Serve> {
  const serverArgs = ['--db', dbPath, ...(opts.args ?? [])];
  const [command, args] = opts.viaNpm
    ? ['npm', ['run', '--silent', 'serve', '--', ...serverArgs]]
    : [process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'electron/server/main.ts'), ...serverArgs]];
  const [cmd, argv] = opts.wrap ? opts.wrap(command, args) : [command, args];
  const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env) };
  const passphrase = opts.passphrase === undefined ? E2E_PASSPHRASE : opts.passphrase;
  if (passphrase === null) delete env.AFFECT_PASSPHRASE;
  else env.AFFECT_PASSPHRASE = passphrase;
  const child = spawn(cmd, argv, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = SERVER_URL.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}\n${err}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // The node process running the server (npm's shell line names main.ts too, but its argv[0] is sh).
    const tree = [child.pid!, ...descendants(child.pid!)];
    const server = tree.find((pid) => /^(\S*\/)?node\s.*electron\/server\/main\.ts/.test(commandLineOf(pid)));
    process.kill(server ?? child.pid!, 'SIGTERM');
    const timer = setTimeout(() => {
      for (const pid of [...descendants(child.pid!), child.pid!]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone already */
        }
      }
    }, 20_000);
    await exited;
    clearTimeout(timer);
  };
  return { url, child, stderr: () => err, stop };
}

/**
 * Debian's Chromium, headless, with a fresh user-data-dir and the Electron shell's own quiet switches
 * (electron/main/security.ts: every background-networking feature off, no host-name lookups but local ones).
 */
export async function launchChromium(executablePath = CHROMIUM, env?: NodeJS.ProcessEnv): Promise<BrowserContext> {
  return chromium.launchPersistentContext(tempDir('chromium-'), {
    executablePath,
    ...(env ? { env: env as Record<string, string> } : {}),
    viewport: { width: 1400, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', ...quietChromiumArgs()],
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return path.join(ARTIFACTS_DIR, `${name}.png`);
}

/**
 * The whole page as a user scrolling from the top sees it. Chromium paints a sticky element (the top bar) where the
 * page is scrolled to, so a full-page capture of a scrolled page shows the bar in the middle; scroll to the top for the
 * capture and back after it, so the test goes on where it was.
 */
export async function fullPageShot(page: Page, name: string): Promise<void> {
  const scrolled = await page.evaluate(() => {
    const at = { x: window.scrollX, y: window.scrollY };
    window.scrollTo(0, 0);
    return at;
  });
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
  await page.evaluate(({ x, y }) => window.scrollTo(x, y), scrolled);
}

/**
 * Call the browser-mode API from inside the page, as the page's own transport does (the token from this tab's
 * sessionStorage in a header, a JSON body): the HTTP status and the decoded answer.
 */
export function pageCall(
  page: Page,
): (method: string, input: unknown) => Promise<{ status: number; body: { result?: any; error?: string; code?: string } }> {
  return (method, input) =>
    page.evaluate(
      async ([m, i]) => {
        const headers = { 'content-type': 'application/json', 'x-affect-token': sessionStorage.getItem('affect-token') ?? '' };
        const r = await fetch(`./api/${m}`, { method: 'POST', headers, body: JSON.stringify(i) });
        return { status: r.status, body: await r.json() };
      },
      [method, input] as const,
    );
}

/** pageCall's result alone (undefined when the call was refused). */
export function pageApi(page: Page): (method: string, input: unknown) => Promise<any> {
  const call = pageCall(page);
  return async (method, input) => (await call(method, input)).body.result;
}
