import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeFfmpegFailure } from './probe.js';
import type { ResolvedFfmpeg } from './ffmpeg-path.js';
import { throwIfAborted } from './errors.js';
import { streamProcess } from './spawn-stream.js';

export const AUDIO_SAMPLE_RATE = 16000;

/**
 * Decoded frames held ahead of the analysis (at least 2; 12 at 640×360), read on a thread of their own
 * (media/spawn-stream.ts): ffmpeg decodes the next frames while the models work on this one. An OS pipe holds less
 * than one frame, so without it decoding and analysis take turns.
 */
const READ_AHEAD_BYTES = 8 * 2 ** 20;

export interface VideoFrame {
  index: number;
  /** Presentation time in seconds from the start of the file (the stream's own start offset included). */
  timeS: number;
  width: number;
  height: number;
  /** Packed RGB24, row-major, width*height*3 bytes. Valid only until the next frame is requested. */
  rgb: Uint8Array;
}

export interface FrameStreamOptions {
  fps: number;
  /** Frames are scaled so the longer side is at most this many pixels (never upscaled). */
  maxSide: number;
  /** ffmpeg's video decoder threads: a number, or 'auto' for ffmpeg's own choice. Default: `defaultDecoderThreads()`. */
  decoderThreads?: DecoderThreads;
  /**
   * Frames share a ring of read-ahead buffers allocated once (media/spawn-stream.ts `ring`): no new memory per frame,
   * and a frame's pixels are overwritten soon after the next frame is requested, so they must be copied to be kept
   * (the `VideoFrame.rgb` contract, held to strictly). For the analysis, which copies what it keeps.
   */
  reuseMemory?: boolean;
  signal?: AbortSignal;
}

export type DecoderThreads = number | 'auto';

/**
 * Logical cores up to which the video decoder gets one thread. On the 2-core development machine ffmpeg alone decoded
 * 2 minutes of a 720p30 call (non-reference frames skipped) in about the same time on one thread as on its default
 * several (3.7 against 3.6 s) for a quarter less CPU (3.7 against 4.8 CPU-seconds; one-off timings); inside the
 * analysis that CPU goes to the models (README "End to end against the decode floor", sixth round). Not measured on
 * more cores, where spare ones may make ffmpeg's own threads worth it.
 */
export const ONE_DECODER_THREAD_UP_TO_CORES = 4;

/** The video decoder's threads on a machine with `cores` logical cores: one up to ONE_DECODER_THREAD_UP_TO_CORES, else ffmpeg's choice. */
export function defaultDecoderThreads(cores = os.availableParallelism()): DecoderThreads {
  return cores <= ONE_DECODER_THREAD_UP_TO_CORES ? 1 : 'auto';
}

/** Output size for a source size scaled to fit maxSide, with even dimensions. */
export function scaledSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const even = (n: number) => Math.max(2, 2 * Math.round((n * scale) / 2));
  return { width: even(width), height: even(height) };
}

/**
 * Source frames per analysed frame from which the decoder skips the frames no other frame refers to (`-skip_frame
 * noref`: the non-reference B-frames of H.264/HEVC, about half of a call recording's frames and half of ffmpeg's
 * decoding CPU; README "End to end against the decode floor"). An analysed frame then shows the last decoded frame at or
 * before its time: at most one run of B-frames early (33–100 ms at 30 fps), against 500 ms between analysed frames at
 * 2 fps. Below the ratio (a 5 fps screen recording analysed at 2 fps) every frame is decoded, so no frame is far off.
 */
export const SKIP_NONREF_MIN_RATIO = 4;

/** Whether `videoDecodeArgs` lets the decoder skip non-reference frames for this source and sampling rate. */
export function skipsNonReferenceFrames(source: { avgFps?: number | null }, fps: number): boolean {
  return source.avgFps != null && source.avgFps >= SKIP_NONREF_MIN_RATIO * fps;
}

