import { BAND_LOWER_BOUNDS, BANDS, MAX_SUBSCALE_SCORE, SUBSCALES, type Subscale } from '../contract/shared/dass-score.js';
import { dateDomain, dateMs, dateTicks, dayOf, spreadPositions } from '../contract/shared/date-axis.js';
import { EMOTION_LABELS, LABEL_COLORS } from '../contract/shared/labels.js';
import type { ClientReport, ClientReportSession } from './client-report-data.js';
import { drawClientTranscripts } from './report-transcript.js';
import {
  BOLD,
  changeWords,
  clock,
  factRows,
  INK,
  MARGIN,
  MUTED,
  openReportPdf,
  pct,
  pdfTable,
  REGULAR,
  type PdfTarget,
  type ReportPdf,
} from './pdf-document.js';

const BAND_FILL = ['#eef7ee', '#fbf8e4', '#fdf0e0', '#fbe6e1', '#f6dde6'];
const SUBSCALE_COLOR: Record<Subscale, string> = { depression: '#0072b2', anxiety: '#cc79a7', stress: '#d55e00' };
const DATE_SOURCE: Record<ClientReportSession['dateSource'], string> = {
  container: '',
  user: ' (set by hand)',
  analysed: ' (analysed; recording date unknown)',
};

/**
 * The client report (A4): who, every session with its estimates and how much each track saw, expression shares per
 * session on a time-proportional date axis, the DASS-21 history with change and bands, items of note. Vector only.
 */
export async function renderClientReportPdf(
  report: ClientReport,
  target: PdfTarget,
  { compress = true, generatedAt = new Date() } = {},
): Promise<void> {
  const name = `${report.client.code}${report.client.displayName ? ` \u2014 ${report.client.displayName}` : ''}`;
  const pdf = openReportPdf(target, {
    title: `Client report \u2014 ${name}`,
    heading: 'Client report',
    subject: report.disclaimer,
    disclaimer: report.disclaimer,
    compress,
  });
  const { doc, width, heading, body } = pdf;
  const days = [...report.sessions.map((s) => s.date), ...report.dass.map((d) => d.administeredOn)].map(dayOf).sort();
  factRows(pdf, [
    ['Client', name],
    [
      'Sessions',
      `${report.sessions.length}${report.sessions.length ? `, ${formatDuration(report.sessions.reduce((a, s) => a + s.durationS, 0))} recorded in all` : ''}`,
    ],
    ['DASS-21', `${report.dass.length} administration${report.dass.length === 1 ? '' : 's'}`],
    ['Period', days.length ? `${days[0]} to ${days[days.length - 1]}` : '—'],
  ]);

  heading('Sessions');
  if (report.sessions.length === 0) body().text('No analysed sessions for this client.', MARGIN, doc.y, { width });
  else sessionsTable(pdf, report.sessions);

  const domain = dateDomain(
    [...report.sessions.map((s) => dateMs(s.date)), ...report.dass.map((d) => dateMs(d.administeredOn))].filter(Number.isFinite),
  );
  if (report.sessions.length) {
    heading('Expression estimates per session (share of labelled frames or windows)');
    body()
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        'Bars stand at each recording date, on a time-proportional axis. A hatched column: too little data for a label (see its note).',
        MARGIN,
        doc.y,
        { width },
      );
    doc.moveDown(0.3);
    for (const track of ['face', 'voice'] as const) shareChart(pdf, report.sessions, track, domain);
    legend(
      pdf,
      EMOTION_LABELS.filter((l) => report.sessions.some((s) => (s.face.shares[l] ?? 0) > 0 || (s.voice.shares[l] ?? 0) > 0)),
    );
  }

  drawClientTranscripts(pdf, report.transcripts, report.noText);

  heading('DASS-21 history');
  if (report.dass.length === 0) body().text('No DASS-21 administrations recorded for this client.', MARGIN, doc.y, { width });
  else {
    dassTable(pdf, report);
    doc.moveDown(0.4);
    const chartW = (width - 20) / 3;
    const top = doc.y;
    if (top > doc.page.height - MARGIN - 170) doc.addPage();
    const y0 = doc.y;
    SUBSCALES.forEach((sub, i) => dassChart(pdf, report, sub, domain, MARGIN + i * (chartW + 10), y0, chartW, 100));
    doc.x = MARGIN;
    doc.y = y0 + 132;
    doc
      .font(REGULAR)
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        'Scores on the DASS-42 scale (sums ×2), bands shaded (Lovibond & Lovibond 1995); straight lines join administrations. A change of 5 points or more is flagged: a project convention, not a reliable-change cut-off (data/dass21/SCORING.md).',
        MARGIN,
        doc.y,
        { width },
      );

    const notes = report.dass.flatMap((d) => d.itemsOfNote.map((n) => ({ ...n, on: d.administeredOn })));
    heading('Items of note');
    body();
    if (notes.length === 0) doc.text('None endorsed.', MARGIN, doc.y, { width });
    for (const n of notes)
      doc.text(`\u2022 ${n.on}, item ${n.item} \u201c${n.text}\u201d answered ${n.answer}: ${n.message}`, MARGIN, doc.y, { width });
  }

  await pdf.finish(`${report.note} Client ${report.client.code}`, generatedAt);
}

