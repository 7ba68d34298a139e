import { isApiMethod, parseInput, parseOutput, type ApiInput, type ApiMethod, type ApiOutput } from '../../electron/contract/api';
import { browserToken, takeTokenFromAddress } from './browser-token';

/** What the preload exposes in Electron (see electron/preload/index.ts). */
interface ElectronBridge {
  call(method: string, input: unknown): Promise<unknown>;
  pathForFile(file: File): string;
  pickFiles(): Promise<string[]>;
  mediaUrl(sessionId: number, variant?: 'original' | 'playback'): string;
  saveFile(fileName: string, base64: string): Promise<string | null>;
  kind: 'electron';
}

export type ExportFile = ApiOutput<'export.session'>;

declare global {
  interface Window {
    affect?: ElectronBridge;
  }
}

if (!window.affect) takeTokenFromAddress();

/** Fired when a call is refused because the database is locked: the vault gate shows the unlock screen. */
export const LOCKED_EVENT = 'affect-locked';

/** Browser mode: each session's recording plays from a short-lived URL the server names with `sessions.get`. */
const mediaUrls = new Map<number, string>();

/**
 * The renderer's one way to the engine: the Electron preload when present, else the browser-mode
 * HTTP endpoint (same contract, validated here too; the token goes in a header, never a cookie).
 */
export const api = {
  async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
    if (!isApiMethod(method)) throw new Error(`unknown method ${method}`);
    const valid = parseInput(method, input);
    if (window.affect) {
      try {
        return parseOutput(method, await window.affect.call(method, valid));
      } catch (err) {
        if (/the database is locked|finish the first-run setup/.test((err as Error).message)) window.dispatchEvent(new Event(LOCKED_EVENT));
        throw err;
      }
    }
    const res = await fetch(`./api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-affect-token': browserToken() },
      credentials: 'omit',
      body: JSON.stringify(valid),
    });
    const body = (await res.json()) as { result?: unknown; error?: string; code?: string };
    if (body.code === 'locked') window.dispatchEvent(new Event(LOCKED_EVENT));
    if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
    const output = parseOutput(method, body.result);
    const media = res.headers.get('x-affect-media');
    if (method === 'sessions.get' && media) mediaUrls.set((valid as { id: number }).id, media);
    return output;
  },

  /** Turn dropped/picked files into paths the engine can read (uploads them in browser mode). */
  async filesToPaths(files: File[], onUpload?: (name: string, done: number, total: number) => void): Promise<string[]> {
    if (window.affect) return files.map((f) => window.affect!.pathForFile(f));
    const paths: string[] = [];
    for (const [i, file] of files.entries()) {
      onUpload?.(file.name, i, files.length);
      const res = await fetch(`./upload?name=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'x-affect-token': browserToken() },
        credentials: 'omit',
        body: file,
      });
      const body = (await res.json()) as { path?: string; error?: string };
      if (!res.ok || !body.path) throw new Error(body.error ?? `upload of ${file.name} failed (HTTP ${res.status})`);
      paths.push(body.path);
    }
    return paths;
  },

  /** Native picker in Electron; null in the browser (use an <input type=file>). */
  pickFiles(): Promise<string[]> | null {
    return window.affect ? window.affect.pickFiles() : null;
  },

  /**
   * Where a session's recording (or its playback copy) plays. Browser mode: a short-lived capability URL, known once
   * `sessions.get` has loaded that session ('' before).
   */
  mediaUrl(sessionId: number, variant: 'original' | 'playback' = 'original'): string {
    if (window.affect) return window.affect.mediaUrl(sessionId, variant);
    const url = mediaUrls.get(sessionId);
    return url ? `${url}${variant === 'playback' ? '?variant=playback' : ''}` : '';
  },

  /**
   * Hand an export to the user: a "Save as…" dialog in Electron (resolves with where it went, or null when cancelled),
   * a download in the browser (resolves with the file name; the browser says where it put it).
   */
  async saveExport(file: ExportFile): Promise<string | null> {
    if (window.affect) return window.affect.saveFile(file.fileName, file.base64);
    const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file.fileName;
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return file.fileName;
  },

  /** True in the Electron app (native dialogs), false in browser mode. */
  get isElectron(): boolean {
    return Boolean(window.affect);
  },
};
