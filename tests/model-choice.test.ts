import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import { AnalysisEngine } from '../electron/analysis/engine.js';
import { AffectService } from '../electron/api/service.js';
import { openDatabase } from '../electron/store/db.js';
import { listMigrations, migrate } from '../electron/store/migrations.js';
import { getSetting, setSetting } from '../electron/store/settings-repo.js';
import { SAMPLE } from './helpers/media-fixtures.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';

const FIXTURES = path.join(REPO_ROOT, 'tests/fixtures/models');

/** A models folder like native-models/: the real detector, tiny face/voice models, and a second face model "face-alt". */
function modelsRoot(): string {
  const root = tempDir('models-root-');
  cpSync(path.join(REPO_ROOT, 'native-models/blazeface-front-128'), path.join(root, 'blazeface-front-128'), { recursive: true });
  cpSync(path.join(FIXTURES, 'face-cnn-tiny'), path.join(root, 'face-cnn'), { recursive: true });
  cpSync(path.join(FIXTURES, 'voice-spectrogram-cnn-tiny'), path.join(root, 'voice-spectrogram-cnn'), { recursive: true });
  cpSync(path.join(FIXTURES, 'face-cnn-tiny'), path.join(root, 'face-alt'), { recursive: true });
  const manifest = path.join(root, 'face-alt', 'manifest.json');
  writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), id: 'face-alt', version: '9.9.9' }));
  return root;
}

test('005_settings: app_settings holds JSON values; the repo reads, replaces and removes them', () => {
  const file = path.join(tempDir(), 'settings.sqlite');
  const raw = new Database(file);
  migrate(raw, listMigrations(), 4);
  migrate(raw, listMigrations(), 5);
  assert.throws(() => raw.prepare("INSERT INTO app_settings (key, value) VALUES ('k', 'not json')").run(), /CHECK constraint/);
  raw.close();
  const db = openDatabase(file);
  assert.equal(getSetting(db, 'models'), undefined);
  setSetting(db, 'models', { faceExpression: 'x' });
  setSetting(db, 'models', { faceExpression: 'y' });
  assert.deepEqual(getSetting(db, 'models'), { faceExpression: 'y' });
  setSetting(db, 'models', undefined);
  assert.equal(getSetting(db, 'models'), undefined);
  db.close();
});

test('choosing a face model: listed with figures, refused for the wrong role, used by the next analysis, kept across restarts', async () => {
  const root = modelsRoot();
  const file = path.join(tempDir(), 'choice.sqlite');
  const seen: string[] = [];
  const open = () => {
    const db = openDatabase(file);
    const svc = new AffectService({
      db,
      databasePath: file,
      modelsRoot: root,
      engine: (models) => (seen.push(models.faceExpression), AnalysisEngine.create({ modelsRoot: root, ...models, threads: 1 })),
    });
    return { db, svc };
  };
  let { db, svc } = open();
  try {
    const listed = await svc.call('models.list', {});
    const face = listed.filter((m) => m.role === 'faceExpression');
    assert.deepEqual(
      face.map((m) => [m.id, m.selected, m.isDefault]),
      [
        ['face-alt', false, false],
        ['face-cnn', true, true],
      ],
    );
    await assert.rejects(svc.call('models.select', { role: 'voiceEmotion', id: 'face-alt' }), /no installed voice-emotion model "face-alt"/);
    await assert.rejects(svc.call('models.select', { role: 'faceExpression', id: 'nope' }), /no installed face-expression model "nope"/);

    const after = await svc.call('models.select', { role: 'faceExpression', id: 'face-alt' });
    assert.equal(after.find((m) => m.selected && m.role === 'faceExpression')?.id, 'face-alt');
    const info = await svc.call('app.info', {});
    assert.equal(info.models.find((m) => m.role === 'face-expression')?.id, 'face-alt');

    // A real import with the chosen model: the stored session names it.
    const [job] = await svc.call('jobs.enqueue', { paths: [SAMPLE], fps: 1 });
    await svc.queue.idle();
    const done = (await svc.call('jobs.list', {})).find((j) => j.id === job.id)!;
    assert.equal(done.status, 'done', done.error ?? '');
    const session = await svc.call('sessions.get', { id: done.sessionId! });
    assert.equal(session.models.find((m) => m.role === 'face-expression')?.id, 'face-alt');
    assert.deepEqual(seen, ['face-alt']);
  } finally {
    await svc.close();
    db.close();
  }

  // After a restart the choice is still there; removing the model's folder falls back to the default.
  ({ db, svc } = open());
  try {
    assert.equal((await svc.call('app.info', {})).models.find((m) => m.role === 'face-expression')?.id, 'face-alt');
    rmSync(path.join(root, 'face-alt'), { recursive: true });
    assert.equal((await svc.call('app.info', {})).models.find((m) => m.role === 'face-expression')?.id, 'face-cnn');
    // Back to the default explicitly: nothing stored any more.
    await svc.call('models.select', { role: 'faceExpression', id: null });
    assert.equal(getSetting(db, 'models'), undefined);
  } finally {
    await svc.close();
    db.close();
  }
});