/** ffmpeg's arguments for `streamVideoFrames` (RGB24 frames on stdout) and the frame size they give. */
export function videoDecodeArgs(
  file: string,
  source: { width: number; height: number; rotation: number; avgFps?: number | null },
  opts: { fps: number; maxSide: number; decoderThreads?: DecoderThreads },
): { args: string[]; width: number; height: number } {
  const threads = opts.decoderThreads ?? defaultDecoderThreads();
  if (threads !== 'auto' && !(Number.isInteger(threads) && threads >= 1))
    throw new Error(`decoder threads must be 'auto' or a whole number ≥ 1, got ${threads}`);
  const rotated = Math.abs(source.rotation) % 180 === 90;
  const { width, height } = scaledSize(rotated ? source.height : source.width, rotated ? source.width : source.height, opts.maxSide);
  const args = [
    '-nostdin',
    '-v',
    'error',
    ...(skipsNonReferenceFrames(source, opts.fps) ? ['-skip_frame', 'noref'] : []),
    ...(threads === 'auto' ? [] : ['-threads', String(threads)]),
    '-i',
    file,
    '-an',
    '-sn',
    '-dn',
    '-vf',
    // round=up: output frame k is the last source frame at or before k / fps, what a player shows then (the default,
    // round=near, took the last frame before (k + ½) / fps: a quarter of a second late at 2 fps).
    `setpts=PTS-STARTPTS,fps=fps=${opts.fps}:round=up,scale=${width}:${height}:flags=area`,
    '-pix_fmt',
    'rgb24',
    '-f',
    'rawvideo',
    'pipe:1',
  ];
  return { args, width, height };
}

/** ffmpeg's arguments for `streamAudioChannels`: the first audio stream as 16 kHz f32le with `channels` channels on stdout. */
export function audioDecodeArgs(file: string, channels: number): string[] {
  return [
    '-nostdin',
    '-v',
    'error',
    '-i',
    file,
    '-vn',
    '-sn',
    '-dn',
    '-ac',
    String(channels),
    '-ar',
    String(AUDIO_SAMPLE_RATE),
    '-f',
    'f32le',
    'pipe:1',
  ];
}

/**
 * Stream decoded frames sampled at `fps`, as RGB24. A few frames in memory at a time (READ_AHEAD_BYTES),
 * whatever the length of the recording. Rotation metadata is applied by ffmpeg (autorotate).
 * Frame k shows what plays at `source.startS + k / fps` on the file's timeline: the sampling starts at the stream's
 * first frame (setpts), and the stream's start offset (a video that starts after the audio) is added back.
 */
export async function* streamVideoFrames(
  file: string,
  ff: ResolvedFfmpeg,
  source: { width: number; height: number; rotation: number; startS?: number; avgFps?: number | null },
  opts: FrameStreamOptions,
): AsyncGenerator<VideoFrame> {
  const { args, width, height } = videoDecodeArgs(file, source, opts);
  const frameBytes = width * height * 3;
  let index = 0;
  const startS = source.startS ?? 0;
  const chunks = streamProcess(ff.ffmpeg, args, {
    chunkBytes: frameBytes,
    exact: true,
    ahead: Math.max(2, Math.floor(READ_AHEAD_BYTES / frameBytes)),
    ring: opts.reuseMemory,
    signal: opts.signal,
    describeFailure: describeFfmpegFailure(file, 'video decoding'),
  });
  for await (const chunk of chunks) {
    throwIfAborted(opts.signal); // frames already read ahead are not worth finishing
    yield { index, timeS: startS + index / opts.fps, width, height, rgb: chunk };
    index++;
  }
}

/** Decoded audio on its way to an analysis: chunks of every channel at `sampleRate`. */
export interface AudioSource {
  /** 1 (mono) or 2 (stereo). */
  channels: number;
  sampleRate: number;
  /** Per chunk: one Float32Array per channel, equal lengths. */
  chunks: AsyncIterable<Float32Array[]>;
  /** For progress; null when unknown. */
  durationS: number | null;
}

/**
 * Stream the first audio stream as 16 kHz mono float32 samples, `chunkSamples` at a time. Sample 0 is the stream's
 * first sample, which plays at the audio stream's `startS` on the file's timeline (callers add it to times).
 */
export async function* streamAudio(
  file: string,
  ff: ResolvedFfmpeg,
  opts: { chunkSamples: number; signal?: AbortSignal },
): AsyncGenerator<Float32Array> {
  for await (const [mono] of streamAudioChannels(file, ff, { ...opts, channels: 1 })) yield mono;
}