function formatDuration(s: number): string {
  const h = Math.floor(s / 3600);
  return h ? `${h} h ${Math.round((s % 3600) / 60)} min` : `${Math.round(s / 60)} min`;
}

const trackCell = (t: ClientReportSession['face'], share: number | null, what: string) =>
  t.label
    ? `${t.label}\n${what} ${pct(share)}`
    : `${t.why?.startsWith('too little data') ? 'too little data' : (t.why ?? '—')}\n${what} ${pct(share)}`;

function sessionsTable(pdf: ReportPdf, sessions: ClientReportSession[]) {
  pdfTable(
    pdf,
    [
      { title: 'Date', width: 78 },
      { title: 'Recording', width: 122 },
      { title: 'Length', width: 42 },
      { title: 'Face', width: 90 },
      { title: 'Voice', width: 90 },
      { title: 'Fused', width: pdf.width - 422 },
    ],
    sessions.map((s) => [
      `${dayOf(s.date)}${DATE_SOURCE[s.dateSource]}`,
      `#${s.sessionId} ${s.title ?? s.recording}`,
      clock(s.durationS),
      trackCell(s.face, s.coverage.face.share, 'face seen'),
      trackCell(s.voice, s.coverage.voice.share, 'speech'),
      s.fused ?? (s.coverage.fused.tracks.length ? '—' : 'too little data'),
    ]),
  );
}

function axis(pdf: ReportPdf, domain: [number, number], x: number, y: number, w: number, h: number) {
  const { doc } = pdf;
  const X = (ms: number) => x + ((ms - domain[0]) / (domain[1] - domain[0])) * w;
  doc.font(REGULAR).fontSize(7).fillColor(MUTED);
  for (const t of dateTicks(domain[0], domain[1], Math.max(3, Math.floor(w / 70)), Date.now())) {
    doc
      .moveTo(X(t.ms), y)
      .lineTo(X(t.ms), y + h)
      .lineWidth(0.3)
      .strokeColor('#cccccc')
      .stroke();
    doc.text(t.label, X(t.ms) - 30, y + h + 2, { width: 60, align: 'center', lineBreak: false });
  }
  doc
    .moveTo(x, y + h)
    .lineTo(x + w, y + h)
    .lineWidth(0.5)
    .strokeColor('#888888')
    .stroke();
  return X;
}

function shareChart(pdf: ReportPdf, sessions: ClientReportSession[], track: 'face' | 'voice', domain: [number, number]) {
  const { doc } = pdf;
  const h = 70;
  if (doc.y + h + 30 > doc.page.height - MARGIN - 24) doc.addPage();
  const labelW = 40;
  const x = MARGIN + labelW;
  const w = pdf.width - labelW;
  const y = doc.y;
  doc
    .font(BOLD)
    .fontSize(9)
    .fillColor(INK)
    .text(track === 'face' ? 'Face' : 'Voice', MARGIN, y + h / 2 - 5, { width: labelW - 4 });
  doc
    .font(REGULAR)
    .fontSize(6.5)
    .fillColor(MUTED)
    .text('100%', MARGIN + 14, y - 3, { width: 24, align: 'right' })
    .text('0%', MARGIN + 14, y + h - 6, { width: 24, align: 'right' });
  const X = axis(pdf, domain, x, y, w, h);
  const barW = 12;
  const xs = spreadPositions(
    sessions.map((s) => X(dateMs(s.date))),
    barW + 2,
  );
  sessions.forEach((s, i) => {
    const bx = xs[i] - barW / 2;
    const t = s[track];
    if (!t.label) {
      doc.rect(bx, y, barW, h).lineWidth(0.5).strokeColor('#999999').stroke();
      for (let k = 6; k < h + barW; k += 6)
        doc
          .moveTo(bx, y + Math.min(h, k))
          .lineTo(bx + Math.min(barW, k), y + Math.max(0, k - barW))
          .lineWidth(0.3)
          .strokeColor('#aaaaaa')
          .stroke();
      return;
    }
    let top = y + h;
    for (const l of EMOTION_LABELS) {
      const share = t.shares[l] ?? 0;
      if (share <= 0) continue;
      doc.rect(bx, top - share * h, barW, share * h).fill(LABEL_COLORS[l]);
      top -= share * h;
    }
    doc.rect(bx, y, barW, h).lineWidth(0.4).strokeColor('#444444').stroke();
  });
  doc.x = MARGIN;
  doc.y = y + h + 16;
}

