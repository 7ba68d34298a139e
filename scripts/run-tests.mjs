#!/usr/bin/env node
// Runs every tests/**/*.test.ts with Node's own test runner (through tsx), after a typecheck.
// Usage: node scripts/run-tests.mjs [filter-substring…]
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
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
    const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', project], { cwd: root, stdio: 'inherit' });
    if (tsc.status !== 0) {
      console.error(`typecheck failed (${project})`);
      process.exit(tsc.status ?? 1);
    }
  }
}

// spec to the terminal, TAP to a file for the one-line summary at the end.
const tapFile = path.join(os.tmpdir(), `affect-tests-${process.pid}.tap`);
const result = spawnSync(
  process.execPath,
  [
    // The test process loads onnxruntime itself: telemetry off first, as in every entry point.
    '--import', 'tsx', '--import', './electron/privacy/no-telemetry.ts', '--test', '--test-concurrency=1',
    // A hung test fails after 10 minutes, and a file whose tests are done exits even if a handle stays open:
    // the suite always ends with a report instead of running into CI's time limit.
    '--test-timeout=600000', '--test-force-exit',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  // Last resort: the whole run is stopped after an hour (a clean run takes about 15 minutes on 2 cores).
  { cwd: root, stdio: 'inherit', timeout: 60 * 60 * 1000, killSignal: 'SIGKILL' },
);
if (result.error) console.error(`tests: stopped (${result.error.message}); the last file named above was still running`);
let summary = 'tests: summary unavailable';
if (existsSync(tapFile)) {
  const tap = readFileSync(tapFile, 'utf8');
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
  summary = `tests: ${count('pass')} passed, ${count('fail') + count('cancelled')} failed, ${count('skipped')} skipped`;
  rmSync(tapFile, { force: true });
}
console.log(summary);
process.exit(result.status ?? 1);
