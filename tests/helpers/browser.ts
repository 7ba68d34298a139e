import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { ARTIFACTS_DIR, REPO_ROOT, tempDir } from './paths.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function skipWithoutChromium(): string | false {
  return existsSync(CHROMIUM) ? false : `needs Debian's Chromium at ${CHROMIUM} (apt-get install -y chromium); .ci/run installs it`;
}

/** Build the renderer (electron-vite) once per test process. */
let built = false;
export function buildRenderer(): void {
  if (built) return;
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stdout}\n${r.stderr}`);
  built = true;
}

/** The passphrase the browser tests' databases are encrypted with (the server opens unlocked with it). */
export const E2E_PASSPHRASE = 'e2e test passphrase';

/**
 * `npm run serve`'s server (without the build step) on a fresh database; resolves with the URL it prints first.
 * By default with AFFECT_PASSPHRASE set, so the database is created encrypted and opens unlocked; `passphrase:
 * null` starts it without one (an encrypted database then waits locked, a new one in first-run setup).
 */
export async function startServe(dbPath: string, { passphrase = E2E_PASSPHRASE }: { passphrase?: string | null } = {}): Promise<{ url: string; child: ChildProcess; stderr: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (passphrase === null) delete env.AFFECT_PASSPHRASE;
  else env.AFFECT_PASSPHRASE = passphrase;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'electron/server/main.ts'), '--db', dbPath], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return { url, child, stderr: () => err };
}

/** Debian's Chromium, headless, with a fresh user-data-dir and every background-networking feature off. */
export async function launchChromium(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(tempDir('chromium-'), {
    executablePath: CHROMIUM,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return path.join(ARTIFACTS_DIR, `${name}.png`);
}
