import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import { AffectService } from '../electron/api/service.js';
import { allAudit, appendAudit, verifyAuditChain } from '../electron/store/audit-repo.js';
import { openDatabase } from '../electron/store/db.js';
import { SAMPLE } from './helpers/media-fixtures.js';
import { tempDir } from './helpers/paths.js';
import { storeScriptedSession } from './helpers/stored-session.js';

function service() {
  const file = path.join(tempDir(), 'audit.sqlite');
  const db = openDatabase(file);
  const svc = new AffectService({ db, databasePath: file, actor: 'browser', engine: () => Promise.reject(new Error('no engine needed')) });
  return { svc, db, file };
}

test('the app records views, exports, edits, settings and erasures: ids, counts and fixed words only', async () => {
  const { svc, db, file } = service();
  const client = await svc.call('clients.create', { code: 'AUDIT-CODE-551', displayName: 'Audit Person' });
  const sessionId = await storeScriptedSession(db, SAMPLE, { faceAt: () => 'happy', voiceAt: () => 'sad' }, { clientId: client.id });
  await svc.call('sessions.get', { id: sessionId });
  await svc.call('export.session', { sessionId, format: 'csv', per: 'summary' });
  const dass = await svc.call('dass.save', { clientId: client.id, administeredAt: '2026-03-01', answers: Array(21).fill(1) });
  await svc.call('dass.update', { id: dass.id, administeredAt: '2026-03-02', answers: Array(21).fill(2) });
  await svc.call('clients.rename', { id: client.id, displayName: 'Another Name' });
  await svc.call('models.select', { role: 'faceExpression', id: null });
  await svc.call('erase.run', { kind: 'client', id: client.id });
  const rows = allAudit(db);
  assert.deepEqual(
    rows.map((r) => `${r.actor} ${r.action} ${r.objectKind}`),
    [
      'browser create client',
      'browser view session',
      'browser export session',
      'browser create dass',
      'browser edit dass',
      'browser edit client',
      'browser settings settings',
      'browser erase client',
    ],
  );
  assert.equal(rows[1].objectId, sessionId);
  assert.deepEqual(rows[2].details, { format: 'csv', per: 'summary' });
  assert.equal(rows.at(-1)!.details.sessions, 1);
  const everything = JSON.stringify(rows);
  for (const s of ['AUDIT-CODE-551', 'Audit Person', 'Another Name', 'sample.mp4', '/'])
    assert.equal(everything.includes(s), false, `"${s}" is not in the audit log`);
  assert.deepEqual(verifyAuditChain(db), { ok: true, checked: rows.length, firstBroken: null, headHash: rows.at(-1)!.hash });
  // The audit log through the API, and its exports.
  const listed = await svc.call('audit.list', { limit: 3 });
  assert.equal(listed.total, rows.length);
  assert.deepEqual(
    listed.entries.map((e) => e.id),
    [rows.at(-1)!.id, rows.at(-2)!.id, rows.at(-3)!.id],
  );
  const csv = Buffer.from((await svc.call('audit.export', { format: 'csv' })).base64, 'base64').toString('utf8');
  assert.match(csv.split('\n')[0], /^id,at,actor,action,object_kind,object_id,details,prev_hash,hash$/);
  const json = JSON.parse(Buffer.from((await svc.call('audit.export', { format: 'json' })).base64, 'base64').toString('utf8'));
  assert.equal(json.verification.ok, true);
  assert.equal(json.entries.at(-1).action, 'audit-export');
  await svc.close();
  db.close();
  assert.equal(readFileSync(file).toString('latin1').includes('AUDIT-CODE-551'), false);
});

test('detail values that could identify someone are refused at the source', () => {
  const db = openDatabase(path.join(tempDir(), 'refuse.sqlite'));
  assert.throws(
    () => appendAudit(db, { actor: 'cli', action: 'view', details: { code: 'C-7' } }),
    /must be a number, boolean, list of ids, or a short word/,
  );
  assert.throws(() => appendAudit(db, { actor: 'cli', action: 'export', details: { format: '/home/x/report.pdf' } }), /short word/);
  assert.throws(() => appendAudit(db, { actor: 'cli', action: 'export', details: { reason: 'reports suicidal ideation' } }), /short word/);
  assert.equal(allAudit(db).length, 0);
  db.close();
});

test('the audit log is append-only; a row edited or removed behind the triggers breaks the chain at that entry', () => {
  const file = path.join(tempDir(), 'chain.sqlite');
  const db = openDatabase(file);
  for (let i = 1; i <= 6; i++) appendAudit(db, { actor: 'cli', action: 'view', objectKind: 'session', objectId: i });
  assert.throws(() => db.prepare('UPDATE audit_log SET object_id = 99 WHERE id = 3').run(), /append-only/);
  assert.throws(() => db.prepare('DELETE FROM audit_log WHERE id = 3').run(), /append-only/);
  assert.equal(verifyAuditChain(db).ok, true);
  db.close();

  // Someone with the file (and key) drops the triggers and edits entry 3.
  const raw = new Database(file);
  raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete');
  raw.prepare('UPDATE audit_log SET object_id = 42 WHERE id = 3').run();
  raw.close();
  const edited = openDatabase(file);
  assert.deepEqual(verifyAuditChain(edited).firstBroken, { id: 3, reason: 'its fields do not match its hash (the entry was edited)' });
  assert.equal(verifyAuditChain(edited).checked, 2);
  edited.close();

  const raw2 = new Database(file);
  raw2.prepare('UPDATE audit_log SET object_id = 3 WHERE id = 3').run(); // put it back
  raw2.prepare('DELETE FROM audit_log WHERE id = 5').run();
  raw2.close();
  const removed = openDatabase(file);
  const v = verifyAuditChain(removed);
  assert.equal(v.ok, false);
  assert.equal(v.firstBroken!.id, 6);
  assert.match(v.firstBroken!.reason, /does not link to the entry before it/);
  removed.close();
});
