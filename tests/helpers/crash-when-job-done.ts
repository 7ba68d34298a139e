/**
 * A crash at the worst moment, for tests/no-duplicate-sessions.test.ts: runs the app's import queue (the real
 * service and engine) on a database and a recording, and kills its own process (SIGKILL: no clean-up, no
 * rollback by the app) at the instant the job is being marked done. A TEMP trigger lives in this connection
 * only; the database file is not changed by it.
 *   node --import tsx tests/helpers/crash-when-job-done.ts <db> <recording>
 */
import '../../electron/privacy/no-telemetry.js';
import { AnalysisEngine } from '../../electron/analysis/engine.js';
import { AffectService } from '../../electron/api/service.js';
import { openDatabase } from '../../electron/store/db.js';

const [dbPath, file] = process.argv.slice(2);
const db = openDatabase(dbPath);
db.function('crash_now', () => {
  process.kill(process.pid, 'SIGKILL');
  return 0;
});
db.exec("CREATE TEMP TRIGGER crash_when_done BEFORE UPDATE OF status ON main.import_jobs WHEN NEW.status = 'done' BEGIN SELECT crash_now(); END");
const service = new AffectService({ db, databasePath: dbPath, engine: (models) => AnalysisEngine.create({ ...models }) });
await service.call('jobs.enqueue', { paths: [file] });
setTimeout(() => {
  console.error('crash-when-job-done: the job never reached "done"');
  process.exit(3);
}, 240_000);
