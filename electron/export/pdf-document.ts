import path from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { appFile } from '../app-paths.js';
import { privateFileStream } from '../privacy/private-files.js';

/** Layout and type shared by the session and client reports. */
export const MARGIN = 50;
export const INK = '#1a1a1a';
export const MUTED = '#595959';
export const REGULAR = 'Body';
export const BOLD = 'Body-Bold';

/**
 * DejaVu Sans, embedded (subset) so client codes, names and file names in Latin, Greek, Cyrillic, Armenian or Georgian
 * script print as written; the text stays searchable and copyable (ToUnicode map). Scripts the font lacks (e.g. CJK,
 * Sinhala, Tamil) show empty boxes but still copy out correctly; right-to-left scripts (Hebrew, Arabic) are not laid
 * out right to left (pdfkit does no bidi or shaping). Licence: data/fonts/LICENSE.
 */
const FONT_DIR = appFile('data', 'fonts');
export const REPORT_FONTS = { regular: path.join(FONT_DIR, 'DejaVuSans.ttf'), bold: path.join(FONT_DIR, 'DejaVuSans-Bold.ttf') };

/** Where a report goes: a file path, or any writable stream (pdfToBuffer collects one in memory). */
export type PdfTarget = string | Writable;

export const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);
export const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

export interface ReportPdf {
  doc: PDFKit.PDFDocument;
  /** Text width between the margins. */
  width: number;
  /** A bold section heading with space above. */
  heading(text: string): void;
  /** Regular 10 pt ink, for body text. */
  body(): PDFKit.PDFDocument;
  /** Resolves when the last byte is written (after `finish`). */
  done: Promise<void>;
  /** Draws the footer on every page and ends the document. */
  finish(footer: string, generatedAt: Date): Promise<void>;
}

/** An A4 report with the embedded fonts, a title line and the disclaimer box, writing to `target`. */
export function openReportPdf(
  target: PdfTarget,
  o: { title: string; heading: string; subject: string; disclaimer: string; compress?: boolean },
): ReportPdf {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 20, left: MARGIN, right: MARGIN },
    compress: o.compress ?? true,
    bufferPages: true,
    font: REPORT_FONTS.regular,
    info: { Title: o.title, Subject: o.subject, Creator: 'Affect Workstation' },
  });
  // A file is owner-only and appears whole or not at all (privacy/private-files.ts).
  const file = typeof target === 'string' ? privateFileStream(target) : null;
  const out = file?.stream ?? (target as Writable);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve).on('error', reject);
    doc.on('error', reject);
    doc.pipe(out);
  }).then(
    () => file?.commit(),
    (err) => {
      file?.abort();
      throw err;
    },
  );
  doc.registerFont(REGULAR, REPORT_FONTS.regular);
  doc.registerFont(BOLD, REPORT_FONTS.bold);
  const width = doc.page.width - 2 * MARGIN;
  const heading = (text: string) => {
    if (doc.y > doc.page.height - MARGIN - 120) doc.addPage();
    doc.moveDown(0.8).font(BOLD).fontSize(12).fillColor(INK).text(text, MARGIN, doc.y, { width });
    doc.moveDown(0.25);
  };
  const body = () => doc.font(REGULAR).fontSize(10).fillColor(INK);

  doc.font(BOLD).fontSize(18).fillColor(INK).text(o.heading, MARGIN, MARGIN, { width });
  doc
    .font(REGULAR)
    .fontSize(9)
    .fillColor(MUTED)
    .text('Affect Workstation', MARGIN, MARGIN + 5, { width, align: 'right' });
  doc.moveDown(0.6);
  const boxY = doc.y;
  doc.font(BOLD).fontSize(10);
  const boxH = doc.heightOfString(o.disclaimer, { width: width - 16 }) + 12; // fits however the text wraps
  doc.rect(MARGIN, boxY, width, boxH).fillAndStroke('#fff4d6', '#d9a400');
  doc.fillColor(INK).text(o.disclaimer, MARGIN + 8, boxY + 6, { width: width - 16 });
  doc.y = boxY + boxH + 8;

  const finish = async (footer: string, generatedAt: Date) => {
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      const y = doc.page.height - MARGIN - 4;
      doc
        .moveTo(MARGIN, y - 6)
        .lineTo(MARGIN + width, y - 6)
        .lineWidth(0.5)
        .strokeColor('#bbbbbb')
        .stroke();
      doc.font(REGULAR).fontSize(8).fillColor(MUTED);
      doc.text(`${footer}, generated ${generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`, MARGIN, y, {
        width: width - 70,
        lineBreak: false,
      });
      doc.text(`Page ${i - range.start + 1} of ${range.count}`, MARGIN, y, { width, align: 'right', lineBreak: false });
      doc.page.margins.bottom = bottom;
    }
    doc.end();
    await done;
  };
  return { doc, width, heading, body, done, finish };
}

