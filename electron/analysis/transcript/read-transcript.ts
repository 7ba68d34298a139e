import { existsSync, openSync, readSync, closeSync, fstatSync } from 'node:fs';
import path from 'node:path';
import { TranscriptError, type Transcript, type TranscriptFormat } from './cue.js';
import { decodeTranscriptBytes, MAX_TRANSCRIPT_BYTES } from './decode.js';
import { parseEafTranscript } from './eaf-transcript.js';
import { parseSrt } from './srt.js';
import { parseTimestampedText } from './timestamped-text.js';
import { checkTiming, type TimingRules } from './validate.js';
import { parseWebVtt, type ParsedCues } from './webvtt.js';

export interface ReadTranscriptOptions extends TimingRules {
  /** Force a format instead of recognising it from the content and the extension. */
  format?: TranscriptFormat;
  /** ELAN only: the tiers to read (see eaf-transcript.ts). */
  tiers?: readonly string[];
}

/** Transcript files the importer recognises, by extension, in the order a sidecar file is looked for. */
export const TRANSCRIPT_EXTENSIONS = ['.vtt', '.srt', '.eaf', '.txt'] as const;

/** The format of a transcript from its first characters, then its extension. */
export function detectFormat(text: string, file: string): TranscriptFormat {
  const head = text.slice(0, 2000).trimStart();
  if (/^WEBVTT(?:[ \t\n]|$)/.test(head)) return 'webvtt';
  if (head.startsWith('<?xml') || head.startsWith('<ANNOTATION_DOCUMENT')) return 'eaf';
  if (/^\d+\n[^\n]*-->/.test(head)) return 'srt';
  const ext = path.extname(file).toLowerCase();
  if (ext === '.vtt') return 'webvtt';
  if (ext === '.srt') return 'srt';
  if (ext === '.eaf') return 'eaf';
  if (/^[^\n]*\d:\d\d[.,]\d+\s+-->/.test(head)) return 'srt';
  return 'timestamped-text';
}

/** Parse transcript bytes (any supported format and encoding). Throws TranscriptError naming `file` and the line. */
export function parseTranscript(bytes: Uint8Array, file: string, opts: ReadTranscriptOptions = {}): Transcript {
  const decoded = decodeTranscriptBytes(bytes, file);
  const format = opts.format ?? detectFormat(decoded.text, file);
  let parsed: ParsedCues;
  if (format === 'webvtt') parsed = parseWebVtt(decoded.text, file);
  else if (format === 'srt') parsed = parseSrt(decoded.text, file);
  else if (format === 'eaf') parsed = parseEafTranscript(decoded.text, file, { tiers: opts.tiers });
  else parsed = parseTimestampedText(decoded.text, file);
  const timed = checkTiming(file, parsed.cues, opts);
  const speakers: string[] = [];
  for (const c of timed.cues) if (c.speaker !== null && !speakers.includes(c.speaker)) speakers.push(c.speaker);
  const warnings = [...parsed.warnings, ...timed.warnings];
  if (decoded.encoding !== 'utf-8')
    warnings.unshift(
      `read as ${decoded.encoding === 'windows-1252' ? 'Windows-1252 (Latin-1): the file is not valid UTF-8' : decoded.encoding.toUpperCase()}`,
    );
  return { format, encoding: decoded.encoding, cues: timed.cues, speakers, warnings };
}

/**
 * A transcript file's bytes; files over MAX_TRANSCRIPT_BYTES are refused before they are read. Messages name the file
 * as `name` (default: the path as given).
 */
export function readTranscriptBytes(file: string, name = file): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new TranscriptError(name, null, `cannot be opened (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new TranscriptError(name, null, 'is not a file');
    if (st.size > MAX_TRANSCRIPT_BYTES)
      throw new TranscriptError(
        name,
        null,
        `the file is ${(st.size / 1024 / 1024).toFixed(1)} MB; transcripts are at most ${MAX_TRANSCRIPT_BYTES / 1024 / 1024} MB (ten hours of speech is about 1 MB of text), so this is not read`,
      );
    const bytes = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, bytes, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return bytes.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/** Read and parse a transcript file (see readTranscriptBytes and parseTranscript). */
export function readTranscriptFile(file: string, opts: ReadTranscriptOptions = {}): Transcript {
  return parseTranscript(readTranscriptBytes(file), file, opts);
}

/** A transcript beside a recording with the same base name (talk.mp4 → talk.vtt, talk.srt, talk.eaf, talk.txt), or null. */
export function findSidecarTranscript(recording: string): string | null {
  const base = recording.slice(0, recording.length - path.extname(recording).length);
  for (const ext of TRANSCRIPT_EXTENSIONS) for (const e of [ext, ext.toUpperCase()]) if (existsSync(base + e)) return base + e;
  return null;
}
