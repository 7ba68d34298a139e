import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { AffectService } from '../electron/api/service.js';
import { openDatabase } from '../electron/store/db.js';
import { tempDir } from './helpers/paths.js';

function service() {
  const file = path.join(tempDir(), 'svc.sqlite');
  const db = openDatabase(file);
  const svc = new AffectService({ db, databasePath: file, engine: () => Promise.reject(new Error('no engine needed')) });
  return { svc, close: async () => (await svc.close(), db.close()) };
}

test('DASS-21 through the API: verbatim items, exact scores, items of note, next steps, history with flagged change', async () => {
  const { svc, close } = service();
  const items = await svc.call('dass.items', {});
  assert.equal(items.items.length, 21);
  assert.equal(items.items[20].text, 'I felt that life was meaningless');
  const client = await svc.call('clients.create', { code: 'C-7' });

  const first = await svc.call('dass.save', { clientId: client.id, administeredAt: '2026-09-01', answers: Array(21).fill(0) });
  assert.equal(first.depression.score, 0);
  assert.equal(first.depression.band, 'normal');
  assert.deepEqual(first.itemsOfNote, []);
  assert.ok(
    first.nextSteps.some((s) => s.kind === 'exercise'),
    'all-normal results suggest relaxation/self-care',
  );
  assert.ok(!first.nextSteps.some((s) => s.kind === 'helpline'));

  const answers: Array<0 | 1 | 2 | 3 | null> = Array(21).fill(1);
  answers[20] = 3; // item 21, depression
  answers[2] = null; // one depression item missing → prorated
  const second = await svc.call('dass.save', { clientId: client.id, administeredAt: '2026-10-01', answers });
  // Depression answered: items 5,10,13,16,17 = 1 each, 21 = 3 → sum 8 over six items → round(2·8·7/6) = 19 → moderate.
  assert.equal(second.depression.score, 19);
  assert.equal(second.depression.prorated, true);
  assert.equal(second.depression.band, 'moderate');
  assert.equal(second.itemsOfNote[0].item, 21);
  assert.ok(
    second.nextSteps.some((s) => s.kind === 'review'),
    "moderate or worse asks for the clinician's review",
  );
  assert.ok(
    second.nextSteps.some((s) => s.kind === 'helpline' && /1926/.test(s.detail)),
    'Sri Lanka 1926 is listed',
  );

  const history = await svc.call('dass.list', { clientId: client.id });
  assert.equal(history.administrations.length, 2);
  const change = history.changes[0].subscales.find((c) => c.subscale === 'depression')!;
  assert.equal(change.difference, 19);
  assert.equal(change.flagged, true);
  assert.equal(change.bandChanged, true);

  await assert.rejects(
    svc.call('dass.save', { clientId: client.id, administeredAt: '2026-10-01', answers: Array(20).fill(0) } as never),
    /invalid input/,
  );
  await assert.rejects(svc.call('dass.save', { clientId: 999, administeredAt: '2026-10-01', answers: Array(21).fill(0) }), /no client/);
  const trends = await svc.call('trends.get', { clientId: client.id });
  assert.equal(trends.dass.length, 2);
  await close();
});

test('clients: create, duplicate refused, rename, archive, search', async () => {
  const { svc, close } = service();
  const a = await svc.call('clients.create', { code: 'A-1', displayName: 'Alpha' });
  await svc.call('clients.create', { code: 'B-2' });
  await assert.rejects(svc.call('clients.create', { code: 'A-1' }), /already exists/);
  assert.equal((await svc.call('clients.rename', { id: a.id, displayName: 'Alpha Two' })).displayName, 'Alpha Two');
  await svc.call('clients.archive', { id: a.id, archived: true });
  assert.deepEqual(
    (await svc.call('clients.list', {})).map((c) => c.code),
    ['B-2'],
  );
  // An archived client still owns its code, and surrounding spaces do not make a new code.
  await assert.rejects(svc.call('clients.create', { code: ' A-1 ' }), /"A-1" already exists/);
  // A code that merely contains another (LIKE would match it) is a different client.
  assert.equal((await svc.call('clients.create', { code: 'A-10' })).code, 'A-10');
  assert.deepEqual(
    (await svc.call('clients.list', { includeArchived: true, search: 'two' })).map((c) => c.code),
    ['A-1'],
  );
  assert.deepEqual(
    (await svc.call('clients.list', { includeArchived: true })).map((c) => c.code),
    ['A-1', 'A-10', 'B-2'],
  );
  await close();
});
