import { SUBSCALES } from '../contract/shared/dass-score.js';
import { EMOTION_LABELS } from '../contract/shared/labels.js';
import { LABEL_COLORS } from '../contract/shared/labels.js';
import type { Span } from '../store/annotations-repo.js';
import { BOLD, changeWords, clock, factRows, INK, MARGIN, MUTED, openReportPdf, pct, pdfTable, REGULAR, type PdfTarget } from './pdf-document.js';
import type { ReportTrack, SessionReport } from './report-data.js';
import { drawSelfCareSection } from './report-pdf-selfcare.js';
import { drawTranscriptLines, drawTranscriptSummary } from './report-transcript.js';

export { REPORT_FONTS } from './pdf-document.js';

const colorOf = (label: string) => LABEL_COLORS[label] ?? '#444444';

function niceStep(durationS: number): number {
  const target = durationS / 8;
  for (const step of [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600]) if (step >= target) return step;
  return 7200;
}

function trackLine(t: ReportTrack, unit: string): string {
  if (t.majority === null) return `no estimate${t.reason ? ` (${t.reason})` : ''}; ${t.coverage}`;
  return `${t.majority} in ${pct(t.majorityShare)} of ${t.counted} labelled ${unit}; ${t.coverage}`;
}

/**
 * Renders the clinician's session report (A4, one or two pages) to a PDF file or stream. Vector graphics only:
 * the timeline is drawn from the stored per-frame and per-window results. `compress: false` keeps the
 * text searchable in the file (tests read it).
 */
export async function renderSessionReportPdf(
  report: SessionReport,
  target: PdfTarget,
  { compress = true, generatedAt = new Date() } = {},
): Promise<void> {
  const pdf = openReportPdf(target, {
    title: `Session report${report.clientCode ? ` \u2014 ${report.clientCode}` : ''} \u2014 ${report.date}`,
    heading: 'Session report',
    subject: report.disclaimer,
    disclaimer: report.disclaimer,
    compress,
  });
  const { doc, width, heading, body } = pdf;

  // Who, when, what.
  const facts: Array<[string, string]> = [
    ['Client', report.clientCode ?? '(not assigned to a client)'],
    ['Date', `${report.date}${report.dateIsAnalysisDate ? ' (date analysed; recording date unknown)' : ''}`],
    ['Recording', `${report.recording.name} (${clock(report.recording.durationS)})`],
    ['Session', `#${report.sessionId}${report.title ? ` \u2014 ${report.title}` : ''}`],
  ];
  factRows(pdf, facts);

  // Estimates (of the client's participant, else the main one).
  const described = report.participants.find((p) => p.describes);
  const whose = (p: SessionReport['participants'][number]) => `P${p.number}${p.name ? ` ${p.name}` : ''}${p.isClient ? ' (client)' : ''}`;
  heading(report.participants.length > 1 && described ? `Expression estimates (model) of ${whose(described)}` : 'Expression estimates (model)');
  const estimate = (name: string, label: string | null, line: string) => {
    const y = doc.y;
    doc.rect(MARGIN, y + 1, 9, 9).fill(label ? colorOf(label) : '#dddddd');
    doc
      .font(BOLD)
      .fontSize(10)
      .fillColor(INK)
      .text(name, MARGIN + 15, y, { width: 60 });
    body().text(line, MARGIN + 75, y, { width: width - 75 });
  };
  estimate('Face', report.face.majority, `majority: ${trackLine(report.face, 'frames')}`);
  estimate('Voice', report.voice.majority, `majority: ${trackLine(report.voice, 'windows')}`);
  estimate(
    'Fused',
    report.fused.label,
    report.fused.label === null
      ? 'no estimate'
      : `${report.fused.label} (fused probability ${pct(report.fused.confidence)}; face and voice weighted by each model's expected accuracy on new recordings)`,
  );

  // Who is who.
  if (report.participants.length > 1) {
    heading('Participants');
    pdfTable(
      pdf,
      [
        { title: 'Participant', width: 95 },
        { title: 'Face', width: 125 },
        { title: 'Voice', width: 180 },
        { title: 'Fused', width: width - 400 },
      ],
      report.participants.map((p) => [`${whose(p)}${p.describes ? ' \u2014 above' : ''}`, p.face, p.voice, p.fused ?? '\u2014']),
      8.5,
    );
    doc
      .font(REGULAR)
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        'A voice is joined to a face only where the recording shows it (the mouth moving with the speech, or the only face with the only voice); otherwise they are listed apart.',
        MARGIN,
        doc.y + 2,
        { width },
      );
  }

  // Timeline.
  heading('Timeline');
  drawTimeline(
    doc,
    { ...report.timeline, text: report.transcript?.spans },
    MARGIN,
    doc.y,
    width,
    report.participants.length > 1 ? report.participants.filter((p) => p.turns.length).map((p) => [`P${p.number} speaks`, p.turns]) : [],
  );
  if (report.transcript) drawTranscriptSummary(pdf, report.transcript);

  // DASS-21.
  heading('DASS-21');
  body();
  if (!report.dass) doc.text('No DASS-21 administration is recorded for this client on or before this session.', MARGIN, doc.y, { width });
  else {
    const d = report.dass;
    doc.text(
      `Administered ${d.administeredOn} (${d.link})${d.complete ? '' : '; incomplete: some subscales could not be scored'}.${d.previous ? ` Compared with ${d.previous.administeredOn}.` : ' No earlier administration to compare with.'}`,
      MARGIN,
      doc.y,
      { width },
    );
    doc.moveDown(0.3);
    pdfTable(
      pdf,
      [
        { title: 'Subscale', width: 90 },
        { title: 'Score', width: 50 },
        { title: 'Band', width: 110 },
        { title: d.previous ? `Previous (${d.previous.administeredOn})` : 'Previous', width: 120 },
        { title: 'Change', width: width - 370 },
      ],
      SUBSCALES.map((s) => {
        const cur = d.scores[s];
        const prev = d.previous?.scores[s];
        const ch = d.changes?.find((c) => c.subscale === s);
        const change = !ch || ch.difference === null ? '—' : `${changeWords(ch.difference, ch.bandChange)}${ch.flagged ? ' \u2691 flagged' : ''}`;
        return [
          s[0].toUpperCase() + s.slice(1),
          cur.score === null ? '—' : String(cur.score),
          cur.band ?? 'not scored',
          prev ? `${prev.score ?? '—'} ${prev.band ?? ''}` : '—',
          change,
        ];
      }),
      10,
    );
    doc
      .font(REGULAR)
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        'Scores on the DASS-42 scale (sums ×2); bands: Lovibond & Lovibond (1995). Lower is fewer symptoms ("better"). \u2691 flagged: a change of 5 points or more (a project convention, not a reliable-change cut-off).',
        MARGIN,
        doc.y + 2,
        { width },
      );

    heading('Items of note');
    body();
    if (d.itemsOfNote.length === 0) doc.text('None endorsed.', MARGIN, doc.y, { width });
    for (const n of d.itemsOfNote)
      doc.text(`\u2022 Item ${n.item} (answer ${n.answer}): \u201c${n.text}\u201d \u2014 ${n.message}`, MARGIN, doc.y, { width });
  }

  drawSelfCareSection({ doc, x: MARGIN, width, heading, regular: REGULAR, bold: BOLD, ink: INK, muted: MUTED }, report.selfCare);

  heading('Models');
  body();
  for (const m of report.models)
    doc.text(`${m.role}: ${m.id} version ${m.version} (sha256 ${m.sha256.slice(0, 12)}\u2026)`, MARGIN, doc.y, { width });
  if (report.warnings.length) {
    heading('Warnings');
    body();
    for (const w of report.warnings) doc.text(`\u2022 ${w}`, MARGIN, doc.y, { width });
  }
  if (report.transcript) drawTranscriptLines(pdf, report.transcript);

  await pdf.finish(`${report.note} Session #${report.sessionId}`, generatedAt);
}

