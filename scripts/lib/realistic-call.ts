/**
 * The end-to-end bench against its decode floor (npm run bench, section "e2e"; issue #22):
 *
 *  - `realisticCall`: an N-minute file encoded the way call tools write them: 1280×720 at 30 fps, H.264 by x264
 *    `-preset veryfast -crf 23 -g 60` (a keyframe every 2 s), AAC 48 kHz mono. Picture and sound are the bundled
 *    sample's real face (WolfgangLanger_Pexels.mp4) and real speech (RAVDESS actor 12), each looped on its own; the
 *    video is retimed from 23.976 to 30 distinct frames a second (played 1.25× faster) so no frame is a duplicate,
 *    which would be nearly free to decode. About 1.2 Mbit/s of video, like a webcam call. Cached under
 *    .cache/bench/ by its parameters (written to a temporary name first, so an interrupted encode is never reused).
 *  - `decodeFloor`: ffmpeg alone decoding that file exactly as the engine asks for it (media/decode.ts's argument
 *    lists: video at the analysis fps and size as RGB24, the audio as 16 kHz mono f32), both at once as in the
 *    engine, output drained and dropped: the wall time no analysis of this file can beat.
 *  - `ChildMemory`: the peak resident memory (VmHWM) of this process and of every child process (ffmpeg), read from
 *    /proc while they run (Linux only; elsewhere it reports nothing).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { audioDecodeArgs, videoDecodeArgs } from '../../electron/analysis/media/decode.js';
import type { ResolvedFfmpeg } from '../../electron/analysis/media/ffmpeg-path.js';
import type { VideoStreamInfo } from '../../electron/analysis/media/probe.js';

export const REALISTIC = { width: 1280, height: 720, fps: 30, preset: 'veryfast', crf: 23, gop: 60, audio: 'aac 48 kHz mono 64k' } as const;

/** Build (or reuse) the realistic N-minute call recording from `sample` (a video with a face and speech). */
export function realisticCall(ff: ResolvedFfmpeg, sample: string, cacheDir: string, minutes: number): string {
  mkdirSync(cacheDir, { recursive: true });
  const { width, height, fps, preset, crf, gop } = REALISTIC;
  const file = path.join(cacheDir, `call-${width}x${height}p${fps}-x264-${preset}-crf${crf}-g${gop}-aac48k-${minutes}min.mp4`);
  if (existsSync(file)) return file;
  const partial = `${file}.partial.mp4`;
  console.log(`e2e: encoding ${path.basename(file)} (${minutes} min; minutes of work, done once)…`);
  execFileSync(
    ff.ffmpeg,
    [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-stream_loop',
      '-1',
      '-i',
      sample, // picture
      '-stream_loop',
      '-1',
      '-i',
      sample, // sound, looped on its own (the retimed picture loops sooner)
      '-map',
      '0:v:0',
      '-map',
      '1:a:0',
      '-t',
      String(minutes * 60),
      '-vf',
      `setpts=N/(${fps}*TB),scale=${width}:${height}:flags=bicubic,format=yuv420p`,
      '-r',
      String(fps),
      '-c:v',
      'libx264',
      '-preset',
      preset,
      '-crf',
      String(crf),
      '-g',
      String(gop),
      '-c:a',
      'aac',
      '-b:a',
      '64k',
      '-ar',
      '48000',
      '-ac',
      '1',
      '-movflags',
      '+faststart',
      partial,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  renameSync(partial, file);
  return file;
}

/** Video bit rate of the file in kbit/s (its size over its length: the audio is 64k of it). */
export function kbitPerS(file: string, durationS: number): number {
  return (statSync(file).size * 8) / durationS / 1000;
}

/**
 * Wall time (s) of ffmpeg decoding `file` as the engine does (video frames at `fps` scaled to `maxSide`, and the
 * audio at 16 kHz mono), the two decodes running at once with their output drained; and their peak memory.
 * The video decoder keeps ffmpeg's own choice of threads ('auto'), the fastest alone, even where the engine asks for
 * one thread to leave the other cores to its models (media/decode.ts `defaultDecoderThreads`).
 */
export async function decodeFloor(
  ff: ResolvedFfmpeg,
  file: string,
  video: VideoStreamInfo,
  opts: { fps: number; maxSide: number },
): Promise<{ s: number; cpuS: number; peakKiB: number }> {
  const memory = new ChildMemory();
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  await Promise.all([
    drain(ff.ffmpeg, videoDecodeArgs(file, video, { ...opts, decoderThreads: 'auto' }).args),
    drain(ff.ffmpeg, audioDecodeArgs(file, 1)),
  ]);
  const s = (performance.now() - t0) / 1000;
  const cpu1 = cpuSeconds();
  memory.stop();
  return { s, cpuS: cpu0 && cpu1 ? cpu1.children - cpu0.children : NaN, peakKiB: memory.childrenPeakKiB };
}

function drain(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', () => undefined);
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${stderr.trim()}`))));
  });
}

/** Peak resident memory (VmHWM, KiB) of this process and of each of its child processes, sampled from /proc. */
export class ChildMemory {
  childrenPeakKiB = 0;
  children = 0;
  private readonly seen = new Set<number>();
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 200) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  /** This process's peak resident memory over its whole life (KiB). */
  static selfPeakKiB(): number {
    return vmHwm('self') ?? 0;
  }

  sample(): void {
    if (!existsSync('/proc/self/status')) return;
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) may contain spaces, so parse after ')'.
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid !== process.pid) continue;
        const kib = vmHwm(name);
        if (kib === null) continue;
        this.seen.add(Number(name));
        this.children = this.seen.size;
        this.childrenPeakKiB = Math.max(this.childrenPeakKiB, kib);
      } catch {
        /* the process ended between listing and reading */
      }
    }
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}

/**
 * CPU seconds used so far by this process (all its threads: onnxruntime's included) and by its finished, waited-for
 * children (ffmpeg, ffprobe), from /proc/self/stat (null where there is no /proc).
 */
export function cpuSeconds(): { self: number; children: number } | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number); // f[0] is field 3 (state)
    const tick = 100; // USER_HZ: 100 on Linux
    return { self: (f[11] + f[12]) / tick, children: (f[13] + f[14]) / tick };
  } catch {
    return null;
  }
}

function vmHwm(pid: string): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