/** Label/value rows ("Client  C-100") at the left margin. */
export function factRows(pdf: ReportPdf, facts: Array<[string, string]>, labelWidth = 80): void {
  const { doc, width } = pdf;
  for (const [k, v] of facts) {
    const y = doc.y;
    doc.font(BOLD).fontSize(10).fillColor(INK).text(k, MARGIN, y, { width: labelWidth });
    doc.font(REGULAR).text(v, MARGIN + labelWidth, y, { width: width - labelWidth });
  }
}

/** A change in words and direction, so it reads without colour: "−12 (better)", "+6 (worse), band up". */
export function changeWords(difference: number | null, bandChange: 'higher' | 'lower' | 'same' | null): string {
  if (difference === null) return '—';
  const dir = difference < 0 ? 'better' : difference > 0 ? 'worse' : 'same';
  const band = bandChange === 'higher' ? ', band up' : bandChange === 'lower' ? ', band down' : '';
  return `${difference > 0 ? '+' : difference < 0 ? '\u2212' : '\u00b1'}${Math.abs(difference)} (${dir}${band})`;
}

/** A table with fixed columns; each row as tall as its tallest cell; a new page (with the header again) when full. */
export function pdfTable(pdf: ReportPdf, columns: Array<{ title: string; width: number }>, rows: string[][], fontSize = 8.5) {
  const { doc } = pdf;
  const xs = columns.reduce<number[]>((acc, c, i) => [...acc, (acc[i - 1] ?? MARGIN) + (i ? columns[i - 1].width : 0)], []);
  const header = () => {
    const y = doc.y;
    doc.font(BOLD).fontSize(fontSize).fillColor(INK);
    columns.forEach((c, i) => doc.text(c.title, xs[i], y, { width: c.width - 4 }));
    doc.y = y + Math.max(...columns.map((c) => doc.heightOfString(c.title, { width: c.width - 4 }))) + 4;
    doc
      .moveTo(MARGIN, doc.y - 2)
      .lineTo(MARGIN + pdf.width, doc.y - 2)
      .lineWidth(0.5)
      .strokeColor('#999999')
      .stroke();
  };
  header();
  for (const cells of rows) {
    doc.font(REGULAR).fontSize(fontSize);
    const h = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: columns[i].width - 4 }))) + 3;
    if (doc.y + h > doc.page.height - MARGIN - 24) {
      doc.addPage();
      header();
      doc.font(REGULAR).fontSize(fontSize);
    }
    const y = doc.y;
    doc.fillColor(INK);
    cells.forEach((c, i) => doc.text(c, xs[i], y, { width: columns[i].width - 4 }));
    doc.y = y + h;
    doc
      .moveTo(MARGIN, doc.y - 1)
      .lineTo(MARGIN + pdf.width, doc.y - 1)
      .lineWidth(0.3)
      .strokeColor('#dddddd')
      .stroke();
  }
  doc.x = MARGIN;
}

/** Render a report into memory (for the UI's save dialog or download): no temporary file with client data. */
export async function pdfToBuffer(render: (out: Writable) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await render(out);
  return Buffer.concat(chunks);
}
