/**
 * The engine host process: the database, the job queue and the analysis engine live here, off the
 * Electron main process and far from the renderer, so the window never freezes. Started by
 * main/index.ts with child_process.fork; speaks the rpc-host protocol over the IPC channel.
 */
import { AnalysisEngine } from '../analysis/engine.js';
import { createRpcHost, type RpcRequest } from '../api/rpc-host.js';
import { AffectService } from '../api/service.js';
import { isVaultKeyMessage, unlockWithKeyMessage } from './vault-bridge.js';

const databasePath = process.env.AFFECT_DB_PATH;
if (!databasePath || !process.send) throw new Error('engine host: start it from the Electron main process (AFFECT_DB_PATH and an IPC channel are needed)');
const modelsRoot = process.env.AFFECT_MODELS_DIR || undefined;
// Starts locked (encrypted database), in first-run setup (none yet) or open (plain); the renderer's unlock screen
// and the main process's keychain (a `{ vaultKey }` message) unlock it.
const service = new AffectService({ databasePath, modelsRoot, engine: (models) => AnalysisEngine.create({ modelsRoot, ...models }) });
const host = createRpcHost(service, (msg) => process.send!(msg));
process.on('message', (msg) => {
  if (isVaultKeyMessage(msg)) void unlockWithKeyMessage(service, msg).then((reply) => process.send!(reply));
  else void host(msg as RpcRequest);
});
process.on('disconnect', () => {
  void service.close().finally(() => process.exit(0));
});
