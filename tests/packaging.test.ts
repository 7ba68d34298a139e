import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { APP_ROOT, unpackedPath } from '../electron/app-paths.js';
import { engineHostLaunch } from '../electron/main/engine-host-launch.js';
import { buildRenderer } from './helpers/browser.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';

/**
 * The installable desktop build (`npm run dist`, electron-builder) cannot run here: it downloads Electron and
 * rebuilds native modules against Electron's headers. What can be checked offline is checked: the configuration
 * against electron-builder's own schema, every path it names, the icons, the bundled engine host it ships (run
 * here on Node, over the same IPC protocol the utility process uses), and how main chooses the host process.
 */
const require = createRequire(import.meta.url);
const config = JSON.parse(readFileSync(path.join(REPO_ROOT, 'electron-builder.json'), 'utf8')) as {
  files: string[];
  asarUnpack: string[];
  directories: { buildResources: string; output: string };
  linux: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
};

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith('**/', i)) ((re += '(?:.*/)?'), (i += 2));
    else if (glob.startsWith('**', i)) ((re += '.*'), (i += 1));
    else if (c === '*') re += '[^/]*';
    else re += c.replace(/[.+^${}()|[\]\\?]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Files under the glob's fixed leading folders that match it (relative, '/'-separated). */
function matches(glob: string): string[] {
  const fixed = glob.split('/').findIndex((part) => part.includes('*'));
  const base = fixed <= 0 ? '' : glob.split('/').slice(0, fixed).join('/');
  const re = globToRegExp(glob);
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(REPO_ROOT, rel);
    if (!existsSync(abs)) return;
    if (!statSync(abs).isDirectory()) return void (re.test(rel) && out.push(rel));
    for (const name of readdirSync(abs)) {
      if (rel === '' && ['.git', 'dist', 'tests'].includes(name)) continue;
      walk(rel ? `${rel}/${name}` : name);
    }
  };
  walk(base);
  return out;
}

test("electron-builder.json passes electron-builder's own schema (Linux AppImage + deb, Windows NSIS, macOS dmg)", async () => {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    validateConfiguration: (c: unknown, l: unknown) => Promise<void>;
  };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  await validateConfiguration(structuredClone(config), new DebugLogger(false));
  await assert.rejects(
    validateConfiguration({ ...structuredClone(config), nsiss: {} }, new DebugLogger(false)),
    /unknown property 'nsiss'/,
    'the schema check is real',
  );
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(config.win.target, ['nsis']);
  assert.deepEqual(config.mac.target, ['dmg']);
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; main: string };
  assert.match(pkg.scripts.dist, /electron-vite build && electron-builder --config electron-builder\.json/);
});

test('every file pattern and unpacked path the build names exists; models, fonts, DASS-21 data and ffmpeg are unpacked from the asar', () => {
  buildRenderer(); // out/ is part of what is packaged
  for (const glob of [...config.files, ...config.asarUnpack]) assert.ok(matches(glob).length > 0, `${glob} matches no file`);
  const packaged = config.files.flatMap(matches);
  for (const m of ['blazeface-front-128', 'face-cnn', 'voice-spectrogram-cnn'])
    assert.ok(packaged.includes(`native-models/${m}/model.onnx`), `${m} is packaged`);
  assert.ok(!packaged.some((f) => f.includes('/train/')), 'training code and data stay out of the app');
  assert.ok(packaged.includes('out/main/engine-host.js') && packaged.includes('out/main/index.js'));
  for (const needed of ['native-models/face-cnn/model.onnx', 'data/fonts/DejaVuSans.ttf', 'data/dass21/items.json'])
    assert.ok(
      config.asarUnpack.some((g) => globToRegExp(g).test(needed)),
      `${needed} is unpacked`,
    );
  const bundledFfmpeg = path
    .relative(REPO_ROOT, (require('@ffmpeg-installer/ffmpeg') as { path: string }).path)
    .split(path.sep)
    .join('/');
  assert.ok(
    config.asarUnpack.some((g) => globToRegExp(g).test(bundledFfmpeg)),
    `${bundledFfmpeg} is unpacked (a child process cannot run from inside an asar)`,
  );
});