/** Three rows (face, voice, fused) of coloured spans over a time axis, a text row with a transcript, then each participant's speaking turns, with a legend. */
function drawTimeline(
  doc: PDFKit.PDFDocument,
  t: SessionReport['timeline'] & { text?: Span[] },
  x: number,
  y: number,
  width: number,
  turns: Array<[string, Span[]]> = [],
): void {
  const labelW = turns.length ? 58 : 45;
  const rowH = 14;
  const gap = 5;
  const barX = x + labelW;
  const barW = width - labelW;
  const scale = (s: number) => barX + (Math.min(Math.max(s, 0), t.durationS) / Math.max(t.durationS, 1e-9)) * barW;
  const rows: Array<[string, Span[]]> = [
    ['Face', t.face],
    ['Voice', t.voice],
    ['Fused', t.fused],
    ...(t.text ? ([['Text', t.text]] as Array<[string, Span[]]>) : []),
    ...turns,
  ];
  rows.forEach(([name, spans], i) => {
    const ry = y + i * (rowH + gap);
    doc
      .font(REGULAR)
      .fontSize(9)
      .fillColor(INK)
      .text(name, x, ry + 3, { width: labelW - 4, lineBreak: false });
    doc.rect(barX, ry, barW, rowH).fill('#f1f1f1');
    for (const s of spans) {
      const x0 = scale(s.start);
      const w = Math.max(scale(s.end) - x0, 0.4);
      doc.rect(x0, ry, w, rowH).fill(s.label === 'speech' ? '#27323d' : colorOf(s.label));
    }
    doc.rect(barX, ry, barW, rowH).lineWidth(0.5).strokeColor('#999999').stroke();
  });
  const axisY = y + rows.length * (rowH + gap);
  const step = niceStep(t.durationS);
  doc.font(REGULAR).fontSize(7).fillColor(MUTED);
  for (let s = 0; s <= t.durationS + 1e-9; s += step) {
    const tx = scale(s);
    doc
      .moveTo(tx, axisY - gap)
      .lineTo(tx, axisY - 2)
      .lineWidth(0.5)
      .strokeColor('#777777')
      .stroke();
    doc.text(clock(s), tx - 15, axisY, { width: 30, align: 'center', lineBreak: false });
  }
  // Legend: the labels that occur, in vocabulary order, then the blank swatch (no face, unvoiced or uncertain).
  const used = new Set(rows.slice(0, 3).flatMap(([, spans]) => spans.map((s) => s.label)));
  let lx = barX;
  const ly = axisY + 14;
  doc.fontSize(8);
  for (const l of [...EMOTION_LABELS.filter((l) => used.has(l)), ...[...used].filter((l) => !(EMOTION_LABELS as readonly string[]).includes(l))]) {
    doc.rect(lx, ly, 8, 8).fill(colorOf(l));
    doc.fillColor(INK).text(l, lx + 11, ly, { lineBreak: false });
    lx += 11 + doc.widthOfString(l) + 12;
  }
  doc.rect(lx, ly, 8, 8).lineWidth(0.5).fillAndStroke('#f1f1f1', '#999999');
  doc.fillColor(MUTED).text('blank: no face, unvoiced or uncertain', lx + 11, ly, { lineBreak: false });
  doc.x = x;
  doc.y = ly + 14;
}
