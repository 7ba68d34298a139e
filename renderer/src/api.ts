import { isApiMethod, parseInput, parseOutput, type ApiInput, type ApiMethod, type ApiOutput } from '../../electron/contract/api';

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

/** Fired when a call is refused because the database is locked: the vault gate shows the unlock screen. */
export const LOCKED_EVENT = 'affect-locked';

/**
 * The renderer's one way to the engine: the Electron preload when present, else the browser-mode
 * HTTP endpoint (same contract, validated here too).
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
      headers: { 'content-type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(valid),
    });
    const body = (await res.json()) as { result?: unknown; error?: string; code?: string };
    if (body.code === 'locked') window.dispatchEvent(new Event(LOCKED_EVENT));
    if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
    return parseOutput(method, body.result);
  },

  /** Turn dropped/picked files into paths the engine can read (uploads them in browser mode). */
  async filesToPaths(files: File[], onUpload?: (name: string, done: number, total: number) => void): Promise<string[]> {
    if (window.affect) return files.map((f) => window.affect!.pathForFile(f));
    const paths: string[] = [];
    for (const [i, file] of files.entries()) {
      onUpload?.(file.name, i, files.length);
      const res = await fetch(`./upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file, credentials: 'same-origin' });
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

  mediaUrl(sessionId: number): string {
    return window.affect ? window.affect.mediaUrl(sessionId) : `./media/${sessionId}`;
  },
};
