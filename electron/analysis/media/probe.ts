import { statSync } from 'node:fs';
import { MediaInputError } from './errors.js';
import type { ResolvedFfmpeg } from './ffmpeg-path.js';
import { runToText } from './spawn-stream.js';

export interface VideoStreamInfo {
  codec: string;
  width: number;
  height: number;
  /** Average frame rate from the container; may differ from the nominal rate for VFR files. */
  avgFps: number | null;
  rotation: number;
}

export interface AudioStreamInfo {
  codec: string;
  sampleRate: number;
  channels: number;
  durationS: number | null;
}

export interface MediaInfo {
  file: string;
  sizeBytes: number;
  formatName: string;
  durationS: number;
  video: VideoStreamInfo | null;
  audio: AudioStreamInfo | null;
}

/** Codecs ffprobe reports for still images; a picture is not a recording. */
const STILL_IMAGE_CODECS = new Set(['mjpeg', 'png', 'bmp', 'gif', 'webp', 'tiff']);

function parseRate(rate: string | undefined): number | null {
  if (!rate) return null;
  const [num, den] = rate.split('/').map(Number);
  if (!num || !den || !Number.isFinite(num / den)) return null;
  return num / den;
}

function num(value: unknown): number | null {
  const n = typeof value === 'string' ? Number.parseFloat(value) : typeof value === 'number' ? value : NaN;
  return Number.isFinite(n) ? n : null;
}

/** Check the path is a readable, non-empty regular file; throw a MediaInputError naming it otherwise. */
export function checkInputFile(file: string): number {
  let st;
  try {
    st = statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new MediaInputError(file, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(err)})`);
  }
  if (st.isDirectory()) throw new MediaInputError(file, 'is a directory, not a media file');
  if (!st.isFile()) throw new MediaInputError(file, 'is not a regular file');
  if (st.size === 0) throw new MediaInputError(file, 'is empty (0 bytes)');
  return st.size;
}

function firstLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines[lines.length - 1] ?? 'unknown error';
}

/** Probe a media file with ffprobe. Throws MediaInputError for anything that is not decodable audio/video. */
export async function probeMedia(file: string, ff: ResolvedFfmpeg, signal?: AbortSignal): Promise<MediaInfo> {
  const sizeBytes = checkInputFile(file);
  const { code, stdout, stderr } = await runToText(
    ff.ffprobe,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '--', file],
    signal,
  );
  if (code !== 0) throw new MediaInputError(file, `not a readable audio or video file (ffprobe: ${firstLine(stderr)})`);
  let parsed: { format?: Record<string, unknown>; streams?: Array<Record<string, unknown>> };
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new MediaInputError(file, 'ffprobe returned unreadable output');
  }
  const streams = parsed.streams ?? [];
  const v = streams.find(
    (s) => s.codec_type === 'video' && !STILL_IMAGE_CODECS.has(String(s.codec_name)) && !(s.disposition as Record<string, number> | undefined)?.attached_pic,
  );
  const a = streams.find((s) => s.codec_type === 'audio');
  const formatName = String(parsed.format?.format_name ?? 'unknown');
  if (!v && !a) {
    const still = streams.some((s) => s.codec_type === 'video');
    throw new MediaInputError(file, still ? 'is a still image, not a recording' : `has no audio or video stream (format: ${formatName})`);
  }
  const sideData = (v?.side_data_list as Array<Record<string, unknown>> | undefined) ?? [];
  const rotation = num(sideData.find((d) => d.rotation !== undefined)?.rotation) ?? num((v?.tags as Record<string, string> | undefined)?.rotate) ?? 0;
  const durationS =
    num(parsed.format?.duration) ?? Math.max(num(v?.duration) ?? 0, num(a?.duration) ?? 0);
  if (!durationS || durationS <= 0) throw new MediaInputError(file, 'has no measurable duration (truncated or damaged?)');
  return {
    file,
    sizeBytes,
    formatName,
    durationS,
    video: v
      ? {
          codec: String(v.codec_name),
          width: Number(v.width),
          height: Number(v.height),
          avgFps: parseRate(v.avg_frame_rate as string) ?? parseRate(v.r_frame_rate as string),
          rotation,
        }
      : null,
    audio: a
      ? {
          codec: String(a.codec_name),
          sampleRate: Number(a.sample_rate),
          channels: Number(a.channels),
          durationS: num(a.duration),
        }
      : null,
  };
}

export function describeFfmpegFailure(file: string, stage: string) {
  return (stderr: string, code: number | null) =>
    new MediaInputError(file, `${stage} failed (ffmpeg exit ${code}): ${firstLine(stderr)}`);
}
