import type { ReportSelfCare } from './report-selfcare.js';

export interface PdfSection {
  doc: PDFKit.PDFDocument;
  x: number;
  width: number;
  heading: (text: string) => void;
  regular: string;
  bold: string;
  ink: string;
  muted: string;
}

const minutes = (s: number | null) =>
  s === null ? '—' : s < 60 ? `${Math.round(s)} s` : `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;
const rating = (x: number | null) => (x === null ? '–' : String(x));

/** The report's self-care section: levels reached, a summary of the ratings, and the latest runs as a table. */
export function drawSelfCareSection({ doc, x, width, heading, regular, bold, ink, muted }: PdfSection, s: ReportSelfCare | null): void {
  heading('Self-care exercises');
  doc.font(regular).fontSize(10).fillColor(ink);
  if (!s) {
    doc.text('No self-care exercises recorded for this client on or before this session.', x, doc.y, { width });
    return;
  }
  const change =
    s.meanTensionChange === null
      ? 'no run has both tension ratings'
      : `mean change in tension (after − before, 0–10) ${s.meanTensionChange > 0 ? '+' : ''}${s.meanTensionChange} over ${s.ratedRuns} rated run${s.ratedRuns === 1 ? '' : 's'}`;
  doc.text(`${s.totalRuns} run${s.totalRuns === 1 ? '' : 's'} up to ${s.until}, ${s.completedRuns} completed; ${change}.`, x, doc.y, { width });
  doc.text(`Levels completed: ${s.levels.map((l) => `${l.title} ${l.completed}/${l.levels}`).join(' · ')}.`, x, doc.y, { width });
  doc.moveDown(0.3);
  const cols = [x, x + 62, x + 305, x + 350, x + 425];
  const row = (cells: string[], isBold = false) => {
    const y = doc.y;
    doc
      .font(isBold ? bold : regular)
      .fontSize(9)
      .fillColor(ink);
    cells.forEach((c, i) =>
      doc.text(c, cols[i], y, { width: (cols[i + 1] ?? x + width) - cols[i] - 4, height: 12, lineBreak: false, ellipsis: true }),
    );
    doc.y = y + 13;
  };
  row(['Date', 'Exercise and level', 'Length', 'Outcome', 'Tension'], true);
  doc
    .moveTo(x, doc.y - 2)
    .lineTo(x + width, doc.y - 2)
    .lineWidth(0.5)
    .strokeColor('#999999')
    .stroke();
  for (const r of s.latest)
    row([
      r.startedAt.slice(0, 10),
      r.exercise,
      minutes(r.lengthS),
      r.outcome === 'left' ? 'stopped early' : r.outcome,
      `${rating(r.before)} → ${rating(r.after)}`,
    ]);
  doc
    .font(regular)
    .fontSize(8)
    .fillColor(muted)
    .text(
      `The latest ${s.latest.length} of ${s.totalRuns} runs. Tension: before → after, the client's own rating (0 none – 10 most), either skippable (–); not a clinical measure. Stopping early is never counted against anyone.`,
      x,
      doc.y + 2,
      { width },
    );
}
