/**
 * The engine host process: the database, the job queue and the analysis engine live here, off the
 * Electron main process and far from the renderer, so the window never freezes. Started by
 * main/index.ts (see engine-host-launch.ts): as Electron's utilityProcess in a packaged app (messages on
 * process.parentPort), or with child_process.fork from a checkout (messages on the IPC channel). Either way
 * it speaks the rpc-host protocol.
 */
import '../privacy/no-telemetry.js';
import { AnalysisEngine } from '../analysis/engine.js';
import { createRpcHost, type RpcRequest, type RpcResponse } from '../api/rpc-host.js';
import { AffectService } from '../api/service.js';
import { isVaultKeyMessage, unlockWithKeyMessage, type VaultKeyReply } from './vault-bridge.js';

/** The one message channel to the main process, whichever way this process was started. */
interface ParentChannel {
  post(msg: RpcResponse | VaultKeyReply): void;
  onMessage(handler: (msg: unknown) => void): void;
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
      onMessage: (handler) => port.on('message', (e) => handler(e.data)),
      // A utility process is ended by its parent; there is no disconnect event to wait for.
      onClose: () => undefined,
    };
  if (process.send)
    return {
      post: (msg) => process.send!(msg),
      onMessage: (handler) => process.on('message', handler),
      onClose: (handler) => process.on('disconnect', handler),
    };
  return null;
}

const databasePath = process.env.AFFECT_DB_PATH;
const channel = parentChannel();
if (!databasePath || !channel)
  throw new Error('engine host: start it from the Electron main process (AFFECT_DB_PATH and a message channel are needed)');
const modelsRoot = process.env.AFFECT_MODELS_DIR || undefined;
// Starts locked (encrypted database), in first-run setup (none yet) or open (plain); the renderer's unlock screen
// and the main process's keychain (a `{ vaultKey }` message) unlock it.
const service = new AffectService({ databasePath, modelsRoot, engine: (models) => AnalysisEngine.create({ modelsRoot, ...models }) });
const host = createRpcHost(service, (msg) => channel.post(msg));
channel.onMessage((msg) => {
  if (isVaultKeyMessage(msg)) void unlockWithKeyMessage(service, msg).then((reply) => channel.post(reply));
  else void host(msg as RpcRequest);
});
channel.onClose(() => {
  void service.close().finally(() => process.exit(0));
});
