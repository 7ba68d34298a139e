import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import { badInputFixtures } from './helpers/media-fixtures.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';

const AFFECT = path.join(REPO_ROOT, 'bin', 'affect.mjs');
const affect = (args: string[]) => {
  const r = spawnSync(process.execPath, [AFFECT, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** Everything analysed in a database, keyed by recording content, without ids and timings. */
function contents(dbFile: string) {
  const db = new Database(dbFile, { readonly: true });
  const rows = db
    .prepare(
      `SELECT m.sha256, s.id, s.summary,
        (SELECT group_concat(frame_index || ':' || ifnull(label, '-') || ':' || ifnull(round(confidence, 5), '-'), ',') FROM frame_results f WHERE f.session_id = s.id) AS frames,
        (SELECT group_concat(window_index || ':' || ifnull(label, '-') || ':' || ifnull(round(confidence, 5), '-'), ',') FROM window_results w WHERE w.session_id = s.id) AS windows
       FROM sessions s JOIN media m ON m.id = s.media_id ORDER BY m.sha256`,
    )
    .all() as Array<{ sha256: string; id: number; summary: string; frames: string | null; windows: string | null }>;
  db.close();
  return rows.map((r) => {
    const s = JSON.parse(r.summary);
    assert.equal(s.session.id, r.id, 'the stored summary names its own session');
    const { elapsedS: _e, session, ...rest } = s;
    return { sha256: r.sha256, file: path.basename(session.file), summary: rest, frames: r.frames, windows: r.windows };
  });
}

let dir: string;
before(() => {
  const fx = badInputFixtures();
  dir = path.join(tempDir(), 'recordings');
  mkdirSync(path.join(dir, 'day2'), { recursive: true });
  copyFileSync(fx.wav, path.join(dir, 'a.wav'));
  copyFileSync(fx.mp3, path.join(dir, 'b.mp3'));
  copyFileSync(fx.videoNoAudio, path.join(dir, 'day2', 'c.mp4'));
  copyFileSync(fx.flac, path.join(dir, 'day2', 'd.flac'));
});

test('a sharded batch merged equals a single-machine run; re-runs and re-merges add nothing', { timeout: 600_000 }, () => {
  const out = tempDir();
  const single = path.join(out, 'single.sqlite');
  const r = affect(['analyze', dir, '--db', single, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 4);

  // Started again: everything is already there; stdout still has one summary per file, the stored one.
  const again = affect(['analyze', dir, '--db', single, '--json']);
  assert.equal(again.code, 0, again.stderr);
  const ids = (out: string) =>
    out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).session.id as number)
      .sort();
  assert.deepEqual(ids(again.stdout), ids(r.stdout), 'the stored summaries of the same sessions');
  assert.equal((again.stderr.match(/already analysed as session/g) ?? []).length, 4);

  const shards = [1, 2, 3].map((i) => path.join(out, `shard-${i}.sqlite`));
  let total = 0;
  for (const [i, db] of shards.entries()) {
    const s = affect(['analyze', dir, '--db', db, '--json', '--shard', `${i + 1}/3`]);
    assert.equal(s.code, 0, s.stderr);
    total += s.stdout.trim() ? s.stdout.trim().split('\n').length : 0;
  }
  assert.equal(total, 4, 'each file lands in exactly one shard');

  const merged = path.join(out, 'merged.sqlite');
  const m = affect(['merge', ...shards, '--into', merged, '--json']);
  assert.equal(m.code, 0, m.stderr);
  assert.deepEqual(contents(merged), contents(single));
  const twice = affect(['merge', ...shards, '--into', merged, '--json']);
  assert.equal(
    JSON.parse(twice.stdout).sources.reduce((n: number, s: { sessionsAdded: number }) => n + s.sessionsAdded, 0),
    0,
  );
  assert.deepEqual(contents(merged), contents(single));
});

test('bad shard specs are usage errors', () => {
  for (const spec of ['0/3', '4/3', 'a/b', '1']) {
    const r = affect(['analyze', dir, '--shard', spec, '--no-store']);
    assert.equal(r.code, 2, spec);
    assert.match(r.stderr, /--shard must be i\/N/);
  }
});
