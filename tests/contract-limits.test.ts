import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import type { z } from 'zod';
import { API, ClientCode, parseInput } from '../electron/contract/api.js';
import { REPO_ROOT } from './helpers/paths.js';

/** Every string position in a schema, with its path and its maximum length (null: unlimited). */
function strings(schema: z.ZodType, at: string): Array<{ at: string; max: number | null }> {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case 'string':
      return [{ at, max: (schema as unknown as z.ZodString).maxLength }];
    case 'object':
      return Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([k, v]) => strings(v, `${at}.${k}`));
    case 'array':
      return strings(def.element as z.ZodType, `${at}[]`);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
      return strings(def.innerType as z.ZodType, at);
    case 'union':
      return (def.options as z.ZodType[]).flatMap((o, i) => strings(o, `${at}|${i}`));
    case 'pipe':
      return [...strings(def.in as z.ZodType, at), ...strings(def.out as z.ZodType, at)];
    case 'record':
      return [...strings(def.keyType as z.ZodType, `${at}{key}`), ...strings(def.valueType as z.ZodType, `${at}{}`)];
    case 'number':
    case 'boolean':
    case 'enum':
    case 'literal':
    case 'null':
      return [];
    default:
      throw new Error(`${at}: schema type ${def.type} not walked; teach this test about it`);
  }
}

test('every string in every API input has a length limit', () => {
  const unlimited = Object.entries(API).flatMap(([method, { input }]) =>
    strings(input as z.ZodType, method)
      .filter((s) => s.max === null)
      .map((s) => s.at),
  );
  assert.deepEqual(unlimited, []);
  // and the walk does reach strings
  assert.ok(strings(API['clients.create'].input, 'c').some((s) => s.at === 'c.code' && s.max === 64));
});

test('a 4 MB string is refused by the contract, wherever it goes', () => {
  const huge = 'a'.repeat(4_000_000);
  assert.throws(() => parseInput('clients.list', { search: huge }), /invalid input/);
  assert.throws(() => parseInput('jobs.enqueue', { paths: [huge] }), /invalid input/);
  assert.throws(() => parseInput('annotations.add', { trackId: 1, start: 0, end: 1, label: huge }), /invalid input/);
  assert.throws(() => parseInput('dass.save', { clientId: 1, administeredAt: '2026-01-01' + huge, answers: Array(21).fill(0) }), /invalid input/);
});

test('client codes: printable, 1–64 characters, no control or bidi/formatting characters', () => {
  for (const ok of ['C-001', 'client 7', 'Ωμέγα-3', 'קליינט-5', 'x'.repeat(64)]) assert.equal(ClientCode.safeParse(ok).success, true, ok);
  for (const bad of [
    '',
    '   ',
    'x'.repeat(65),
    'C\u202E100',
    'C\u2066100\u2069',
    'C\u200F1',
    'C\u200B1',
    'C\n1',
    'C\u00001',
    'C\u001b[31m',
    'C\u20281',
  ])
    assert.equal(ClientCode.safeParse(bad).success, false, JSON.stringify(bad));
  assert.equal(ClientCode.parse('  C-1  '), 'C-1', 'trimmed');
  // Display names, annotator names and searches refuse the same characters.
  assert.throws(() => parseInput('clients.create', { code: 'C-1', displayName: 'Ann\u202Eeb' }), /control or formatting/);
  assert.throws(() => parseInput('annotations.createTrack', { sessionId: 1, annotator: 'r\u0000' }), /control or formatting/);
});

test('the CLI holds client codes to the same rule (`affect analyze --client`)', () => {
  const r = spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, 'bin/affect.mjs'), 'analyze', path.join(REPO_ROOT, 'data/samples/sample.mp4'), '--client', 'C\u202E001', '--no-store'],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--client "C\?001" is not a client code: 1–64 printable characters, no control or formatting characters/);
});
