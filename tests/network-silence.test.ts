import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { CHROMIUM, launchChromium, skipWithoutChromium, startServe, type Serve } from './helpers/browser.js';
import { SAMPLE } from './helpers/media-fixtures.js';
import {
  connectionsIn,
  connectionViolation,
  fileViolation,
  fileWritesIn,
  newWatch,
  runWatched,
  skipWithoutStrace,
  straceArgs,
  STRACE,
  straceWrapper,
  watchReport,
} from './helpers/network-watch.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';

/**
 * Network silence, proven by watching the processes (strace -f -e trace=connect,openat), not by reading
 * READMEs: an import through the CLI, `npm run serve` with a real Chromium session that imports and reviews a
 * recording and exports a report, and an export through the CLI. Any connection that is not loopback or a
 * local socket, any DNS lookup, and any file written under $HOME/.cache/Microsoft or as mat-debug-* fails.
 * The processes run with HOME and TMPDIR inside the watch and WITHOUT the test runner's telemetry switch, so
 * each entry point has to switch onnxruntime's telemetry off by itself.
 */
const noStrace = skipWithoutStrace();
const noBrowser = noStrace || skipWithoutChromium();
const cliDb = path.join(tempDir(), 'cli.sqlite');

const sourceFiles = (dir: string): string[] =>
  readdirSync(path.join(REPO_ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(REPO_ROOT, rel)).isDirectory())
      return name === 'node_modules' || name === 'artifacts' || name === 'fixtures' || name === 'train' ? [] : sourceFiles(rel);
    return /\.(ts|tsx|mjs|js)$/.test(name) ? [rel] : [];
  });

