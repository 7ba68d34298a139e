import { summarizeText, type TextSummary } from '../analysis/transcript/text-summary.js';
import type { Db } from '../store/db.js';
import { listSessions } from '../store/sessions-repo.js';
import { getTranscript, type StoredTranscript } from '../store/transcripts-repo.js';
import type { Span } from '../store/annotations-repo.js';
import { clock, INK, MARGIN, MUTED, pct, pdfTable, REGULAR, type ReportPdf } from './pdf-document.js';

/**
 * What was said, in the PDF reports: the text model's estimates per speaker (and the transcript's lines, unless the
 * words are left out). With `noText` no word of the transcript reaches the report: no line, no file name, and speakers
 * are "Speaker 1, 2…" (or their participant number) instead of their names.
 */

export interface ReportTextRow {
  who: string;
  participant: number | null;
  summary: TextSummary;
}

export interface ReportTranscript {
  /** The transcript's file (null with noText). */
  fileName: string | null;
  format: string;
  model: string | null;
  overall: TextSummary;
  speakers: ReportTextRow[];
  /** The lines (null with noText). */
  lines: Array<{ start: number; speaker: string | null; label: string | null; text: string }> | null;
  /** One span per cue with an estimate, for the timeline's Text row. */
  spans: Span[];
  noText: boolean;
}

function speakerNames(t: StoredTranscript, noText: boolean): Map<number, string> {
  return new Map(
    t.speakers.map((s, i) => [s.id, noText ? (s.participant !== null ? `Participant ${s.participant}` : `Speaker ${i + 1}`) : (s.name ?? s.label)]),
  );
}

/** The transcript part of a session report (null: the session has no transcript). */
export function buildReportTranscript(db: Db, sessionId: number, { noText = false }: { noText?: boolean } = {}): ReportTranscript | null {
  const t = getTranscript(db, sessionId);
  if (!t) return null;
  const labels = t.model?.labels ?? [];
  const names = speakerNames(t, noText);
  return {
    fileName: noText ? null : t.fileName,
    format: t.format,
    model: t.model ? `${t.model.id} ${t.model.version}` : null,
    overall: summarizeText(t.cues, labels),
    speakers: t.speakers.map((s) => ({
      who: names.get(s.id)!,
      participant: s.participant,
      summary: summarizeText(
        t.cues.filter((c) => c.speakerId === s.id),
        labels,
      ),
    })),
    lines: noText
      ? null
      : t.cues.map((c) => ({ start: c.startS, speaker: c.speakerId === null ? null : names.get(c.speakerId)!, label: c.label, text: c.text })),
    spans: t.cues.filter((c) => c.label !== null).map((c) => ({ start: c.startS, end: c.endS, label: c.label! })),
    noText,
  };
}

const majorityWords = (s: TextSummary) =>
  s.majority ? `${s.majority} in ${pct(s.distribution[s.majority] ?? null)} of ${s.labelled} lines with an estimate` : `no estimate (${s.reason})`;

/** "What was said": the text estimates overall and per speaker. */
export function drawTranscriptSummary(pdf: ReportPdf, t: ReportTranscript): void {
  const { doc, width, heading, body } = pdf;
  heading('What was said (text estimates)');
  body().text(
    `${t.overall.lines} lines, ${t.overall.words} words${t.fileName ? ` from ${t.fileName}` : ''}; estimated line by line by ${t.model ?? 'no text model'}. Overall: ${majorityWords(t.overall)}.`,
    MARGIN,
    doc.y,
    { width },
  );
  doc.moveDown(0.3);
  pdfTable(
    pdf,
    [
      { title: 'Speaker', width: 150 },
      { title: 'Lines', width: 45 },
      { title: 'Text estimate (majority of lines)', width: 180 },
      { title: 'Uncertain lines', width: width - 375 },
    ],
    t.speakers.map((s) => [
      `${s.who}${s.participant !== null && !s.who.startsWith('Participant') ? ` (participant ${s.participant})` : ''}`,
      String(s.summary.lines),
      majorityWords(s.summary),
      String(s.summary.uncertain),
    ]),
    9,
  );
  doc
    .font(REGULAR)
    .fontSize(8)
    .fillColor(MUTED)
    .text(
      `Estimates of the words alone (the text model; expression estimates, not a diagnosis); they are not fused with face and voice.${t.noText ? ' The transcript\u2019s words and speaker names are left out of this report.' : ''}`,
      MARGIN,
      doc.y + 2,
      { width },
    );
}

/** The transcript's lines (time, speaker, estimate, words); nothing when the words are left out. */
export function drawTranscriptLines(pdf: ReportPdf, t: ReportTranscript): void {
  if (!t.lines) return;
  const { doc, width, heading } = pdf;
  heading('Transcript');
  pdfTable(
    pdf,
    [
      { title: 'Time', width: 42 },
      { title: 'Speaker', width: 95 },
      { title: 'Estimate', width: 58 },
      { title: 'What was said', width: width - 195 },
    ],
    t.lines.map((l) => [clock(l.start), l.speaker ?? '', l.label ?? 'uncertain', l.text]),
    8.5,
  );
  doc.x = MARGIN;
}

// ---- client report ----

export interface ClientReportTranscriptRow {
  date: string;
  sessionId: number;
  lines: number;
  overall: TextSummary;
  speakers: ReportTextRow[];
}

/** Per session of the client with a transcript: the text estimates overall and per speaker. */
export function buildClientTranscripts(db: Db, clientId: number, { noText = false }: { noText?: boolean } = {}): ClientReportTranscriptRow[] {
  return listSessions(db, { clientId }).flatMap((s) => {
    const t = buildReportTranscript(db, s.id, { noText });
    return t
      ? [{ date: (s.recordedAt ?? s.analysedAt).slice(0, 10), sessionId: s.id, lines: t.overall.lines, overall: t.overall, speakers: t.speakers }]
      : [];
  });
}

/** The client report's "What was said" table (nothing when no session has a transcript). */
export function drawClientTranscripts(pdf: ReportPdf, rows: ClientReportTranscriptRow[], noText: boolean): void {
  if (rows.length === 0) return;
  const { doc, width, heading } = pdf;
  heading('What was said (text estimates per session)');
  pdfTable(
    pdf,
    [
      { title: 'Date', width: 70 },
      { title: 'Session', width: 50 },
      { title: 'Lines', width: 40 },
      { title: 'Overall', width: 130 },
      { title: 'Per speaker', width: width - 290 },
    ],
    rows.map((r) => [
      r.date,
      `#${r.sessionId}`,
      String(r.lines),
      r.overall.majority ? `${r.overall.majority} (${pct(r.overall.distribution[r.overall.majority] ?? null)})` : 'no estimate',
      r.speakers
        .map(
          (s) =>
            `${s.who}: ${s.summary.majority ? `${s.summary.majority} (${pct(s.summary.distribution[s.summary.majority] ?? null)} of ${s.summary.labelled})` : 'no estimate'}`,
        )
        .join('\n'),
    ]),
    8.5,
  );
  doc
    .font(REGULAR)
    .fontSize(8)
    .fillColor(MUTED)
    .text(
      `Majority text estimate of the lines with an estimate (the text model; not fused with face and voice).${noText ? ' Speaker names are left out of this report.' : ''}`,
      MARGIN,
      doc.y + 2,
      { width },
    );
  doc.fillColor(INK);
}
