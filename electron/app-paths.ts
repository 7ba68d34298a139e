import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the app's own files are (models, DASS-21 data, fonts, migrations), found the same way whether the code
 * runs from the TypeScript sources (CLI, tests, browser mode, `npm start`) or bundled into `out/main/` inside a
 * packaged app: the nearest folder above this module that holds this project's package.json.
 */
const PACKAGE_NAME = 'affect-workstation';

function findAppRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the app folder (a package.json named ${PACKAGE_NAME}) above ${start}`);
  }
}

export const APP_ROOT = findAppRoot(path.dirname(fileURLToPath(import.meta.url)));

/**
 * A packaged app keeps its files in `app.asar`; those that native code or child processes must open (ONNX models,
 * ffmpeg, fonts) are unpacked beside it into `app.asar.unpacked` (electron-builder.json `asarUnpack`).
 * Outside a packaged app the path is returned unchanged.
 */
export function unpackedPath(p: string): string {
  return p.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

/** A folder of the app's own files, as native code and child processes must see it. */
export function appFile(...parts: string[]): string {
  return unpackedPath(path.join(APP_ROOT, ...parts));
}
