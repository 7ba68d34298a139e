import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { silenceEnv } from '../privacy/network-silence.js';

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
      return (
        Boolean(allowed.devServerOrigin) && url.origin === new URL(allowed.devServerOrigin!).origin.replace(/^https?/, url.protocol.slice(0, -1))
      );
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

/**
 * Chromium command-line switches that keep the browser engine's own background features off the
 * network, each for a reason: background networking (variations, update and safe-browsing lists),
 * the component updater, domain-reliability uploads, hyperlink-auditing pings, proxy auto-detection
 * (WPAD lookups), and any host-name lookup but the local ones (so no feature can reach a server by
 * name). main/index.ts appends them before the app is ready; the e2e and network-silence tests start
 * Debian's Chromium with the same list.
 */
export function quietChromiumSwitches(): Array<[name: string, value?: string]> {
  return [
    ['disable-background-networking'],
    ['disable-component-update'],
    ['disable-domain-reliability'],
    ['disable-sync'],
    ['no-pings'],
    ['no-proxy-server'],
    ['host-resolver-rules', 'MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'],
    [
      'disable-features',
      'AutofillServerCommunication,CertificateTransparencyComponentUpdater,MediaRouter,OptimizationHints,Translate,NetworkTimeServiceQuerying',
    ],
  ];
}

/** The same switches as command-line arguments (`--name` or `--name=value`). */
export function quietChromiumArgs(): string[] {
  return quietChromiumSwitches().map(([name, value]) => (value === undefined ? `--${name}` : `--${name}=${value}`));
}

/** The part of an Electron session that can fetch spell-checker dictionaries. */
export interface SpellCheckerControls {
  setSpellCheckerEnabled(enable: boolean): void;
  setSpellCheckerLanguages(languages: string[]): void;
  setSpellCheckerDictionaryDownloadURL(url: string): void;
}

/** Nothing reachable: the spell checker's dictionary downloads point at the local discard port. */
export const NO_DICTIONARY_URL = 'http://127.0.0.1:9/';

/**
 * Electron downloads Hunspell dictionaries from a Google CDN for the system language even with
 * `spellcheck: false` in the web preferences (electron/electron#22995): switch the session's spell
 * checker off, give it no languages, and point its downloader at nothing reachable.
 */
export function silenceSpellChecker(session: SpellCheckerControls, platform: string = process.platform): void {
  session.setSpellCheckerEnabled(false);
  // macOS uses the system spell checker and ignores (documented no-op) the language list.
  if (platform !== 'darwin') session.setSpellCheckerLanguages([]);
  session.setSpellCheckerDictionaryDownloadURL(NO_DICTIONARY_URL);
}

/**
 * The engine host's environment: the parent's, with telemetry switched off (SILENT_ENV) whatever the
 * parent had, Electron's run-as-node flag removed, and the database path.
 */
export function engineHostEnv(parent: Record<string, string | undefined>, databasePath: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...parent, AFFECT_DB_PATH: databasePath };
  delete env.ELECTRON_RUN_AS_NODE;
  return silenceEnv(env);
}
