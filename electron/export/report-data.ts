import path from 'node:path';
import { compareScores, type SubscaleChange } from '../analysis/dass/compare.js';
import { loadDass21Items } from '../analysis/dass/items.js';
import { evaluateNextSteps, loadNextSteps } from '../analysis/dass/next-steps.js';
import { scoreDass21, type Band, type Subscale } from '../contract/shared/dass-score.js';
import { ESTIMATE_NOTE } from '../analysis/result.js';
import { modelSpans, type Span } from '../store/annotations-repo.js';
import { listDassAdministrations, type DassAdministration } from '../store/dass-repo.js';
import type { Db } from '../store/db.js';
import { sessionCoverage } from '../store/session-coverage.js';
import { getSession, getSessionModels } from '../store/sessions-repo.js';
import { describedParticipant, listParticipants, speechTurns } from '../store/participants-repo.js';
import { selfCareForReport, type ReportSelfCare } from './report-selfcare.js';
import { buildReportTranscript, type ReportTranscript } from './report-transcript.js';

/** The wording every report carries. */
export const REPORT_DISCLAIMER = 'Expression estimates, not a diagnosis. DASS-21 results are for the clinician\u2019s interpretation.';

export interface ReportTrack {
  majority: string | null;
  /** Share of the track's labelled frames/windows that had the majority label. */
  majorityShare: number | null;
  counted: number;
  total: number;
  /** How much of the recording the track saw, in words ("a face in 95% of 39 frames"). */
  coverage: string;
  reason?: string;
}

export interface ReportDass {
  administeredOn: string;
  /** How the administration was chosen: linked to this session, or the client's latest on or before its date. */
  link: 'this session' | 'latest before the session';
  scores: Record<Subscale, { score: number | null; band: Band | null }>;
  complete: boolean;
  previous: { administeredOn: string; scores: Record<Subscale, { score: number | null; band: Band | null }> } | null;
  changes: SubscaleChange[] | null;
  itemsOfNote: Array<{ item: number; text: string; answer: number; message: string }>;
}

export interface ReportParticipant {
  number: number;
  name: string | null;
  isClient: boolean;
  /** The estimates above (face, voice, fused) are this participant's. */
  describes: boolean;
  face: string;
  voice: string;
  fused: string | null;
  /** Seconds of speech and number of speaking turns. */
  speechS: number;
  turns: Span[];
}

export interface SessionReport {
  sessionId: number;
  clientCode: string | null;
  /** YYYY-MM-DD: the recording date when known, else the analysis date. */
  date: string;
  dateIsAnalysisDate: boolean;
  title: string | null;
  recording: { name: string; path: string; durationS: number };
  face: ReportTrack;
  voice: ReportTrack;
  fused: { label: string | null; confidence: number | null };
  /** Everyone in the recording (one entry for a one-person recording). */
  participants: ReportParticipant[];
  timeline: { durationS: number; face: Span[]; voice: Span[]; fused: Span[] };
  dass: ReportDass | null;
  /** The client's self-care exercises up to the session's date (null: none, or no client). */
  selfCare: ReportSelfCare | null;
  /** What was said: text estimates (and the lines, unless left out); null without a transcript. */
  transcript: ReportTranscript | null;
  models: Array<{ role: string; id: string; version: string; sha256: string }>;
  warnings: string[];
  note: string;
  disclaimer: string;
}

const track = (
  distribution: Record<string, number>,
  majority: string | null,
  counted: number,
  total: number,
  coverage: string,
  reason?: string,
): ReportTrack => ({
  majority,
  majorityShare: majority === null ? null : (distribution[majority] ?? null),
  counted,
  total,
  coverage,
  ...(reason ? { reason } : {}),
});

const share = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

function chooseDass(
  db: Db,
  clientId: number | null,
  sessionId: number,
  date: string,
): { current: DassAdministration; previous: DassAdministration | null; link: ReportDass['link'] } | null {
  if (clientId === null) return null;
  const all = listDassAdministrations(db, clientId);
  const linked = all.filter((a) => a.sessionId === sessionId);
  let current: DassAdministration | undefined = linked[linked.length - 1];
  let link: ReportDass['link'] = 'this session';
  if (!current) {
    current = all.filter((a) => a.administeredOn <= date).pop();
    link = 'latest before the session';
  }
  if (!current) return null;
  const i = all.findIndex((a) => a.id === current!.id);
  return { current, previous: i > 0 ? all[i - 1] : null, link };
}

