import { MediaInputError } from './errors.js';
import type { ResolvedFfmpeg } from './ffmpeg-path.js';
import { runToText } from './spawn-stream.js';

/**
 * The real presentation timestamps of a file's first video stream (variable frame rate included), on the file's own
 * clock, as the analysis and the player measure them.
 */
export interface FrameTimes {
  /** Seconds, ascending, one per frame. */
  times: number[];
  /** End of the last frame: the video stream's duration (else the container's), never before the last timestamp. */
  endS: number;
  method: string;
}

export type FrameTimesMethod = 'packets' | 'frames';

const num = (v: unknown): number | null => {
  const n = typeof v === 'string' ? Number.parseFloat(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) ? n : null;
};

/**
 * Read presentation timestamps with ffprobe. `packets` (default) reads the demuxed packets' pts without
 * decoding (fast; sorted into presentation order, which handles B-frames); `frames` decodes and reads each
 * frame's pts_time (slow, the reference). Frames with negative or missing timestamps (edit-list pre-roll)
 * are dropped. Throws MediaInputError for a file without a video stream.
 */
export async function readFrameTimes(
  file: string,
  ff: Pick<ResolvedFfmpeg, 'ffprobe'>,
  { method = 'packets', signal }: { method?: FrameTimesMethod; signal?: AbortSignal } = {},
): Promise<FrameTimes> {
  const entry = method === 'packets' ? 'packet=pts_time' : 'frame=pts_time';
  const args = ['-v', 'error', '-select_streams', 'v:0', '-show_entries', `${entry}:stream=duration:format=duration`, '-of', 'json', file];
  const { code, stdout, stderr } = await runToText(ff.ffprobe, args, signal);
  if (code !== 0) throw new MediaInputError(file, `ffprobe could not read frame timestamps (${stderr.trim().split('\n').pop() ?? `exit ${code}`})`);
  const parsed = JSON.parse(stdout) as {
    packets?: Array<{ pts_time?: string }>;
    frames?: Array<{ pts_time?: string }>;
    streams?: Array<{ duration?: string }>;
    format?: { duration?: string };
  };
  if (!parsed.streams || parsed.streams.length === 0) throw new MediaInputError(file, 'has no video stream, so no frame timestamps');
  const raw = (method === 'packets' ? parsed.packets : parsed.frames) ?? [];
  const times = [...new Set(raw.map((p) => num(p.pts_time)).filter((t): t is number => t !== null && t >= 0))].sort((a, b) => a - b);
  if (times.length === 0) throw new MediaInputError(file, 'its video stream has no frames with timestamps');
  const last = times[times.length - 1];
  // The stream's duration counts from its own first frame (a video that starts after the audio ends that much later).
  const streamDuration = num(parsed.streams[0].duration);
  const duration = streamDuration !== null ? times[0] + streamDuration : (num(parsed.format?.duration) ?? last);
  return { times, endS: Math.max(duration, last), method: `ffprobe ${method === 'packets' ? 'packet' : 'frame'} pts_time` };
}

/** Every edge a segment may have: each frame's start, and the end of the last frame. */
export function snapPoints(ft: Pick<FrameTimes, 'times' | 'endS'>): number[] {
  const last = ft.times[ft.times.length - 1];
  return ft.endS > last ? [...ft.times, ft.endS] : [...ft.times];
}

/** The snap point nearest to t (ties go to the earlier one). `points` must be ascending and non-empty. */
export function snapToPoints(t: number, points: readonly number[]): number {
  if (points.length === 0) throw new Error('no frame times to snap to');
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  // points[lo] is the first >= t (or the last point).
  if (lo > 0 && t - points[lo - 1] <= points[lo] - t) return points[lo - 1];
  return points[lo];
}

/** Float64 little-endian BLOB for frame times. */
export function timesToBlob(times: readonly number[]): Buffer {
  const buf = Buffer.alloc(times.length * 8);
  times.forEach((t, i) => buf.writeDoubleLE(t, i * 8));
  return buf;
}

export function blobToTimes(blob: Buffer): number[] {
  return Array.from({ length: blob.length / 8 }, (_, i) => blob.readDoubleLE(i * 8));
}
