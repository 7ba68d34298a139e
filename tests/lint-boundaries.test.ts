import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { REPO_ROOT } from './helpers/paths.js';

// The import boundaries in eslint.config.js, shown to bite: each snippet is linted as if it were the named file.
const eslint = new ESLint({ cwd: REPO_ROOT });

/** The boundary messages ESLint gives `code` as the file `file` (a path from the repository root). */
async function crossings(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, file) });
  const other = result.messages.filter((m) => m.ruleId !== 'no-restricted-imports');
  assert.deepEqual(other, [], `${file}: only the boundary rule should speak`);
  return result.messages.map((m) => m.message);
}

/** An import of `name` from `from` that the snippet uses. */
const importing = (name: string, from: string) => `import { ${name} } from '${from}';\nexport const used = ${name};\n`;

test('the engine and the store never import Electron, the shell or the renderer', async () => {
  const cases: Array<[string, string]> = [
    ['electron/analysis/x.ts', importing('app', 'electron')],
    ['electron/store/x.ts', importing('ipcMain', 'electron/main')],
    ['electron/store/x.ts', importing('createWindow', '../main/window.js')],
    ['electron/analysis/dass/x.ts', importing('api', '../../preload/index.js')],
    ['electron/analysis/x.ts', importing('App', '../../renderer/src/App.js')],
  ];
  for (const [file, code] of cases) {
    const found = await crossings(file, code);
    assert.equal(found.length, 1, `${file}: ${code}`);
    assert.match(found[0], /Electron package|never imports the Electron shell/);
  }
});

test('the renderer reaches the engine only through electron/contract', async () => {
  for (const from of ['../../electron/analysis/labels', '../../electron/store/db.js', '../../electron/api/service']) {
    const found = await crossings('renderer/src/x.ts', importing('x', from));
    assert.equal(found.length, 1, from);
    assert.match(found[0], /only through electron\/contract/);
  }
  const typeOnly = await crossings('renderer/src/components/x.tsx', "import type { Db } from '../../../electron/store/db';\nexport type T = Db;\n");
  assert.equal(typeOnly.length, 1, 'a type-only import crosses too');
  assert.equal((await crossings('renderer/src/x.ts', importing('ipcRenderer', 'electron'))).length, 1);
});

test('electron/contract imports nothing from the rest of electron/', async () => {
  assert.equal((await crossings('electron/contract/api.ts', importing('x', '../analysis/fuse.js'))).length, 1);
  assert.equal((await crossings('electron/contract/shared/selfcare/x.ts', importing('x', '../../../store/db.js'))).length, 1);
  assert.deepEqual(await crossings('electron/contract/shared/selfcare/x.ts', importing('EXERCISES', './catalog.js')), []);
  assert.deepEqual(await crossings('electron/contract/shared/x.ts', importing('API', '../api.js')), []);
});

test('only tests import from tests/', async () => {
  for (const [file, from] of [
    ['electron/api/x.ts', '../../tests/helpers/paths.js'],
    ['electron/analysis/face/x.ts', '../../../tests/helpers/paths.js'],
    ['scripts/x.ts', '../tests/helpers/paths.js'],
    ['renderer/src/x.ts', '../../tests/helpers/paths'],
  ]) {
    const found = await crossings(file, importing('REPO_ROOT', from));
    assert.equal(found.length, 1, file);
    assert.match(found[0], /Only tests import from tests\//);
  }
  assert.deepEqual(await crossings('tests/x.test.ts', importing('REPO_ROOT', './helpers/paths.js')), []);
});

test('the allowed paths stay open', async () => {
  const allowed: Array<[string, string]> = [
    ['renderer/src/x.ts', importing('API', '../../electron/contract/api')],
    ['renderer/src/components/x.tsx', importing('LABEL_COLORS', '../../../electron/contract/shared/labels')],
    ['electron/analysis/x.ts', importing('EMOTION_LABELS', '../contract/shared/labels.js')],
    ['electron/store/x.ts', importing('scoreDass21', '../contract/shared/dass-score.js')],
    ['electron/main/x.ts', importing('app', 'electron')],
    ['tests/x.test.ts', importing('fuse', '../electron/analysis/fuse.js')],
  ];
  for (const [file, code] of allowed) assert.deepEqual(await crossings(file, code), [], `${file}: ${code}`);
});
