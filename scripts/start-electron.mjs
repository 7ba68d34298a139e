#!/usr/bin/env node
// `npm start`: launch the Electron app. `npm ci` keeps electron's download script disabled (offline
// installs must not fetch binaries), so the first start runs electron's own installer to fetch the
// binary when it is missing (needs the network once), then starts the app with the built main process.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));
const pathFile = path.join(electronDir, 'path.txt');

function binary() {
  if (!existsSync(pathFile)) return null;
  const exe = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

let exe = binary();
if (!exe) {
  console.error("start: the Electron binary is not installed yet; running electron's own installer (needs the network, once)…");
  const r = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { stdio: 'inherit' });
  exe = binary();
  if (r.status !== 0 || !exe) {
    console.error('start: could not fetch the Electron binary. Connect to the network once and run `npm start` again,');
    console.error('       or use the same app in a browser: `npm run serve` (no Electron needed).');
    process.exit(1);
  }
}
if (!existsSync(path.join(root, 'out', 'main', 'index.js'))) {
  console.error('start: the app is not built; run `npm run build` first');
  process.exit(1);
}
// The engine host runs on this Node (native modules are built for it); main/index.ts reads AFFECT_NODE.
const child = spawn(exe, [root], { stdio: 'inherit', env: { ...process.env, AFFECT_NODE: process.execPath } });
child.on('exit', (code) => process.exit(code ?? 0));