test('the icon every target names is a 512×512 PNG', () => {
  for (const icon of new Set([config.linux.icon, config.win.icon, config.mac.icon])) {
    const png = readFileSync(path.join(REPO_ROOT, icon));
    assert.equal(png.subarray(1, 4).toString(), 'PNG', icon);
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [512, 512], icon);
  }
});

test('main starts the engine host as a utility process when packaged, as a Node child from a checkout', () => {
  const common = {
    appPath: '/opt/Affect/resources/app.asar',
    mainDir: '/opt/Affect/resources/app.asar/out/main',
    databasePath: '/home/u/affect.sqlite',
  };
  const packaged = engineHostLaunch({ ...common, packaged: true, env: { ELECTRON_RUN_AS_NODE: '1', HOME: '/home/u' } });
  assert.equal(packaged.kind, 'utility-process');
  assert.equal(packaged.modulePath, '/opt/Affect/resources/app.asar/out/main/engine-host.js');
  assert.equal(packaged.env.AFFECT_DB_PATH, '/home/u/affect.sqlite');
  assert.equal(packaged.env.ELECTRON_RUN_AS_NODE, undefined);
  const dev = engineHostLaunch({ ...common, appPath: '/src/affect', packaged: false, env: { AFFECT_NODE: '/usr/bin/node' } });
  assert.deepEqual(
    [dev.kind, dev.modulePath, dev.kind === 'node-fork' && dev.execPath],
    ['node-fork', '/src/affect/electron/main/engine-host.mjs', '/usr/bin/node'],
  );
});

test('inside a packaged app, files native code opens are taken from app.asar.unpacked', () => {
  assert.equal(
    unpackedPath('/opt/Affect/resources/app.asar/native-models/face-cnn'),
    '/opt/Affect/resources/app.asar.unpacked/native-models/face-cnn',
  );
  assert.equal(unpackedPath('C:\\Affect\\resources\\app.asar\\data\\fonts'), 'C:\\Affect\\resources\\app.asar.unpacked\\data\\fonts');
  assert.equal(unpackedPath('/home/u/app.asar.d/x'), '/home/u/app.asar.d/x');
  assert.equal(APP_ROOT, REPO_ROOT);
});

test('the bundled engine host that a packaged app runs finds its models and migrations and answers over IPC', async () => {
  buildRenderer();
  const db = path.join(tempDir(), 'host.sqlite');
  const child = fork(path.join(REPO_ROOT, 'out/main/engine-host.js'), [], {
    env: { ...process.env, AFFECT_DB_PATH: db },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  const call = (id: number, method: string, input: unknown) =>
    new Promise<{ result?: unknown; error?: string }>((resolve, reject) => {
      child.on('message', (m: { id: number; result?: unknown; error?: string }) => m.id === id && resolve(m));
      child.once('exit', (code) => reject(new Error(`engine host exited ${code}`)));
      child.send({ id, method, input });
    });
  try {
    // A new database: the host waits in first-run setup until told (here: a plain one, for the test).
    assert.equal(((await call(10, 'vault.status', {})).result as { state: string }).state, 'setup');
    assert.equal(((await call(11, 'vault.setup', { passphrase: null })).result as { state: string }).state, 'open');
    const models = (await call(1, 'models.list', {})).result as Array<{ id: string; selected: boolean }>;
    assert.ok(
      models.some((m) => m.id === 'face-cnn' && m.selected),
      'the shipped face model is found from out/main',
    );
    const client = (await call(2, 'clients.create', { code: 'PKG-1' })).result as { code: string };
    assert.equal(client.code, 'PKG-1', 'migrations were found and applied');
    assert.match((await call(3, 'no.such.method', {})).error ?? '', /unknown method/);
  } finally {
    child.disconnect();
  }
});
