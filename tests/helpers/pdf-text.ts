import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { inflateSync } from 'node:zlib';
import path from 'node:path';
import { ARTIFACTS_DIR } from './paths.js';

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
    const cmap = cmapRef ? (objects.get(cmapRef) ?? '') : '';
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

/**
 * A compressed pdfkit file (as the app hands reports to the user) with its Flate streams inflated in place, so pdfText
 * can read it: each `<< … /Length n /Filter /FlateDecode … >> stream` gets its n bytes inflated.
 */
export function inflatePdf(pdf: Buffer): Buffer {
  const src = pdf.toString('latin1');
  const parts: Buffer[] = [];
  let at = 0;
  for (const m of src.matchAll(/<<((?:(?!>>)[\s\S])*?\/Length (\d+)(?:(?!>>)[\s\S])*?)>>\s*stream\r?\n/g)) {
    if (!/\/FlateDecode/.test(m[1]) || m.index! < at) continue;
    const start = m.index! + m[0].length;
    const length = Number(m[2]);
    parts.push(
      pdf.subarray(at, m.index!),
      Buffer.from(`<<${m[1].replace(/\/Filter \/FlateDecode/, '')}>>\nstream\n`, 'latin1'),
      inflateSync(pdf.subarray(start, start + length)),
    );
    at = start + length;
  }
  parts.push(pdf.subarray(at));
  return Buffer.concat(parts);
}

/** pdfText of a compressed file. */
export const pdfTextOf = (pdf: Buffer) => pdfText(inflatePdf(pdf));

export const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;

export const HAVE_PDFTOPPM = spawnSync('pdftoppm', ['-v'], { encoding: 'utf8' }).error === undefined;

/** Render every page of a PDF to PNG with poppler into tests/artifacts/<name>-page<N>.png; the paths, or null without pdftoppm. */
export function renderPdfToArtifacts(pdfFile: string, name: string): string[] | null {
  if (!HAVE_PDFTOPPM) return null;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pdf-png-'));
  const r = spawnSync('pdftoppm', ['-png', '-r', '100', pdfFile, path.join(dir, 'page')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pdftoppm failed: ${r.stderr}`);
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((f, i) => {
      const out = path.join(ARTIFACTS_DIR, `${name}-page${i + 1}.png`);
      copyFileSync(path.join(dir, f), out);
      return out;
    });
}
