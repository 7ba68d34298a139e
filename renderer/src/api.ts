import { isApiMethod, parseInput, parseOutput, type ApiInput, type ApiMethod, type ApiOutput } from '../../electron/contract/api';
import { browserToken, takeTokenFromAddress } from './browser-token';

/** What the preload exposes in Electron (see electron/preload/index.ts). */
interface ElectronBridge {
  call(method: string, input: unknown): Promise<unknown>;
  pathForFile(file: File): string;
  pickFiles(): Promise<string[]>;
  mediaUrl(sessionId: number): string;
  kind: 'electron';
}

declare global {
  interface Window {
    affect?: ElectronBridge;
  }
}

if (!window.affect) takeTokenFromAddress();

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
    if (window.affect) return parseOutput(method, await window.affect.call(method, valid));
    const res = await fetch(`./api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-affect-token': browserToken() },
      credentials: 'omit',
      body: JSON.stringify(valid),
    });
    const body = (await res.json()) as { result?: unknown; error?: string };
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

  /** Where a session's recording plays (browser mode: known once `sessions.get` has loaded that session). */
  mediaUrl(sessionId: number): string {
    return window.affect ? window.affect.mediaUrl(sessionId) : mediaUrls.get(sessionId) ?? '';
  },
};
