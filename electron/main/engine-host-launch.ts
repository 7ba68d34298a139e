import path from 'node:path';
import { engineHostEnv } from './security.js';

/**
 * How the Electron main process starts the engine host (database, job queue, analysis engine):
 * - packaged app: Electron's `utilityProcess` running the bundled `out/main/engine-host.js`, whose native modules
 *   (better-sqlite3-compatible SQLite, onnxruntime-node) electron-builder rebuilt for Electron's ABI;
 * - `npm start` from a checkout: a plain Node process (`child_process.fork` on the Node that ran npm) running the
 *   TypeScript sources through tsx, because `npm ci` built the native modules for Node's ABI.
 * Both speak the same request/response protocol (electron/api/rpc-host.ts). Pure, so it is unit-tested.
 */
export type EngineHostLaunch =
  | { kind: 'utility-process'; modulePath: string; env: NodeJS.ProcessEnv }
  | { kind: 'node-fork'; modulePath: string; execPath: string; env: NodeJS.ProcessEnv };

export interface LaunchContext {
  packaged: boolean;
  /** app.getAppPath(): the checkout, or `…/resources/app.asar` when packaged. */
  appPath: string;
  /** The main process's own bundle folder (`out/main`). */
  mainDir: string;
  databasePath: string;
  env: NodeJS.ProcessEnv;
}

export function engineHostLaunch(ctx: LaunchContext): EngineHostLaunch {
  // The database path, without ELECTRON_RUN_AS_NODE, with every phone-home switch of the libraries it loads off.
  const env: NodeJS.ProcessEnv = engineHostEnv(ctx.env, ctx.databasePath);
  if (ctx.packaged) return { kind: 'utility-process', modulePath: path.join(ctx.mainDir, 'engine-host.js'), env };
  return {
    kind: 'node-fork',
    modulePath: path.join(ctx.appPath, 'electron', 'main', 'engine-host.mjs'),
    execPath: ctx.env.AFFECT_NODE ?? ctx.env.npm_node_execpath ?? 'node',
    env,
  };
}
