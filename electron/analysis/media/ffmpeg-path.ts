import { existsSync, accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { unpackedPath } from '../../app-paths.js';

export type FfmpegSource = 'FFMPEG_PATH' | 'ffmpeg-static' | 'system (/usr/bin)' | 'PATH' | 'bundled';

export interface ResolvedFfmpeg {
  ffmpeg: string;
  ffprobe: string;
  source: FfmpegSource;
  /** A remark for `affect models` and Settings, e.g. that the bundled build is older than a system one would be. */
  note?: string;
}

/**
 * The ffmpeg/ffprobe pair shipped inside npm packages (@ffmpeg-installer/*, @ffprobe-installer/*: a static
 * ffmpeg 4.1 build per platform, no download at install time). The last fallback, so a bare machine works.
 */
export const BUNDLED_NOTE =
  'the ffmpeg 4.1 bundled with the app (2018): it decodes everything the analysis needs, but a newer system ffmpeg, when installed, is preferred (newer codecs, faster decoding)';

/**
 * AFFECT_FFMPEG chooses among the sources: `auto` (default: the order below), `bundled` (only the bundled
 * pair; CI uses it to prove a machine without ffmpeg works) or `system` (never the bundled pair).
 */
export type FfmpegPreference = 'auto' | 'bundled' | 'system';

export class FfmpegNotFoundError extends Error {
  constructor(tried: string[]) {
    super(
      'ffmpeg was not found. Tried: ' +
        tried.join(', ') +
        '. Run `npm ci` again to restore the bundled ffmpeg, or install one (Debian/Ubuntu: `sudo apt-get install ffmpeg`; macOS: `brew install ffmpeg`; ' +
        'Windows: download a build and add it to PATH) or set FFMPEG_PATH to the ffmpeg executable.',
    );
    this.name = 'FfmpegNotFoundError';
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** ffprobe next to a given ffmpeg binary, else on PATH (ffmpeg-static ships no ffprobe). */
function siblingProbe(ffmpeg: string, env: NodeJS.ProcessEnv): string {
  const exe = process.platform === 'win32' ? '.exe' : '';
  if (env.FFPROBE_PATH && isExecutable(env.FFPROBE_PATH)) return env.FFPROBE_PATH;
  const sibling = path.join(path.dirname(ffmpeg), 'ffprobe' + exe);
  if (isExecutable(sibling)) return sibling;
  return findOnPath('ffprobe', env) ?? 'ffprobe';
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | null {
  const exe = process.platform === 'win32' ? '.exe' : '';
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name + exe);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function packageExport(name: string): unknown {
  try {
    return createRequire(import.meta.url)(name);
  } catch {
    return null;
  }
}

function ffmpegStaticBinary(): string | null {
  const bin = packageExport('ffmpeg-static') as string | null;
  return typeof bin === 'string' && existsSync(bin) && isExecutable(bin) ? bin : null;
}

/** The bundled pair, or why it is unusable. */
function bundledPair(): { ffmpeg: string; ffprobe: string } | string {
  const ff = packageExport('@ffmpeg-installer/ffmpeg') as { path?: string } | null;
  const probe = packageExport('@ffprobe-installer/ffprobe') as { path?: string } | null;
  if (!ff?.path || !probe?.path) return 'bundled (@ffmpeg-installer/@ffprobe-installer: no binary for this platform)';
  const pair = { ffmpeg: unpackedPath(ff.path), ffprobe: unpackedPath(probe.path) };
  if (!isExecutable(pair.ffmpeg) || !isExecutable(pair.ffprobe)) return `bundled (${pair.ffmpeg}: not executable; reinstall with npm ci)`;
  return pair;
}

function preferenceOf(env: NodeJS.ProcessEnv): FfmpegPreference {
  const p = (env.AFFECT_FFMPEG ?? 'auto').trim().toLowerCase();
  if (p === 'auto' || p === 'bundled' || p === 'system') return p;
  throw new Error(`AFFECT_FFMPEG must be auto, bundled or system, got "${env.AFFECT_FFMPEG}"`);
}

/**
 * Resolve ffmpeg in the documented order:
 * FFMPEG_PATH → ffmpeg-static's binary (if its installer fetched one) → /usr/bin/ffmpeg → PATH → the bundled pair.
 * AFFECT_FFMPEG=bundled takes the bundled pair only; AFFECT_FFMPEG=system never takes it.
 */
export function resolveFfmpeg(env: NodeJS.ProcessEnv = process.env): ResolvedFfmpeg {
  const preference = preferenceOf(env);
  const tried: string[] = [];
  const bundled = (): ResolvedFfmpeg | null => {
    const pair = bundledPair();
    if (typeof pair === 'string') {
      tried.push(pair);
      return null;
    }
    return { ...pair, source: 'bundled', note: BUNDLED_NOTE };
  };
  if (preference === 'bundled') {
    const pair = bundled();
    if (pair) return pair;
    throw new FfmpegNotFoundError(tried);
  }
  const pick = (ffmpeg: string, source: FfmpegSource): ResolvedFfmpeg => ({
    ffmpeg,
    ffprobe: siblingProbe(ffmpeg, env),
    source,
  });
  if (env.FFMPEG_PATH) {
    if (isExecutable(env.FFMPEG_PATH)) return pick(env.FFMPEG_PATH, 'FFMPEG_PATH');
    tried.push(`FFMPEG_PATH=${env.FFMPEG_PATH} (not an executable file)`);
  } else tried.push('FFMPEG_PATH (unset)');
  const fromStatic = ffmpegStaticBinary();
  if (fromStatic) return pick(fromStatic, 'ffmpeg-static');
  tried.push('ffmpeg-static (binary not downloaded)');
  if (process.platform !== 'win32' && isExecutable('/usr/bin/ffmpeg')) return pick('/usr/bin/ffmpeg', 'system (/usr/bin)');
  tried.push('/usr/bin/ffmpeg');
  const onPath = findOnPath('ffmpeg', env);
  if (onPath) return pick(onPath, 'PATH');
  tried.push('PATH');
  if (preference === 'auto') {
    const pair = bundled();
    if (pair) return pair;
  }
  throw new FfmpegNotFoundError(tried);
}
