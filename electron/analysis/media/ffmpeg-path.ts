import { existsSync, accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type FfmpegSource = 'FFMPEG_PATH' | 'ffmpeg-static' | 'system (/usr/bin)' | 'PATH';

export interface ResolvedFfmpeg {
  ffmpeg: string;
  ffprobe: string;
  source: FfmpegSource;
}

export class FfmpegNotFoundError extends Error {
  constructor(tried: string[]) {
    super(
      'ffmpeg was not found. Tried: ' +
        tried.join(', ') +
        '. Install it (Debian/Ubuntu: `sudo apt-get install ffmpeg`; macOS: `brew install ffmpeg`; ' +
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

function ffmpegStaticBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const bin = require('ffmpeg-static') as string | null;
    return bin && existsSync(bin) && isExecutable(bin) ? bin : null;
  } catch {
    return null;
  }
}

/**
 * Resolve ffmpeg in the documented order:
 * FFMPEG_PATH → ffmpeg-static's binary (if its installer fetched one) → /usr/bin/ffmpeg → PATH.
 */
export function resolveFfmpeg(env: NodeJS.ProcessEnv = process.env): ResolvedFfmpeg {
  const tried: string[] = [];
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
  throw new FfmpegNotFoundError(tried);
}
