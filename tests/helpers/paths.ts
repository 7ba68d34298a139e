import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** ../shared/datasets beside the checkout (override with AFFECT_SHARED_DATASETS). */
export const SHARED_DATASETS = process.env.AFFECT_SHARED_DATASETS ?? path.resolve(REPO_ROOT, '../shared/datasets');

export const HAVE_SHARED = existsSync(SHARED_DATASETS);

/** Use as `test('…', { skip: skipWithoutShared('videos') }, …)`: a reason string when the data is absent. */
export function skipWithoutShared(sub = ''): string | false {
  const p = path.join(SHARED_DATASETS, sub);
  return existsSync(p) ? false : `needs ${p} (the shared data sets beside the checkout); not present here`;
}

export function sharedPath(...parts: string[]): string {
  return path.join(SHARED_DATASETS, ...parts);
}

/** A fresh temporary directory for one test. */
export function tempDir(prefix = 'affect-test-'): string {
  const base = path.join(os.tmpdir(), 'affect-tests');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(path.join(base, prefix));
}

export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'tests', 'artifacts');
