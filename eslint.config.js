// Lint: the import boundaries between the layers, plus a few cheap correctness rules (`npm run lint`, part of `npm test`).
// Boundaries are checked on the import string as written (relative paths), for static imports and re-exports;
// tests/lint-boundaries.test.ts shows each one reporting a crossing.
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const SOURCE = '*.{ts,tsx,js,mjs,cjs}';

/** A relative import that passes through a folder with one of these names. */
const throughFolder = (...names) => `^\\.{1,2}/(.*/)?(${names.join('|')})(/|$)`;

const FROM_TESTS = { regex: throughFolder('tests'), message: 'Only tests import from tests/.' };
const ELECTRON_PACKAGE = { regex: '^electron(/|$)', message: 'Only electron/main and electron/preload import the Electron package.' };
const SHELL_OR_UI = {
  regex: throughFolder('main', 'preload', 'renderer'),
  message: 'The engine (electron/analysis, electron/store) never imports the Electron shell (electron/main, electron/preload) or the renderer.',
};
const ENGINE_FROM_UI = {
  regex: '^\\.{1,2}/(.*/)?electron(/(?!contract(/|$))|$)',
  message: 'The renderer reaches the engine only through electron/contract (types, zod schemas and electron/contract/shared).',
};
/** The boundary rule for a folder: a later block replaces an earlier one's list, so each block names all of its own. */
const importsMustAvoid = (...patterns) => ['error', { patterns: patterns.map((p) => ({ ...p, caseSensitive: true })) }];

/**
 * electron/contract stands alone: a module `depth` folders below it may not climb `depth + 1` levels (out of it).
 * One block per depth (there are two today); the last also takes anything deeper, more loosely.
 */
const contractStandsAlone = [0, 1, 2, 3].map((depth) => ({
  files: [`electron/contract/${'*/'.repeat(depth)}${depth === 3 ? '**/' : ''}${SOURCE}`],
  rules: {
    'no-restricted-imports': importsMustAvoid(FROM_TESTS, ELECTRON_PACKAGE, {
      regex: `^(\\.\\./){${depth + 1}}`,
      message: 'electron/contract stands alone (the renderer imports it): nothing from the rest of electron/.',
    }),
  },
}));

export default defineConfig(
  {
    ignores: ['out/', 'dist/', '.cache/', 'tests/artifacts/', 'native-models/*/train/runs/', 'native-models/*/train/cache/'],
  },
  {
    files: [`**/${SOURCE}`],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      'no-constant-binary-expression': 'error',
      'no-control-regex': 'error',
      'no-debugger': 'error',
      'no-dupe-else-if': 'error',
      'no-duplicate-case': 'error',
      'no-fallthrough': 'error',
      'no-self-assign': 'error',
      'no-self-compare': 'error',
      'no-unreachable': 'error',
      'no-unsafe-finally': 'error',
      'no-unsafe-optional-chaining': 'error',
      'use-isnan': 'error',
    },
  },
  {
    files: [`**/${SOURCE}`],
    ignores: ['tests/**'],
    rules: { 'no-restricted-imports': importsMustAvoid(FROM_TESTS) },
  },
  {
    files: [`electron/analysis/**/${SOURCE}`, `electron/store/**/${SOURCE}`],
    rules: { 'no-restricted-imports': importsMustAvoid(FROM_TESTS, ELECTRON_PACKAGE, SHELL_OR_UI) },
  },
  ...contractStandsAlone,
  {
    files: [`renderer/**/${SOURCE}`],
    rules: { 'no-restricted-imports': importsMustAvoid(FROM_TESTS, ELECTRON_PACKAGE, ENGINE_FROM_UI) },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
);
