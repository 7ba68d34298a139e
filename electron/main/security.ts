import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Electron security checklist as plain data and pure functions, so it is unit-tested without
 * Electron. main/index.ts applies them.
 */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: undefined,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  } as const;
}

export const MEDIA_SCHEME = 'affect-media';

export interface AllowedOrigins {
  /** Folder of the built renderer (file:// requests must stay inside it). */
  rendererDir: string;
  /** In development only: the electron-vite dev server origin. */
  devServerOrigin?: string | null;
}

/**
 * The request blocker: the app's own files, its media protocol, devtools and (in development) the
 * local dev server. Everything else, every http(s)/ws request to anywhere, is refused, so the app
 * is network-silent.
 */
export function isAllowedRequest(rawUrl: string, allowed: AllowedOrigins): boolean {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return false;
  }
  switch (url.protocol) {
    case 'file:': {
      const file = path.resolve(fileURLToPath(url));
      const root = path.resolve(allowed.rendererDir);
      return file === root || file.startsWith(root + path.sep);
    }
    case `${MEDIA_SCHEME}:`:
      return true;
    case 'devtools:':
    case 'data:':
    case 'blob:':
      return true;
    case 'http:':
    case 'ws:':
      return Boolean(allowed.devServerOrigin) && url.origin === new URL(allowed.devServerOrigin!).origin.replace(/^https?/, url.protocol.slice(0, -1));
    default:
      return false;
  }
}

/** In-app navigation is never allowed: the single page never leaves its own document. */
export function isAllowedNavigation(targetUrl: string, currentUrl: string): boolean {
  try {
    const target = new URL(targetUrl);
    const current = new URL(currentUrl);
    return target.protocol === current.protocol && target.host === current.host && target.pathname === current.pathname;
  } catch {
    return false;
  }
}

/** Permissions (camera, microphone, notifications, geolocation…) are denied by default. */
export function isAllowedPermission(_permission: string): boolean {
  return false;
}

/** IPC is only accepted from the app's own top-level page. */
export function isTrustedSender(senderUrl: string, allowed: AllowedOrigins): boolean {
  return isAllowedRequest(senderUrl, allowed) && !senderUrl.startsWith(`${MEDIA_SCHEME}:`) && !/^(data|blob|devtools):/.test(senderUrl);
}
