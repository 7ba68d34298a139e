import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AnalysisResult } from '../electron/analysis/result.js';
import { ensureClient } from '../electron/store/clients-repo.js';
import { newKey } from '../electron/store/db-key.js';
import { backupDatabase } from '../electron/store/db-maintenance.js';
import { openDatabase } from '../electron/store/db.js';
import { compactAfterErasure, erase } from '../electron/store/erase-repo.js';
import { saveAnalysis } from '../electron/store/sessions-repo.js';
import { openWithPassphrase } from '../electron/store/open-database.js';

const ms = (t0: number) => performance.now() - t0;

/**
 * Privacy costs, printed: scrypt key derivation at the shipped cost, opening with the key, saving and reading
 * sessions plain vs encrypted, erasing a client (delete + checkpoint + VACUUM), an online backup.
 */
export async function benchPrivacy(root: string, result: AnalysisResult): Promise<void> {
  const dir = path.join(root, '.cache', 'bench', 'privacy');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let t0 = performance.now();
  await newKey('bench passphrase 123');
  console.log(`privacy: scrypt key derivation (N 2^17, r 8, p 1): ${ms(t0).toFixed(0)} ms`);
  let key: Buffer | null = null;
  const figures: Record<string, number[]> = {};
  for (const encrypted of [false, true]) {
    const file = path.join(dir, `${encrypted ? 'encrypted' : 'plain'}.sqlite`);
    const opened = await openWithPassphrase(file, encrypted ? 'bench passphrase 123' : null);
    const db = opened.db;
    if (encrypted) key = opened.key;
    const client = ensureClient(db, 'BENCH');
    t0 = performance.now();
    for (let i = 0; i < 50; i++) saveAnalysis(db, result, { clientId: client.id });
    const save = ms(t0) / 50;
    t0 = performance.now();
    for (let i = 0; i < 20; i++) db.prepare('SELECT probs FROM frame_results').all();
    const read = ms(t0) / 20;
    t0 = performance.now();
    backupDatabase(db, file, `${file}.backup`, { key: encrypted ? key : null, actor: 'cli' });
    const backup = ms(t0);
    t0 = performance.now();
    erase(db, { kind: 'client', id: client.id }, 'cli');
    compactAfterErasure(db);
    const eraseMs = ms(t0);
    figures[encrypted ? 'encrypted' : 'plain'] = [save, read, backup, eraseMs, statSync(`${file}.backup`).size / 2 ** 20];
    db.close();
  }
  t0 = performance.now();
  for (let i = 0; i < 20; i++) openDatabase(path.join(dir, 'encrypted.sqlite'), { key }).close();
  const open = ms(t0) / 20;
  for (const [name, [save, read, backup, eraseMs, mb]] of Object.entries(figures))
    console.log(
      `privacy: ${name}: save one session ${save.toFixed(1)} ms; read every frame of 50 sessions ${read.toFixed(0)} ms; backup (${mb.toFixed(1)} MiB) ${backup.toFixed(0)} ms; erase the client with 50 sessions + compact ${eraseMs.toFixed(0)} ms`,
    );
  console.log(`privacy: open an encrypted database with its key (migrations checked, quick_check): ${open.toFixed(1)} ms`);
}