test('only electron/analysis/models/onnx-runtime.ts loads onnxruntime-node', () => {
  const loaders = ['electron', 'scripts', 'bin', 'renderer/src', 'tests']
    .flatMap(sourceFiles)
    .filter((f) =>
      /(from\s+|import\()\s*['"]onnxruntime-node['"]|require\(\s*['"]onnxruntime-node['"]/.test(readFileSync(path.join(REPO_ROOT, f), 'utf8')),
    );
  assert.deepEqual(loaders, ['electron/analysis/models/onnx-runtime.ts']);
});

test('every entry point switches telemetry off before its first other import', () => {
  const entries = [
    'bin/affect.mjs',
    'electron/server/main.ts',
    'electron/main/index.ts',
    'electron/main/engine-host.ts',
    'scripts/bench.ts',
    'scripts/face-stability.ts',
    'scripts/export-voice-features.ts',
  ];
  for (const entry of entries) {
    const text = readFileSync(path.join(REPO_ROOT, entry), 'utf8');
    // The first import of the app's own code (bin/affect.mjs registers tsx first; that loads nothing of ours).
    const first = /(?:^import\s+(?:[^'"]*from\s+)?|await import\()\s*['"](\.[^'"]+)['"]/m.exec(text);
    assert.ok(first, `${entry}: no import found`);
    assert.match(first[1], /privacy\/no-telemetry(\.js|\.ts)?$/, `${entry}: first import is ${first[1]}`);
  }
  assert.match(readFileSync(path.join(REPO_ROOT, 'scripts/run-tests.mjs'), 'utf8'), /'--import',\s*'\.\/electron\/privacy\/no-telemetry\.ts'/);
});

test('onnx-runtime.ts refuses to load onnxruntime in a process where telemetry is not off, and writes nothing', () => {
  const dir = tempDir();
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, TMPDIR: dir, XDG_CACHE_HOME: path.join(dir, '.cache') };
  delete env.ORT_DISABLE_TELEMETRY;
  const script = `import { openOnnxModel } from './electron/analysis/models/onnx-runtime.ts';
    await openOnnxModel('native-models/face-cnn/model.onnx').then(() => console.log('LOADED'), (e) => console.log(e.name + ': ' + e.message));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, env, encoding: 'utf8' });
  assert.match(r.stdout, /^TelemetryNotDisabledError: refusing to load onnxruntime: ORT_DISABLE_TELEMETRY=1 is not set/, r.stderr);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f !== 'tsx-0'),
    [],
    'nothing written in HOME or TMPDIR',
  );
});

test('CLI: an import of a 19.7 s recording makes no connection and writes no telemetry', { skip: noStrace, timeout: 300_000 }, () => {
  const watch = newWatch();
  const r = runWatched(watch, 'cli-analyze', process.execPath, ['bin/affect.mjs', 'analyze', SAMPLE, '--db', cliDb, '--client', 'NET-1'], {
    cwd: REPO_ROOT,
  });
  assert.equal(r.status, 0, r.stderr);
  const report = watchReport(watch);
  // The watch saw the work: the models were opened by a traced process.
  assert.match(readFileSync(report.logs[0], 'utf8'), /model\.onnx", O_RDONLY/);
  assert.deepEqual(report.violations, []);
});

test('CLI: an export (PDF report) makes no connection and writes no telemetry', { skip: noStrace, timeout: 120_000 }, () => {
  const out = path.join(tempDir(), 'reports');
  const watch = newWatch();
  const r = runWatched(watch, 'cli-export', process.execPath, ['bin/affect.mjs', 'export', 'all', '--format', 'pdf', '--out', out, '--db', cliDb], {
    cwd: REPO_ROOT,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(readFileSync(r.stdout.trim().split('\n')[0]).subarray(0, 5).equals(Buffer.from('%PDF-')));
  assert.deepEqual(watchReport(watch).violations, []);
});

let serve: Serve | null = null;
let browser: BrowserContext | null = null;
after(async () => {
  await browser?.close();
  await serve?.stop();
});

test(
  '`npm run serve` with a Chromium session (import, review, PDF export) makes no connection but loopback',
  { skip: noBrowser, timeout: 420_000 },
  async () => {
    const w = newWatch();
    serve = await startServe(path.join(tempDir(), 'serve.sqlite'), {
      viaNpm: true,
      env: w.env,
      wrap: (cmd, args) => [STRACE, straceArgs(w, 'serve', cmd, args)],
    });
    // Chromium under strace too, with the Electron shell's quiet switches: the browser engine's own background features stay off.
    browser = await launchChromium(straceWrapper(w, 'chromium', CHROMIUM), w.env);
    const page = await browser.newPage();
    await page.goto(serve.url);
    await page.fill('input[aria-label="Client code"]', 'NET-2');
    await page.click('button:has-text("Create client")');
    await page.waitForSelector('h1:has-text("Client NET-2")');
    await page.click('a:has-text("Import recordings")');
    await page.setInputFiles('input[data-testid="file-input"]', SAMPLE);
    await page.waitForSelector('tr[data-job-status="done"] a:has-text("Review session")', { timeout: 300_000 });
    await page.click('tr[data-job-status="done"] a:has-text("Review session")');
    await page.waitForSelector('[data-testid="lane-face"] svg');
    // The PDF report is handed to the user as a download (the app writes no export behind their back).
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("PDF report")')]);
    const pdf = (await download.path())!;
    assert.ok(existsSync(pdf) && readFileSync(pdf).subarray(0, 5).toString() === '%PDF-', 'the report downloaded');
    await browser.close();
    browser = null;
    await serve.stop();
    serve = null;

    const server = watchReport(w, ['serve']);
    assert.ok(server.processes >= 3, 'npm, the server and ffmpeg were traced');
    assert.ok(
      server.connections.some((c) => c.family === 'AF_INET' && c.address === '127.0.0.1') ||
        watchReport(w, ['chromium']).connections.some((c) => c.address === '127.0.0.1'),
      "the browser's loopback connections to the server were seen (the watch works)",
    );
    assert.deepEqual(server.violations, [], 'npm run serve (npm, build, server, ffmpeg)');
    const chromium = watchReport(w, ['chromium']);
    if (chromium.probes.length > 0)
      console.log(
        `chromium: ${chromium.probes.length} UDP route probes (nothing sent), e.g. ${chromium.probes[0].address}:${chromium.probes[0].port}`,
      );
    assert.deepEqual(chromium.violations, [], 'Chromium with the quiet switches');
  },
);

test('the watch: strace lines (captured on this machine) are classified right', () => {
  const log = [
    '32195 connect(20<TCP:[198941]>, {sa_family=AF_INET, sin_port=htons(37145), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)',
    '32195 connect(20<UDP:[0.0.0.0:52451]>, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("192.0.2.7")}, 16) = 0',
    '32195 sendmsg(20<UDP:[0.0.0.0:52451]>, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="probe", iov_len=5}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 5',
    '32195 sendmsg(21<UDP:[0.0.0.0:52512]>, {msg_name={sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("192.0.2.1")}, msg_namelen=16, msg_iov=[{iov_base="x", iov_len=1}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 1',
    '32195 connect(22<UDP:[198945]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0',
    '8569  connect(24<UDPv6:[1234]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) = 0',
    '8570  connect(25<TCPv6:[1235]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2603:1030::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 EINPROGRESS (Operation now in progress)',
    '8571  sendto(26<UDP:[192.0.2.2:53602->10.255.255.53:53]>, "U\\321\\1\\0", 29, 0, NULL, 0) = 29',
    '24499 connect(19<UNIX-STREAM:[4455]>, {sa_family=AF_UNIX, sun_path="/tmp/x/tsx-0/24496.pipe"}, 110) = -1 ENOENT (No such file or directory)',
    '5963  openat(AT_FDCWD, "/home/u/.cache/Microsoft/DeveloperTools/.onnxruntime/deviceid", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3',
    '5963  openat(AT_FDCWD</work>, "/tmp/w/tmp/mat-debug-23568.log", O_RDWR|O_CREAT|O_APPEND, 0644) = 4',
    '5963  openat(AT_FDCWD, "/work/native-models/face-cnn/model.onnx", O_RDONLY) = 5',
  ].join('\n');
  const verdicts = connectionsIn(log).map((c) => `${c.call} ${c.address}:${c.port} → ${connectionViolation(c) ?? 'ok'}`);
  assert.deepEqual(verdicts, [
    'connect 127.0.0.1:37145 → ok',
    'connect 192.0.2.7:443 → ok', // a UDP connect sends nothing…
    'send 192.0.2.7:443 → data sent to AF_INET 192.0.2.7:443', // …what is then sent on it is caught
    'send 192.0.2.1:9 → data sent to AF_INET 192.0.2.1:9',
    'connect 10.255.255.53:53 → DNS lookup via 10.255.255.53:53',
    'connect 2001:4860:4860::8888:443 → ok', // Chromium's IPv6 reachability probe (UDP)
    'connect 2603:1030::1:443 → connection to AF_INET6 2603:1030::1:443',
    'send 10.255.255.53:53 → DNS lookup via 10.255.255.53:53',
    'connect "/tmp/x/tsx-0/24496.pipe":null → ok',
  ]);
  assert.deepEqual(
    fileWritesIn(log).map((w) => fileViolation(w)),
    ['telemetry store /home/u/.cache/Microsoft/DeveloperTools/.onnxruntime/deviceid', 'telemetry debug log /tmp/w/tmp/mat-debug-23568.log'],
  );
});
