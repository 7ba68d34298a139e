/**
 * Cue text helpers shared by the WebVTT, SRT and timestamped-text readers: markup removal, entity decoding,
 * WebVTT voice spans (<v Name>…</v>, as Microsoft Teams writes them) and "Name: text" speaker prefixes (as
 * Zoom, Otter and Google Meet write them).
 */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', lrm: '', rlm: '' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, ref: string) => {
    if (ref[0] === '#') {
      const cp = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[ref] ?? m;
  });
}

/** Collapse white space (line breaks inside a cue become spaces). */
export const collapseSpace = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Plain text of a cue payload: tags (<i>, <c.x>, <00:00:01.000>, <font …>) and {\an8}-style codes removed. */
export function stripMarkup(s: string): string {
  return collapseSpace(decodeEntities(s.replace(/<[^>\n]*>/g, '').replace(/\{\\[^}\n]*\}/g, '')));
}

export interface VoicePart {
  speaker: string | null;
  text: string;
}

/**
 * Split a WebVTT payload at its voice spans. `<v Name>text</v>` and `<v.class Name>text` (the closing tag may be
 * left out at the end of a cue). Text before the first span has no voice. Parts with no text are dropped.
 */
export function splitVoiceSpans(payload: string): VoicePart[] {
  const re = /<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>/g;
  const parts: VoicePart[] = [];
  let last = 0;
  let speaker: string | null = null;
  const push = (raw: string) => {
    const text = stripMarkup(raw.replace(/<\/v>/g, ''));
    if (text) parts.push({ speaker, text });
  };
  for (let m = re.exec(payload); m; m = re.exec(payload)) {
    push(payload.slice(last, m.index));
    speaker = m[1] ? collapseSpace(decodeEntities(m[1])) || null : null;
    last = re.lastIndex;
  }
  push(payload.slice(last));
  return parts;
}

/**
 * "Name: text" at the start of a cue. A name is 1–5 words of letters, digits, and . ' - ( ) _ &, starting
 * with a letter, at most 48 characters, and not a word that commonly starts a sentence with a colon.
 */
const PREFIX = /^([\p{L}][\p{L}\p{M}\p{N} .'’\-()_&]{0,47}?)\s*:\s+(\S.*)$/su;
const NOT_NAMES = new Set(['note', 'edit', 'update', 'ps', 'p.s', 'tl;dr', 'example', 'question', 'answer', 'warning', 'http', 'https']);

export function splitSpeakerPrefix(text: string): { speaker: string; text: string } | null {
  const m = PREFIX.exec(text);
  if (!m) return null;
  const name = collapseSpace(m[1]);
  if (name.split(' ').length > 5 || NOT_NAMES.has(name.toLowerCase())) return null;
  return { speaker: name, text: m[2].trim() };
}

export interface TextCue {
  startS: number;
  endS: number;
  speaker: string | null;
  text: string;
  /** 1-based source line; null where the format has none to give (ELAN: see `where`). */
  line: number | null;
  /** Where the cue is when there is no line (e.g. 'tier "Client"'). */
  where?: string;
}

/**
 * Give cues their speakers from "Name: text" prefixes when the file uses them: at least half of the cues that
 * have no voice span must start with a name. Then a cue without a name continues the previous cue's speaker
 * (subtitle convention: the name is written when the speaker changes). Returns the warnings this produced.
 */
export function applySpeakerPrefixes(cues: TextCue[]): string[] {
  const candidates = cues.filter((c) => c.speaker === null);
  if (candidates.length === 0) return [];
  const split = candidates.map((c) => splitSpeakerPrefix(c.text));
  const named = split.filter(Boolean).length;
  if (named === 0 || named < candidates.length / 2) return [];
  let carried = 0;
  let previous: string | null = null;
  let k = 0;
  for (const cue of cues) {
    if (cue.speaker !== null) {
      previous = cue.speaker;
      continue;
    }
    const s = split[k++];
    if (s) {
      cue.speaker = s.speaker;
      cue.text = s.text;
    } else if (previous !== null) {
      cue.speaker = previous;
      carried++;
    }
    previous = cue.speaker;
  }
  return carried ? [`${carried} cue${carried > 1 ? 's' : ''} without a speaker name kept the previous cue's speaker`] : [];
}
