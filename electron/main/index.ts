/**
 * Electron main process: windows, security, and a relay between the renderer's typed API and the
 * engine host (a utilityProcess). Logic lives in security.ts and ../api (unit-tested without Electron).
 */
import '../privacy/no-telemetry.js';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session } from 'electron';
import { fork } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRpcClient, type RpcResponse } from '../api/rpc-host.js';
import { isApiMethod } from '../contract/api.js';
import { contentSecurityPolicy } from '../server/security.js';
import {
  engineHostEnv,
  isAllowedNavigation,
  isAllowedPermission,
  isAllowedRequest,
  isTrustedSender,
  MEDIA_SCHEME,
  quietChromiumSwitches,
  secureWebPreferences,
  silenceSpellChecker,
} from './security.js';

for (const [name, value] of quietChromiumSwitches()) app.commandLine.appendSwitch(name, value);
protocol.registerSchemesAsPrivileged([{ scheme: MEDIA_SCHEME, privileges: { stream: true, supportFetchAPI: true, standard: true, secure: true } }]);
app.enableSandbox();

const rendererDir = path.join(__dirname, '../renderer');
const devServer = process.env.ELECTRON_RENDERER_URL ?? null;
const allowed = { rendererDir, devServerOrigin: devServer };

/**
 * The engine host runs in its own Node.js process (not in main, not in the renderer), from the same
 * sources the CLI runs. It is a plain Node process rather than Electron's utilityProcess because the
 * native modules (better-sqlite3, onnxruntime-node) are built for Node's ABI by `npm ci`; see README.
 */
function startEngineHost() {
  const databasePath = process.env.AFFECT_DB ?? path.join(app.getPath('userData'), 'affect.sqlite');
  const node = process.env.AFFECT_NODE ?? process.env.npm_node_execpath ?? 'node';
  const child = fork(path.join(app.getAppPath(), 'electron/main/engine-host.mjs'), [], {
    execPath: node,
    env: engineHostEnv(process.env, databasePath),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const rpc = createRpcClient((msg) => child.send(msg));
  child.on('message', (msg) => rpc.receive(msg as RpcResponse));
  child.on('exit', (code) => rpc.failAll(`the engine process stopped (exit ${code})`));
  app.on('will-quit', () => child.kill());
  return rpc;
}

function createWindow() {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Affect Workstation',
    webPreferences: secureWebPreferences(path.join(__dirname, '../preload/index.cjs')),
  });
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url, win.webContents.getURL())) e.preventDefault();
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  if (devServer) void win.loadURL(devServer);
  else void win.loadFile(path.join(rendererDir, 'index.html'));
}

app.whenReady().then(() => {
  const ses = session.defaultSession;
  silenceSpellChecker(ses);
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(isAllowedPermission(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => isAllowedPermission(permission));
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url, allowed) }));
  ses.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] } }),
  );

  const rpc = startEngineHost();
  // affect-media://session/<id> → the session's recording. A video element sends many range requests
  // while seeking, so each session's path is looked up once (it never changes).
  const recordings = new Map<number, string>();
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const id = Number(new URL(request.url).pathname.replace(/^\//, ''));
    if (!recordings.has(id)) {
      const sessions = (await rpc.call('sessions.list', {})) as Array<{ id: number; file: string }>;
      for (const x of sessions) recordings.set(x.id, x.file);
    }
    const file = recordings.get(id);
    if (!file) return new Response('not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString(), { headers: request.headers });
  });
  ipcMain.handle('affect:call', (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url ?? '', allowed)) throw new Error('untrusted sender');
    if (typeof method !== 'string' || !isApiMethod(method)) throw new Error(`unknown method ${String(method)}`);
    return rpc.call(method, input);
  });
  ipcMain.handle('affect:pick-files', async (event) => {
    if (!isTrustedSender(event.senderFrame?.url ?? '', allowed)) throw new Error('untrusted sender');
    const r = await dialog.showOpenDialog({
      properties: ['openFile', 'multiSelections'],
      filters: [{ name: 'Recordings', extensions: ['mp4', 'mov', 'mkv', 'webm', 'avi', 'm4v', 'wav', 'mp3', 'm4a', 'flac', 'ogg', 'opus'] }],
    });
    return r.canceled ? [] : r.filePaths;
  });
  createWindow();
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow());
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url, contents.getURL())) e.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
