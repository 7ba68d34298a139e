#!/usr/bin/env node
// Runs every tests/**/*.test.ts with Node's own test runner (through tsx), after a typecheck and the lint.
// Usage: node scripts/run-tests.mjs [filter-substring…]
import { readdirSync, statSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const filters = process.argv.slice(2);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'artifacts' || name === 'fixtures' ? [] : walk(full);
    return name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = walk(path.join(root, 'tests'))
  .map((f) => path.relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched', filters);
  process.exit(1);
}

if (filters.length === 0) {
  for (const project of ['tsconfig.json', 'renderer/tsconfig.json']) {
    const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', project], {
      cwd: root,
      stdio: 'inherit',
    });
    if (tsc.status !== 0) {
      console.error(`typecheck failed (${project})`);
      process.exit(tsc.status ?? 1);
    }
  }
  // The import boundaries between the layers and a few correctness rules (eslint.config.js).
  const lint = spawnSync(process.execPath, [path.join(root, 'node_modules/eslint/bin/eslint.js'), '.'], { cwd: root, stdio: 'inherit' });
  if (lint.status !== 0) {
    console.error('lint failed (eslint .): see the problems above; `npm run lint` repeats the check');
    process.exit(lint.status ?? 1);
  }
  // One format for every source file (.prettierrc.json; `npm run format` rewrites, this only checks).
  const format = spawnSync(process.execPath, [path.join(root, 'node_modules/prettier/bin/prettier.cjs'), '--check', '--log-level', 'warn', '.'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (format.status !== 0) {
    console.error('format check failed (prettier --check .): the files above are not formatted; `npm run format` fixes them');
    process.exit(format.status ?? 1);
  }
}

// The spec report goes to the terminal as it comes; its closing counts (ℹ pass N …) make the one-line summary.
// (A TAP file as a second reporter is not flushed when --test-force-exit ends the run.)
const child = spawn(
  process.execPath,
  [
    // The test process loads onnxruntime itself: telemetry off first, as in every entry point.
    '--import',
    'tsx',
    '--import',
    './electron/privacy/no-telemetry.ts',
    '--test',
    '--test-concurrency=1',
    // A hung test fails after 10 minutes, and a file whose tests are done exits even if a handle stays open:
    // the suite always ends with a report instead of running into CI's time limit.
    '--test-timeout=600000',
    '--test-force-exit',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    ...files,
  ],
  { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] },
);
// The closing counts are picked up line by line as they pass (the failures' details after them can be long).
const counts = {};
let partial = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const lines = (partial + chunk.toString('utf8')).split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) {
    const m = /^ℹ (pass|fail|cancelled|skipped) (\d+)$/.exec(line);
    if (m) counts[m[1]] = Number(m[2]);
  }
});
// Last resort: the whole run is stopped after 50 minutes (a clean run takes about 15 minutes on 2 cores).
const watchdog = setTimeout(
  () => {
    console.error('tests: stopped after 50 minutes; the last file named above was still running');
    child.kill('SIGKILL');
  },
  50 * 60 * 1000,
);
const status = await new Promise((resolve) => child.on('close', (code) => resolve(code)));
clearTimeout(watchdog);
const count = (name) => counts[name] ?? 0;
console.log(
  'pass' in counts
    ? `tests: ${count('pass')} passed, ${count('fail') + count('cancelled')} failed, ${count('skipped')} skipped`
    : 'tests: summary unavailable',
);
process.exit(status ?? 1);
