/**
 * The text an uncompressed pdfkit file shows, in drawing order: each TJ's hex glyph codes decoded through the
 * ToUnicode map of the font selected by the last Tf (the fonts are embedded subsets with Identity-H encoding).
 * The TJ pattern has no ambiguous repetition, so binary font streams cannot make it backtrack for long.
 */
export function pdfText(pdf: Buffer): string {
  const src = pdf.toString('latin1');
  const objects = new Map<string, string>();
  for (const m of src.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) objects.set(m[1], m[2]);
  const toUnicode = (fontRef: string): Map<number, string> => {
    const map = new Map<number, string>();
    const cmapRef = /\/ToUnicode (\d+) 0 R/.exec(objects.get(fontRef) ?? '')?.[1];
    const cmap = cmapRef ? objects.get(cmapRef) ?? '' : '';
    for (const r of cmap.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi)) {
      const start = parseInt(r[1], 16);
      [...r[3].matchAll(/<([0-9a-f ]+)>/gi)].forEach((e, i) =>
        map.set(start + i, String.fromCharCode(...e[1].split(' ').map((h) => parseInt(h, 16)))),
      );
    }
    return map;
  };
  const fonts = new Map<string, Map<number, string>>(); // resource name (F1…) → code → text
  for (const m of src.matchAll(/\/(F\d+) (\d+) 0 R/g)) if (!fonts.has(m[1])) fonts.set(m[1], toUnicode(m[2]));
  const out: string[] = [];
  let current = new Map<number, string>();
  for (const m of src.matchAll(/\/(F\d+) [\d.]+ Tf|\[((?:<[0-9a-fA-F]*>[^<\]]*)+)\]\s*TJ/g)) {
    if (m[1]) current = fonts.get(m[1]) ?? new Map();
    else
      out.push(
        [...m[2].matchAll(/<([0-9a-fA-F]*)>/g)]
          .map((h) => (h[1].match(/.{4}/g) ?? []).map((g) => current.get(parseInt(g, 16)) ?? '\ufffd').join(''))
          .join(''),
      );
  }
  return out.join('\n');
}

/** Pages in a PDF file. */
export const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
