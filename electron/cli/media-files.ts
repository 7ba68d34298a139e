import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const MEDIA_EXTENSIONS = new Set([
  '.mp4',
  '.m4v',
  '.mov',
  '.mkv',
  '.webm',
  '.avi',
  '.wmv',
  '.mpg',
  '.mpeg',
  '.ts',
  '.mts',
  '.3gp',
  '.wav',
  '.mp3',
  '.m4a',
  '.aac',
  '.flac',
  '.ogg',
  '.oga',
  '.opus',
  '.wma',
  '.aiff',
  '.aif',
]);

/**
 * Expand the command line's inputs: files are kept as given (even with odd extensions: ffprobe decides),
 * directories are walked for media files by extension, in a stable sorted order.
 */
export interface InputFile {
  path: string;
  /** The folder it was found under (its own folder when given directly): shards hash the path relative to it. */
  root: string;
}

export function expandInputs(inputs: string[]): { files: InputFile[]; emptyDirs: string[] } {
  const out: InputFile[] = [];
  const emptyDirs: string[] = [];
  for (const input of inputs) {
    let isDir = false;
    try {
      isDir = statSync(input).isDirectory();
    } catch {
      // Not found: kept, so the analysis reports it by name.
    }
    if (!isDir) {
      out.push({ path: input, root: path.dirname(input) });
      continue;
    }
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true })
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .flatMap((e) => {
          const full = path.join(dir, e.name);
          if (e.isDirectory()) return walk(full);
          return e.isFile() && MEDIA_EXTENSIONS.has(path.extname(e.name).toLowerCase()) ? [full] : [];
        });
    const found = walk(input);
    if (found.length === 0) emptyDirs.push(input);
    out.push(...found.map((f) => ({ path: f, root: input })));
  }
  return { files: out, emptyDirs };
}
