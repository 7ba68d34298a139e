import { TranscriptError } from './cue.js';

/** Transcripts larger than this are refused before they are read (a ten-hour call is well under 2 MB of text). */
export const MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024;

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  /** Whether a byte-order mark was found (and dropped). */
  bom: boolean;
}

/** Windows-1252 bytes 0x80–0x9F (the rest of the byte range is Latin-1, code point = byte). Undefined bytes map to U+FFFD. */
const CP1252_HIGH = '€\uFFFD‚ƒ„…†‡ˆ‰Š‹Œ\uFFFDŽ\uFFFD\uFFFD‘’“”•–—˜™š›œ\uFFFDžŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const part = bytes.subarray(i, i + 8192);
    out += String.fromCharCode(...Array.from(part, (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH.charCodeAt(b - 0x80) : b)));
  }
  return out;
}

/** 1-based line of a character offset. */
function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** UTF-16 without a BOM: most ASCII-heavy text has a zero in every other byte. */
function sniffUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length - (bytes.length % 2), 4096);
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
}

/**
 * Decode a transcript's bytes: a UTF-8 or UTF-16 byte-order mark decides; without one, UTF-16 is recognised by
 * its zero bytes, valid UTF-8 is UTF-8, and anything else is read as Windows-1252 (the superset of Latin-1 that
 * Windows tools write). Line ends become \n. Refuses binary files and text with NUL characters.
 */
export function decodeTranscriptBytes(bytes: Uint8Array, file: string): DecodedText {
  if (bytes.length === 0) throw new TranscriptError(file, null, 'the file is empty');
  let encoding: DecodedText['encoding'];
  let start = 0;
  let bom = true;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) ((encoding = 'utf-8'), (start = 3));
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) ((encoding = 'utf-16le'), (start = 2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) ((encoding = 'utf-16be'), (start = 2));
  else {
    bom = false;
    encoding = sniffUtf16(bytes) ?? 'utf-8';
  }
  const body = bytes.subarray(start);
  if (encoding.startsWith('utf-16') && body.length % 2 !== 0)
    throw new TranscriptError(file, null, `the file looks like ${encoding.toUpperCase()} but has an odd number of bytes (cut short?)`);
  let text: string;
  if (encoding === 'utf-8') {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    } catch {
      encoding = 'windows-1252';
      text = decodeWindows1252(body); // Node's TextDecoder('windows-1252') is plain Latin-1 without full ICU
    }
  } else {
    try {
      text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
    } catch {
      throw new TranscriptError(file, null, `the file starts as ${encoding.toUpperCase()} but is not valid ${encoding.toUpperCase()} text`);
    }
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) throw new TranscriptError(file, lineOfOffset(text, nul), 'the file holds NUL bytes: it is not a text transcript (a binary file?)');
  text = text.replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw new TranscriptError(file, null, 'the file holds only white space');
  return { text, encoding, bom };
}
