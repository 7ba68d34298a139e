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
  /** When the stream's first frame is presented, in seconds on the file's clock (what a player's currentTime shows). */
  startS: number;
}

export interface AudioStreamInfo {
  codec: string;
  sampleRate: number;
  channels: number;
  durationS: number | null;
  /** When the stream's first sample plays, in seconds on the file's clock (what a player's currentTime shows). */
  startS: number;
}

export interface MediaInfo {
  file: string;
  sizeBytes: number;
  formatName: string;
  durationS: number;
  video: VideoStreamInfo | null;
  audio: AudioStreamInfo | null;
  /** The earliest stream's start on the file's clock (ffprobe format start_time, edit lists applied); usually 0. */
  originS: number;
  /** When the recording was made, from the container's metadata (ISO 8601, UTC), or null when it does not say. */
  createdAt: string | null;
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
    throw new MediaInputError(file, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(err)})`, { retryable: true });
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
  if (code !== 0)
    throw new MediaInputError(file, 'is not a readable audio or video file (damaged, incomplete, or another kind of file)', {
      detail: `ffprobe: ${firstLine(stderr)}`,
    });
  let parsed: { format?: Record<string, unknown>; streams?: Array<Record<string, unknown>> };
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new MediaInputError(file, 'ffprobe returned unreadable output');
  }
  const streams = parsed.streams ?? [];
  const v = streams.find(
    (s) =>
      s.codec_type === 'video' &&
      !STILL_IMAGE_CODECS.has(String(s.codec_name)) &&
      !(s.disposition as Record<string, number> | undefined)?.attached_pic,
  );
  const a = streams.find((s) => s.codec_type === 'audio');
  const formatName = String(parsed.format?.format_name ?? 'unknown');
  if (!v && !a) {
    const still = streams.some((s) => s.codec_type === 'video');
    throw new MediaInputError(file, still ? 'is a still image, not a recording' : `has no audio or video stream (format: ${formatName})`);
  }
  const sideData = (v?.side_data_list as Array<Record<string, unknown>> | undefined) ?? [];
  const rotation = num(sideData.find((d) => d.rotation !== undefined)?.rotation) ?? num((v?.tags as Record<string, string> | undefined)?.rotate) ?? 0;
  const durationS = num(parsed.format?.duration) ?? Math.max(num(v?.duration) ?? 0, num(a?.duration) ?? 0);
  if (!durationS || durationS <= 0) throw new MediaInputError(file, 'has no measurable duration (truncated or damaged?)');
  const timing = streamTiming(parsed.format, v, a);
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
          startS: timing.videoStartS,
        }
      : null,
    audio: a
      ? {
          codec: String(a.codec_name),
          sampleRate: Number(a.sample_rate),
          channels: Number(a.channels),
          durationS: num(a.duration),
          startS: timing.audioStartS,
        }
      : null,
    originS: timing.originS,
    createdAt: containerCreationTime(parsed.format, streams),
  };
}

type Fields = Record<string, unknown> | undefined;

/**
 * Where each stream starts on the file's own clock. ffprobe's start_time already applies edit lists (MP4/MOV) and
 * container offsets. Players measure currentTime on that same clock (Chromium starts a file whose streams all begin
 * at 1.4 s at currentTime 1.4, not 0), so the analysis places its frames and windows there too. A stream that starts
 * before 0 (audio priming) is clamped to 0.
 */
function streamTiming(format: Fields, v: Fields, a: Fields): { originS: number; videoStartS: number; audioStartS: number } {
  const start = (x: Fields) => Math.max(0, Math.round((num(x?.start_time) ?? 0) * 1e6) / 1e6);
  const starts = [v, a].filter(Boolean).map(start);
  return { originS: num(format?.start_time) ?? (starts.length ? Math.min(...starts) : 0), videoStartS: start(v), audioStartS: start(a) };
}

/** Dates before this are placeholders (QuickTime's 1904 epoch, Unix 0, cameras never set), not recording dates. */
const EARLIEST_PLAUSIBLE = Date.UTC(1990, 0, 1);

/** An ISO date string from metadata, as UTC ISO 8601; null when absent, unparsable, a placeholder or in the future. */
export function parseMetadataDate(value: unknown, now = Date.now()): string | null {
  if (typeof value !== 'string' || !value.trim()) return null;
  // QuickTime writes offsets without a colon (2023-02-03T13:48:14-0800); Date.parse wants +hh:mm.
  const text = value
    .trim()
    .replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
    .replace(' ', 'T');
  const ms = Date.parse(text);
  if (!Number.isFinite(ms) || ms < EARLIEST_PLAUSIBLE || ms > now + 24 * 3600 * 1000) return null;
  return new Date(ms).toISOString();
}

/**
 * The recording date the container states: QuickTime's com.apple.quicktime.creationdate (the camera's own clock, with
 * its time zone) first, then the format's creation_time, then the first stream's. Null when none is usable.
 */
function containerCreationTime(format: Fields, streams: Array<Record<string, unknown>>): string | null {
  const tags = (x: Fields) => (x?.tags as Record<string, unknown> | undefined) ?? {};
  const candidates = [
    tags(format)['com.apple.quicktime.creationdate'],
    tags(format).creation_time,
    tags(format).date,
    ...streams.map((s) => tags(s).creation_time),
  ];
  for (const c of candidates) {
    const d = parseMetadataDate(c);
    if (d) return d;
  }
  return null;
}

export function describeFfmpegFailure(file: string, stage: string) {
  return (stderr: string, code: number | null) =>
    new MediaInputError(file, `${stage} failed: the file looks damaged`, { detail: `ffmpeg exit ${code}: ${firstLine(stderr)}` });
}