function legend(pdf: ReportPdf, labels: readonly string[]) {
  const { doc } = pdf;
  let lx = MARGIN + 40;
  const ly = doc.y;
  doc.font(REGULAR).fontSize(8);
  for (const l of labels) {
    doc.rect(lx, ly, 8, 8).fillAndStroke(LABEL_COLORS[l], '#444444');
    doc.fillColor(INK).text(l, lx + 11, ly, { lineBreak: false });
    lx += 11 + doc.widthOfString(l) + 12;
  }
  doc.x = MARGIN;
  doc.y = ly + 14;
}

function dassTable(pdf: ReportPdf, report: ClientReport) {
  const cell = (d: ClientReport['dass'][number], sub: Subscale) => {
    const s = d.scores[sub];
    const c = d.changes?.find((x) => x.subscale === sub);
    const score = s.score === null ? 'not scored' : `${s.score} ${s.band}`;
    return c ? `${score}\n${changeWords(c.difference, c.bandChange)}${c.flagged ? ' \u2691' : ''}` : score;
  };
  pdfTable(
    pdf,
    [
      { title: 'Date', width: 70 },
      ...SUBSCALES.map((s) => ({ title: s[0].toUpperCase() + s.slice(1), width: 120 })),
      { title: 'Complete', width: pdf.width - 430 },
    ],
    report.dass.map((d) => [d.administeredOn, ...SUBSCALES.map((s) => cell(d, s)), d.complete ? 'yes' : 'no']),
    9,
  );
}

function dassChart(pdf: ReportPdf, report: ClientReport, sub: Subscale, domain: [number, number], x0: number, y: number, w: number, h: number) {
  const { doc } = pdf;
  const x = x0 + 16;
  const cw = w - 16;
  doc
    .font(BOLD)
    .fontSize(8.5)
    .fillColor(INK)
    .text(sub[0].toUpperCase() + sub.slice(1), x, y, { width: cw });
  const top = y + 12;
  const Y = (v: number) => top + h - (v / MAX_SUBSCALE_SCORE) * h;
  const bounds = [0, ...BAND_LOWER_BOUNDS[sub], MAX_SUBSCALE_SCORE];
  BANDS.forEach((band, i) => {
    doc.rect(x, Y(bounds[i + 1]), cw, Y(bounds[i]) - Y(bounds[i + 1])).fill(BAND_FILL[i]);
    doc
      .font(REGULAR)
      .fontSize(5.5)
      .fillColor(MUTED)
      .text(band, x + 2, Y(bounds[i + 1]) + 1, { width: cw - 4, align: 'right', lineBreak: false });
  });
  doc.font(REGULAR).fontSize(6).fillColor(MUTED);
  for (const v of [0, 21, 42]) doc.text(String(v), x0, Y(v) - 3, { width: 13, align: 'right', lineBreak: false });
  const X = axis(pdf, domain, x, top, cw, h);
  const points = report.dass.filter((d) => d.scores[sub].score !== null).map((d) => [X(dateMs(d.administeredOn)), Y(d.scores[sub].score!)] as const);
  points.forEach(([px, py], i) => {
    if (i > 0)
      doc
        .moveTo(points[i - 1][0], points[i - 1][1])
        .lineTo(px, py)
        .lineWidth(1.2)
        .strokeColor(SUBSCALE_COLOR[sub])
        .stroke();
  });
  for (const [px, py] of points) doc.circle(px, py, 2.2).fill(SUBSCALE_COLOR[sub]);
}
