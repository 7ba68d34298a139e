/**
 * The engine host process: the database, the job queue and the analysis engine live here, off the
 * Electron main process and far from the renderer, so the window never freezes. Started by
 * main/index.ts with child_process.fork; speaks the rpc-host protocol over the IPC channel.
 */
import '../privacy/no-telemetry.js';
import { AnalysisEngine } from '../analysis/engine.js';
import { createRpcHost, type RpcRequest } from '../api/rpc-host.js';
import { AffectService } from '../api/service.js';
import { openDatabase } from '../store/db.js';

const databasePath = process.env.AFFECT_DB_PATH;
if (!databasePath || !process.send) throw new Error('engine host: start it from the Electron main process (AFFECT_DB_PATH and an IPC channel are needed)');
const db = openDatabase(databasePath);
const modelsRoot = process.env.AFFECT_MODELS_DIR || undefined;
const service = new AffectService({ db, databasePath, modelsRoot, engine: (models) => AnalysisEngine.create({ modelsRoot, ...models }) });
const host = createRpcHost(service, (msg) => process.send!(msg));
process.on('message', (msg) => void host(msg as RpcRequest));
process.on('disconnect', () => {
  void service.close().finally(() => {
    db.close();
    process.exit(0);
  });
});
