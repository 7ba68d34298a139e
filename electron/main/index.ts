/**
 * Electron main process: windows, security, and a relay between the renderer's typed API and the
 * engine host (a utilityProcess). Logic lives in security.ts and ../api (unit-tested without Electron).
 */
import '../privacy/no-telemetry.js';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, session, utilityProcess } from 'electron';
import { fork } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRpcClient, type RpcResponse } from '../api/rpc-host.js';
import { isApiMethod } from '../contract/api.js';
import { contentSecurityPolicy } from '../server/security.js';
import { engineHostLaunch } from './engine-host-launch.js';
import { parseMediaRequest } from './media-request.js';
import { saveExportFile } from './save-file.js';
import {
  isAllowedNavigation,
  isAllowedPermission,
  isAllowedRequest,
  isTrustedSender,
  MEDIA_SCHEME,
  quietChromiumSwitches,
  secureWebPreferences,
  silenceSpellChecker,
} from './security.js';
import { isVaultKeyReply, Keychain, relayVaultCall, unlockFromKeychain, type VaultKeyReply } from './vault-bridge.js';

for (const [name, value] of quietChromiumSwitches()) app.commandLine.appendSwitch(name, value);
protocol.registerSchemesAsPrivileged([{ scheme: MEDIA_SCHEME, privileges: { stream: true, supportFetchAPI: true, standard: true, secure: true } }]);
app.enableSandbox();

const rendererDir = path.join(__dirname, '../renderer');
const devServer = process.env.ELECTRON_RENDERER_URL ?? null;
const allowed = { rendererDir, devServerOrigin: devServer };

/**
 * The engine host runs in its own process (not in main, not in the renderer): Electron's utilityProcess
 * in a packaged app, a plain Node process from a checkout (engine-host-launch.ts says why).
 */
function startEngineHost() {
  const databasePath = process.env.AFFECT_DB ?? path.join(app.getPath('userData'), 'affect.sqlite');
  const launch = engineHostLaunch({ packaged: app.isPackaged, appPath: app.getAppPath(), mainDir: __dirname, databasePath, env: process.env });
  const host = (() => {
    if (launch.kind === 'utility-process') {
      const child = utilityProcess.fork(launch.modulePath, [], { env: launch.env, serviceName: 'Affect Workstation engine', stdio: 'inherit' });
      return {
        send: (msg: unknown) => child.postMessage(msg),
        onMessage: (h: (msg: unknown) => void) => child.on('message', h),
        onExit: (h: (code: number | null) => void) => child.on('exit', h),
        kill: () => child.kill(),
      };
    }
    const child = fork(launch.modulePath, [], { execPath: launch.execPath, env: launch.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return {
      send: (msg: unknown) => child.send(msg as object),
      onMessage: (h: (msg: unknown) => void) => child.on('message', h),
      onExit: (h: (code: number | null) => void) => child.on('exit', h),
      kill: () => child.kill(),
    };
  })();
  const rpc = createRpcClient((msg) => host.send(msg));
  // A remembered key (system keychain) unlocks the engine host by a message of its own, not a contract call.
  let keyReply: ((r: VaultKeyReply) => void) | null = null;
  host.onMessage((msg) => (isVaultKeyReply(msg) ? keyReply?.(msg) : rpc.receive(msg as RpcResponse)));
  host.onExit((code) => rpc.failAll(`the engine process stopped (exit ${code})`));
  app.on('will-quit', () => host.kill());
  const keychain = new Keychain(safeStorage, path.join(app.getPath('userData'), 'vault-keychain.json'));
  void unlockFromKeychain(keychain, databasePath, (msg) => new Promise<VaultKeyReply>((resolve) => ((keyReply = resolve), host.send(msg))));
  return { rpc, call: (method: string, input: unknown) => relayVaultCall(method, input, (m, i) => rpc.call(m, i), keychain, databasePath) };
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

  const { rpc, call } = startEngineHost();
  // affect-media://session/<id>[?variant=playback] → the session's recording, or its playback copy. Looked up on each
  // request: a recording the user located again, or a copy just made, is served at once.
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const want = parseMediaRequest(request.url);
    if (!want) return new Response('not found', { status: 404 });
    // Nothing plays while the database is locked (auto-lock happens in the engine host) or in client mode
    // (self-care hand-over): the service refuses media.source then.
    let file: string | null;
    try {
      ({ file } = (await rpc.call('media.source', want)) as { file: string | null });
    } catch {
      return new Response('not available', { status: 403 });
    }
    if (!file) return new Response('recording not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString(), { headers: request.headers });
  });
  ipcMain.handle('affect:call', async (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url ?? '', allowed)) throw new Error('untrusted sender');
    if (typeof method !== 'string' || !isApiMethod(method)) throw new Error(`unknown method ${String(method)}`);
    const result = await call(method, input);
    // Client mode (self-care hand-over) fills the screen; the renderer's own fullscreen request is denied by policy.
    if (method === 'clientMode.enter' || method === 'clientMode.exit')
      BrowserWindow.fromWebContents(event.sender)?.setFullScreen(method === 'clientMode.enter');
    return result;
  });
  ipcMain.handle('affect:pick-files', async (event) => {
    if (!isTrustedSender(event.senderFrame?.url ?? '', allowed)) throw new Error('untrusted sender');
    const r = await dialog.showOpenDialog({
      properties: ['openFile', 'multiSelections'],
      // A transcript picked with its recording (talk.mp4 + talk.vtt) goes with it.
      filters: [
        {
          name: 'Recordings and transcripts',
          extensions: ['mp4', 'mov', 'mkv', 'webm', 'avi', 'm4v', 'wav', 'mp3', 'm4a', 'flac', 'ogg', 'opus', 'vtt', 'srt', 'eaf', 'txt'],
        },
      ],
    });
    return r.canceled ? [] : r.filePaths;
  });
  ipcMain.handle('affect:save-file', async (event, request: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url ?? '', allowed)) throw new Error('untrusted sender');
    const win = BrowserWindow.fromWebContents(event.sender);
    return saveExportFile(request, {
      showSaveDialog: (o) => (win ? dialog.showSaveDialog(win, o) : dialog.showSaveDialog(o)),
      writeFile: (file, data) => writeFile(file, data),
      defaultDir: app.getPath('documents'),
    });
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
