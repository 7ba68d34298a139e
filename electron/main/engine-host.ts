/**
 * The engine host process: the database, the job queue and the analysis engine live here, off the
 * Electron main process and far from the renderer, so the window never freezes. Started by
 * main/index.ts (see engine-host-launch.ts): as Electron's utilityProcess in a packaged app (messages on
 * process.parentPort), or with child_process.fork from a checkout (messages on the IPC channel). Either way
 * it speaks the rpc-host protocol.
 */
import { AnalysisEngine } from '../analysis/engine.js';
import { createRpcHost, type RpcRequest, type RpcResponse } from '../api/rpc-host.js';
import { AffectService } from '../api/service.js';
import { openDatabase } from '../store/db.js';

/** The one message channel to the main process, whichever way this process was started. */
interface ParentChannel {
  post(msg: RpcResponse): void;
  onMessage(handler: (msg: RpcRequest) => void): void;
  onClose(handler: () => void): void;
}

interface ElectronParentPort {
  postMessage(msg: unknown): void;
  on(event: 'message', handler: (e: { data: unknown }) => void): void;
}

function parentChannel(): ParentChannel | null {
  const port = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (port)
    return {
      post: (msg) => port.postMessage(msg),
      onMessage: (handler) => port.on('message', (e) => handler(e.data as RpcRequest)),
      // A utility process is ended by its parent; there is no disconnect event to wait for.
      onClose: () => undefined,
    };
  if (process.send)
    return {
      post: (msg) => process.send!(msg),
      onMessage: (handler) => process.on('message', (msg) => handler(msg as RpcRequest)),
      onClose: (handler) => process.on('disconnect', handler),
    };
  return null;
}

const databasePath = process.env.AFFECT_DB_PATH;
const channel = parentChannel();
if (!databasePath || !channel) throw new Error('engine host: start it from the Electron main process (AFFECT_DB_PATH and a message channel are needed)');
const db = openDatabase(databasePath);
const modelsRoot = process.env.AFFECT_MODELS_DIR || undefined;
const service = new AffectService({ db, databasePath, modelsRoot, engine: (models) => AnalysisEngine.create({ modelsRoot, ...models }) });
const host = createRpcHost(service, (msg) => channel.post(msg));
channel.onMessage((msg) => void host(msg));
channel.onClose(() => {
  void service.close().finally(() => {
    db.close();
    process.exit(0);
  });
});
