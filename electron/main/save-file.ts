import path from 'node:path';

/**
 * "Save as…" for exports, main-process side. The renderer hands over a suggested file name and the content; the user
 * chooses where it goes in the native dialog; the renderer never names a path, so it cannot write anywhere by itself.
 * Electron's dialog and fs are passed in, so this logic is unit-tested without Electron.
 */
export interface SaveDialog {
  showSaveDialog(options: {
    title: string;
    defaultPath: string;
    filters: Array<{ name: string; extensions: string[] }>;
  }): Promise<{ canceled: boolean; filePath?: string }>;
}

export interface SaveFileDeps extends SaveDialog {
  writeFile(file: string, data: Buffer): Promise<void>;
  /** Where the dialog opens (the user's Documents folder). */
  defaultDir: string;
}

const KINDS: Record<string, string> = { csv: 'CSV table', json: 'JSON', eaf: 'ELAN annotation file', pdf: 'PDF report' };
export const MAX_SAVE_BYTES = 512 * 1024 * 1024;

export interface SaveRequest {
  fileName: string;
  base64: string;
}

/** Check what the renderer sent: a plain file name (no folders) with a known extension, and base64 content. */
export function parseSaveRequest(raw: unknown): SaveRequest & { extension: string } {
  const r = raw as Partial<SaveRequest> | null;
  if (!r || typeof r.fileName !== 'string' || typeof r.base64 !== 'string') throw new Error('save: expected { fileName, base64 }');
  const fileName = r.fileName;
  if (!fileName || fileName !== path.basename(fileName) || fileName.includes('/') || fileName.includes('\\') || fileName.startsWith('.'))
    throw new Error(`save: "${fileName}" is not a plain file name`);
  const extension = path.extname(fileName).slice(1).toLowerCase();
  if (!KINDS[extension]) throw new Error(`save: .${extension} files are not exports this app writes`);
  if (r.base64.length > (MAX_SAVE_BYTES * 4) / 3 + 4 || !/^[A-Za-z0-9+/]*={0,2}$/.test(r.base64))
    throw new Error('save: the content is not base64 or is too large');
  return { fileName, base64: r.base64, extension };
}

/** Ask where to save, then write there. Resolves with the path written, or null when the user cancelled. */
export async function saveExportFile(raw: unknown, deps: SaveFileDeps): Promise<string | null> {
  const req = parseSaveRequest(raw);
  const choice = await deps.showSaveDialog({
    title: 'Save export',
    defaultPath: path.join(deps.defaultDir, req.fileName),
    filters: [{ name: KINDS[req.extension], extensions: [req.extension] }],
  });
  if (choice.canceled || !choice.filePath) return null;
  const target = path.extname(choice.filePath) ? choice.filePath : `${choice.filePath}.${req.extension}`;
  await deps.writeFile(target, Buffer.from(req.base64, 'base64'));
  return target;
}