/** Everything the clinician's session report shows, read from the database (`noText`: no word of the transcript). */
export function buildSessionReport(db: Db, sessionId: number, { noText = false }: { noText?: boolean } = {}): SessionReport {
  const s = getSession(db, sessionId);
  if (!s) throw new Error(`no session with id ${sessionId}`);
  const client = s.clientId === null ? null : (db.prepare('SELECT code FROM clients WHERE id = ?').get(s.clientId) as { code: string });
  const date = (s.recordedAt ?? s.analysedAt).slice(0, 10);
  const chosen = chooseDass(db, s.clientId, sessionId, date);
  let dass: ReportDass | null = null;
  if (chosen) {
    const items = loadDass21Items();
    const score = scoreDass21(chosen.current.answers);
    const notes = evaluateNextSteps(loadNextSteps(), score, chosen.current.answers);
    dass = {
      administeredOn: chosen.current.administeredOn,
      link: chosen.link,
      scores: chosen.current.scores,
      complete: chosen.current.complete,
      previous: chosen.previous ? { administeredOn: chosen.previous.administeredOn, scores: chosen.previous.scores } : null,
      changes: chosen.previous ? compareScores(chosen.previous.scores, chosen.current.scores) : null,
      itemsOfNote: notes.itemsOfNote.map((n) => ({ item: n.item, text: items.items[n.item - 1].text, answer: n.answer, message: n.message })),
    };
  }
  const sum = s.summary;
  const cov = sessionCoverage(db, s);
  // Below the minimum data (Settings) a track names no label: "too little data" says why.
  const faceLine = `a face in ${share(cov.face.share)} of ${cov.face.framesAnalysed} frames`;
  const voiceLine = `windows with speech cover ${share(cov.voice.share)} of the time (${Math.round(cov.voice.speechS)} s)`;
  return {
    sessionId,
    clientCode: client?.code ?? null,
    date,
    dateIsAnalysisDate: s.recordedAt === null,
    title: s.title,
    recording: { name: path.basename(s.file), path: s.file, durationS: s.durationS },
    face: track(
      sum.face.distribution,
      cov.face.enough ? sum.face.majority : null,
      sum.face.framesWithFace - sum.face.framesAbstained,
      sum.face.framesAnalysed,
      faceLine,
      cov.face.why ?? sum.face.reason,
    ),
    voice: track(
      sum.voice.distribution,
      cov.voice.enough ? sum.voice.majority : null,
      sum.voice.voicedWindows,
      sum.voice.windows,
      voiceLine,
      cov.voice.why ?? sum.voice.reason,
    ),
    fused: { label: cov.fused.label, confidence: cov.fused.confidence },
    participants: reportParticipants(db, sessionId),
    timeline: {
      durationS: s.durationS,
      face: modelSpans(db, sessionId, 'model-face'),
      voice: modelSpans(db, sessionId, 'model-voice'),
      fused: modelSpans(db, sessionId, 'model-fused'),
    },
    dass,
    selfCare: s.clientId === null ? null : selfCareForReport(db, s.clientId, date),
    transcript: buildReportTranscript(db, sessionId, { noText }),
    models: getSessionModels(db, sessionId).map((m) => ({ role: m.role, id: m.id, version: m.version, sha256: m.sha256 })),
    warnings: sum.warnings,
    note: ESTIMATE_NOTE,
    disclaimer: REPORT_DISCLAIMER,
  };
}

function reportParticipants(db: Db, sessionId: number): ReportParticipant[] {
  const described = describedParticipant(db, sessionId);
  const turns = speechTurns(db, sessionId);
  return listParticipants(db, sessionId).map((p) => ({
    number: p.number,
    name: p.name,
    isClient: p.isClient,
    describes: p.number === described,
    face: p.face
      ? `${p.face.majority ?? 'uncertain'} (${p.face.framesWithFace} frames${p.face.small ? ', small face' : ''}${p.face.still ? ', did not move: a picture?' : ''})`
      : 'no face',
    voice: p.voice
      ? `${p.voice.majority ?? 'uncertain'} (${Math.round(p.voice.speechS)} s${p.voice.link ? `; with the face: ${p.voice.link.evidence === 'mouth-speech' ? 'mouth moves with the speech' : 'only face and voice'}, ${Math.round(p.voice.link.confidence * 100)}%` : ''})`
      : 'no voice',
    fused: p.fused?.label ?? null,
    speechS: p.voice?.speechS ?? 0,
    turns: turns.filter((t) => t.participant === p.number).map((t) => ({ start: t.startS, end: t.endS, label: 'speech' })),
  }));
}
