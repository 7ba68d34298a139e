import { spawn } from 'node:child_process';
import { chmodSync, renameSync, rmSync } from 'node:fs';
import { CancelledError, MediaInputError } from './errors.js';
import type { ResolvedFfmpeg } from './ffmpeg-path.js';

export type PlaybackTarget = 'h264' | 'vp9';

export const PLAYBACK_EXTENSION: Record<PlaybackTarget, string> = { h264: 'mp4', vp9: 'webm' };

/**
 * Encoder settings for a copy meant for watching, not archiving: at most 1280 pixels wide, quick to make. H.264/AAC
 * in MP4 (what Chromium and Electron play everywhere) or VP9/Opus in WebM (royalty-free, for builds without H.264).
 */
const VIDEO: Record<PlaybackTarget, string[]> = {
  h264: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p'],
  vp9: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', '-b:v', '0', '-crf', '34', '-pix_fmt', 'yuv420p'],
};
const AUDIO: Record<PlaybackTarget, string[]> = { h264: ['-c:a', 'aac', '-b:a', '128k'], vp9: ['-c:a', 'libopus', '-b:a', '96k'] };
const CONTAINER: Record<PlaybackTarget, string[]> = { h264: ['-movflags', '+faststart', '-f', 'mp4'], vp9: ['-f', 'webm'] };
/** Audio an MP4 copy carries as it is: no generation loss, and no encoder delay to shift it. */
const MP4_AUDIO = new Set(['aac', 'mp3']);

/**
 * Make a playable copy of `source` at `dest` (written to `dest.partial`, renamed when complete, mode 0600). The copy
 * keeps the source's clock (-copyts, passthrough frame timing: `-vsync`, which the bundled ffmpeg 4.1 knows and newer
 * ones still accept, rather than 5.1's `-fps_mode`): a stream that starts late starts late in the copy too,
 * so the analysis times line up with the copy exactly as with the original. Progress is the fraction of the
 * recording's duration encoded so far. Cancellable; a cancelled or failed copy leaves nothing behind.
 */
export async function makePlaybackCopy(
  source: string,
  dest: string,
  target: PlaybackTarget,
  ff: ResolvedFfmpeg,
  opts: { durationS: number; audioCodec?: string | null; signal?: AbortSignal; onFraction?: (f: number) => void },
): Promise<void> {
  const partial = `${dest}.partial`;
  const audio = target === 'h264' && MP4_AUDIO.has(opts.audioCodec ?? '') ? ['-c:a', 'copy'] : AUDIO[target];
  const args = [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-copyts',
    '-i',
    source,
    '-map',
    '0:v:0?',
    '-map',
    '0:a:0?',
    '-sn',
    '-dn',
    '-vsync',
    'passthrough',
    '-vf',
    "scale='min(1280,iw)':-2",
    ...VIDEO[target],
    ...audio,
    ...CONTAINER[target],
    '-progress',
    'pipe:1',
    '-nostats',
    partial,
  ];
  try {
    await new Promise<void>((resolve, reject) => {
      if (opts.signal?.aborted) return reject(new CancelledError('playback copy'));
      const child = spawn(ff.ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let buffer = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        buffer += d;
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          const m = /^out_time_(?:us|ms)=(\d+)/.exec(line);
          if (m && opts.durationS > 0) opts.onFraction?.(Math.min(0.99, Number(m[1]) / 1e6 / opts.durationS));
        }
      });
      const onAbort = () => child.kill('SIGKILL');
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      child.once('error', reject);
      child.once('close', (code) => {
        opts.signal?.removeEventListener('abort', onAbort);
        if (opts.signal?.aborted) reject(new CancelledError('playback copy'));
        else if (code !== 0)
          reject(
            new MediaInputError(source, 'could not be converted for playback', {
              detail: `ffmpeg exit ${code}: ${stderr.trim().split('\n').pop() ?? ''}`,
            }),
          );
        else resolve();
      });
    });
    chmodSync(partial, 0o600);
    renameSync(partial, dest);
    opts.onFraction?.(1);
  } finally {
    rmSync(partial, { force: true });
  }
}
