/**
 * The text models' tokenizer, code point for code point the same as the training one
 * (native-models/text-glove-cnn/train/tokenizer.py; tests/text-tokenizer-parity.test.ts checks them against each
 * other on real texts). No Unicode database is consulted: every character class is a fixed code-point range, so
 * the result cannot drift with the Node/ICU or Python Unicode version.
 *
 *  1. fold case: ASCII A–Z and Latin-1 capitals (U+00C0–U+00DE except ×) only; curly apostrophes → ', curly double quotes → ".
 *  2. drop variation selectors, zero-width joiners/spaces, skin-tone modifiers and emoji tag characters.
 *  3. scan: runs of word characters (with an apostrophe between two of them) are words; "[" + a–z + "]" is one
 *     token ([name]); a run of one repeated ASCII punctuation character is one token, at most 3 long; white space
 *     and controls separate; any other code point (emoji, symbols) is a token of its own.
 *  4. clitics split as GloVe's tokenizer did: don't → do n't; it's → it 's ('s 'm 're 've 'll 'd).
 *  5. at most maxTokens tokens, the first ones.
 */

export const PAD = '[pad]';
export const UNK = '[unk]';

const WORD_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x30, 0x39],
  [0x61, 0x7a],
  [0xc0, 0xd6],
  [0xd8, 0xf6],
  [0xf8, 0x24f],
  [0x300, 0x36f],
  [0x370, 0x3ff],
  [0x400, 0x52f],
  [0x590, 0x5ff],
  [0x600, 0x6ff],
  [0x900, 0xdff],
  [0xe00, 0xe7f],
  [0x1e00, 0x1fff],
  [0x3040, 0x30ff],
  [0x4e00, 0x9fff],
  [0xac00, 0xd7af],
];
const DROPPED: ReadonlyArray<readonly [number, number]> = [
  [0xfe00, 0xfe0f],
  [0x200b, 0x200d],
  [0x1f3fb, 0x1f3ff],
  [0xe0020, 0xe007f],
];
const CLITICS = ["'s", "'m", "'re", "'ve", "'ll", "'d"];

const inRanges = (cp: number, ranges: ReadonlyArray<readonly [number, number]>) => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
const isWord = (cp: number) => inRanges(cp, WORD_RANGES);
const isSpace = (cp: number) =>
  cp <= 0x20 ||
  cp === 0x7f ||
  (cp >= 0x80 && cp <= 0xa0) ||
  [0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000].includes(cp) ||
  (cp >= 0x2000 && cp <= 0x200a);
const isAsciiPunct = (cp: number) => cp >= 0x21 && cp <= 0x7e && !isWord(cp);

function fold(cp: number): number {
  if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0xc0 && cp <= 0xde && cp !== 0xd7)) return cp + 0x20;
  if (cp === 0x2018 || cp === 0x2019 || cp === 0x02bc) return 0x27;
  if (cp === 0x201c || cp === 0x201d) return 0x22;
  return cp;
}

function splitClitic(word: string): string[] {
  if (!word.includes("'")) return [word];
  if (word.endsWith("n't") && word.length > 3) return [word.slice(0, -3), "n't"];
  for (const c of CLITICS) if (word.endsWith(c) && word.length > c.length) return [word.slice(0, -c.length), c];
  return [word];
}

const text = (cps: number[], from: number, to: number) => String.fromCodePoint(...cps.slice(from, to));

export function tokenize(input: string, maxTokens: number): string[] {
  const cps: number[] = [];
  for (const ch of input) {
    const cp = fold(ch.codePointAt(0)!);
    if (!inRanges(cp, DROPPED)) cps.push(cp);
  }
  const out: string[] = [];
  const n = cps.length;
  let i = 0;
  while (i < n && out.length < maxTokens) {
    const cp = cps[i];
    if (isSpace(cp)) i++;
    else if (isWord(cp)) {
      let j = i + 1;
      while (j < n && (isWord(cps[j]) || (cps[j] === 0x27 && j + 1 < n && isWord(cps[j + 1])))) j++;
      out.push(...splitClitic(text(cps, i, j)));
      i = j;
    } else if (cp === 0x5b) {
      let j = i + 1;
      while (j < n && cps[j] >= 0x61 && cps[j] <= 0x7a) j++;
      if (j > i + 1 && j < n && cps[j] === 0x5d) {
        out.push(text(cps, i, j + 1));
        i = j + 1;
      } else {
        out.push('[');
        i++;
      }
    } else if (isAsciiPunct(cp)) {
      let j = i + 1;
      while (j < n && cps[j] === cp) j++;
      out.push(String.fromCodePoint(cp).repeat(Math.min(3, j - i)));
      i = j;
    } else {
      out.push(String.fromCodePoint(cp));
      i++;
    }
  }
  return out.slice(0, maxTokens);
}

/** Token ids for a text: unknown tokens get the id of [unk]; an empty list when the text has no token at all. */
export function encode(input: string, index: ReadonlyMap<string, number>, maxTokens: number): number[] {
  const unk = index.get(UNK);
  if (unk === undefined) throw new Error(`the vocabulary has no ${UNK}`);
  return tokenize(input, maxTokens).map((t) => index.get(t) ?? unk);
}
