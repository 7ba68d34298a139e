/**
 * The preload: one narrow, typed API on window.affect. The renderer never sees ipcRenderer or Node.
 * Inputs and outputs are validated against the same zod contract the engine uses.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { isApiMethod, parseInput, parseOutput, type ApiMethod } from '../contract/api.js';

const api = {
  async call(method: string, input: unknown): Promise<unknown> {
    if (!isApiMethod(method)) throw new Error(`unknown method ${method}`);
    const m: ApiMethod = method;
    const validInput = parseInput(m, input);
    return parseOutput(m, await ipcRenderer.invoke('affect:call', m, validInput));
  },
  /** Absolute path of a dropped File (Electron only). */
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
  /** The native file picker; resolves to the chosen paths. */
  pickFiles: (): Promise<string[]> => ipcRenderer.invoke('affect:pick-files'),
  /** URL under which a session's recording (or its playback copy) plays. */
  mediaUrl: (sessionId: number, variant: 'original' | 'playback' = 'original'): string =>
    `affect-media://session/${sessionId}${variant === 'playback' ? '?variant=playback' : ''}`,
  /** "Save as…": the user picks where an export goes (native dialog); resolves with the path, or null if cancelled. */
  saveFile: (fileName: string, base64: string): Promise<string | null> => ipcRenderer.invoke('affect:save-file', { fileName, base64 }),
  kind: 'electron' as const,
};

contextBridge.exposeInMainWorld('affect', api);
