"""The text tokenizer, written so it can be matched code point for code point in TypeScript
(electron/analysis/text/tokenizer.ts). No Unicode database is consulted: every character class is a fixed
code-point range, so the two implementations cannot drift with the Python or ICU Unicode version.

Steps:
  1. fold case: ASCII A-Z and Latin-1 uppercase (U+00C0-U+00DE except U+00D7) to lower case; nothing else;
     curly apostrophes/quotes to ASCII (' and ").
  2. scan code points:
       - word characters (a-z, 0-9, Latin/Greek/Cyrillic/Hebrew/Arabic/Indic/Thai/Kana/CJK/Hangul ranges,
         combining marks) form words; an apostrophe between two word characters stays inside the word;
       - "[" + ASCII letters + "]" is one token (GoEmotions masks names as [NAME]);
       - a run of one repeated ASCII punctuation character is one token, capped at 3 (!!!!! -> !!!);
       - variation selectors, zero-width joiners and skin-tone modifiers are dropped;
       - whitespace and control characters separate tokens;
       - every other code point (emoji, symbols) is a token of its own.
  3. clitics as GloVe's tokenizer made them: don't -> do n't, it's -> it 's ('s 'm 're 've 'll 'd).
  4. keep at most MAX_TOKENS tokens (the first ones).
"""

MAX_TOKENS = 256
PAD, UNK, EOS = "[pad]", "[unk]", "[eos]"  # [eos]: the end of a text, for the last bigram

WORD_RANGES = (
    (0x30, 0x39), (0x61, 0x7A),
    (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x24F),  # Latin-1 letters, Latin Extended-A/B
    (0x300, 0x36F),  # combining diacritics
    (0x370, 0x3FF), (0x400, 0x52F), (0x590, 0x5FF), (0x600, 0x6FF),
    (0x900, 0xDFF), (0xE00, 0xE7F), (0x1E00, 0x1FFF),
    (0x3040, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF),
)
DROPPED = ((0xFE00, 0xFE0F), (0x200B, 0x200D), (0x1F3FB, 0x1F3FF), (0xE0020, 0xE007F))
CLITICS = ("'s", "'m", "'re", "'ve", "'ll", "'d")


def _in(cp, ranges):
    for lo, hi in ranges:
        if lo <= cp <= hi:
            return True
    return False


def _fold(cp):
    if 0x41 <= cp <= 0x5A or (0xC0 <= cp <= 0xDE and cp != 0xD7):
        return cp + 0x20
    if cp in (0x2018, 0x2019, 0x02BC):
        return 0x27
    if cp in (0x201C, 0x201D):
        return 0x22
    return cp


def _is_word(cp):
    return _in(cp, WORD_RANGES)


def _is_space(cp):
    return cp <= 0x20 or cp == 0x7F or 0x80 <= cp <= 0xA0 or cp in (0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000) or 0x2000 <= cp <= 0x200A


def _is_ascii_punct(cp):
    return 0x21 <= cp <= 0x7E and not _is_word(cp)


def _split_clitic(word):
    if "'" not in word:
        return [word]
    if word.endswith("n't") and len(word) > 3:
        return [word[:-3], "n't"]
    for c in CLITICS:
        if word.endswith(c) and len(word) > len(c):
            return [word[: -len(c)], c]
    return [word]


def tokenize(text, max_tokens=MAX_TOKENS):
    cps = [_fold(ord(ch)) for ch in text]
    cps = [cp for cp in cps if not _in(cp, DROPPED)]
    out = []
    i, n = 0, len(cps)
    while i < n and len(out) < max_tokens:
        cp = cps[i]
        if _is_space(cp):
            i += 1
        elif _is_word(cp):
            j = i + 1
            while j < n and (_is_word(cps[j]) or (cps[j] == 0x27 and j + 1 < n and _is_word(cps[j + 1]))):
                j += 1
            out.extend(_split_clitic("".join(chr(c) for c in cps[i:j])))
            i = j
        elif cp == 0x5B:  # [name]
            j = i + 1
            while j < n and 0x61 <= cps[j] <= 0x7A:
                j += 1
            if j > i + 1 and j < n and cps[j] == 0x5D:
                out.append("".join(chr(c) for c in cps[i : j + 1]))
                i = j + 1
            else:
                out.append("[")
                i += 1
        elif _is_ascii_punct(cp):
            j = i + 1
            while j < n and cps[j] == cp:
                j += 1
            out.append(chr(cp) * min(3, j - i))
            i = j
        else:
            out.append(chr(cp))
            i += 1
    return out[:max_tokens]


def encode(text, index, max_tokens=MAX_TOKENS):
    """Token ids (index: token -> id; unknown tokens -> id of [unk]); at least one id."""
    unk = index[UNK]
    ids = [index.get(t, unk) for t in tokenize(text, max_tokens)]
    return ids or [unk]