/**
 * Stream the first audio stream as 16 kHz float32 with `channels` channels (ffmpeg down- or up-mixes to that
 * many), deinterleaved: one array per channel, `chunkSamples` samples each (the last chunk may be shorter).
 * For a stereo call recording, channels: 2 keeps each party's channel apart.
 * `ahead`: chunks decoded ahead on a reading thread (media/spawn-stream.ts), for long recordings.
 */
export async function* streamAudioChannels(
  file: string,
  ff: ResolvedFfmpeg,
  opts: { channels: number; chunkSamples: number; signal?: AbortSignal; ahead?: number },
): AsyncGenerator<Float32Array[]> {
  const nc = opts.channels;
  if (!Number.isInteger(nc) || nc < 1) throw new Error(`channels must be a positive integer, got ${nc}`);
  const args = audioDecodeArgs(file, nc);
  for await (const chunk of streamProcess(ff.ffmpeg, args, {
    chunkBytes: opts.chunkSamples * 4 * nc,
    ahead: opts.ahead,
    signal: opts.signal,
    describeFailure: describeFfmpegFailure(file, 'audio decoding'),
  })) {
    const usable = chunk.length - (chunk.length % (4 * nc));
    // Copy into an aligned buffer: Buffer slices may not be 4-byte aligned.
    const interleaved = new Float32Array(usable / 4);
    new Uint8Array(interleaved.buffer).set(chunk.subarray(0, usable));
    if (nc === 1) {
      yield [interleaved];
      continue;
    }
    const n = interleaved.length / nc;
    const out = Array.from({ length: nc }, () => new Float32Array(n));
    for (let i = 0; i < n; i++) for (let c = 0; c < nc; c++) out[c][i] = interleaved[i * nc + c];
    yield out;
  }
}

/**
 * The mono mix of one- or two-channel chunks, as ffmpeg's `-ac 1` makes it: a mono stream unchanged, and a stereo one
 * as (left + right)·√½ (libswresample's stereo-to-mono matrix, not normalised for float output; it equals ffmpeg's own
 * mono decode to float rounding, tests/audio-tee.test.ts). Lets one decode serve a track that wants the channels and
 * one that wants the mix.
 */
export async function* monoMix(chunks: AsyncIterable<Float32Array[]>): AsyncGenerator<Float32Array> {
  for await (const channels of chunks) {
    if (channels.length === 1) yield channels[0];
    else if (channels.length === 2) {
      const [left, right] = channels;
      const mono = new Float32Array(left.length);
      for (let i = 0; i < mono.length; i++) mono[i] = (left[i] + right[i]) * Math.SQRT1_2;
      yield mono;
    } else throw new Error(`monoMix takes 1 or 2 channels, got ${channels.length}`);
  }
}

/** Decode a whole (short) file's audio into memory. For evaluation and training exports, not for long recordings. */
export async function readAudio(file: string, ff: ResolvedFfmpeg, signal?: AbortSignal): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  let total = 0;
  for await (const part of streamAudio(file, ff, { chunkSamples: AUDIO_SAMPLE_RATE * 10, signal })) {
    parts.push(part);
    total += part.length;
  }
  const out = new Float32Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Decode many short files' audio (16 kHz mono) with one ffmpeg process per `batch` files: ffmpeg's start-up costs
 * more than decoding a 3 s clip. For training exports and evaluation, not for long recordings.
 */
export function readAudioFiles(files: readonly string[], ff: ResolvedFfmpeg, batch = 64): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i < files.length; i += batch) {
    const part = files.slice(i, i + batch);
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'affect-decode-'));
    try {
      const args = ['-nostdin', '-v', 'error', ...part.flatMap((p) => ['-i', p])];
      part.forEach((_, k) => args.push('-map', `${k}:a:0`, '-ac', '1', '-ar', String(AUDIO_SAMPLE_RATE), '-f', 'f32le', path.join(tmp, `${k}.f32`)));
      execFileSync(ff.ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      for (let k = 0; k < part.length; k++) {
        const b = readFileSync(path.join(tmp, `${k}.f32`));
        out.push(new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length - (b.length % 4))));
      }
    } catch (err) {
      const stderr = String((err as { stderr?: Buffer }).stderr ?? (err as Error).message).trim();
      throw new Error(`decoding ${part.length} files (${part[0]} …) failed: ${stderr}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return out;
}
