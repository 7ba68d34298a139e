import { EMOTION_LABELS } from '../analysis/labels.js';
import { ESTIMATE_NOTE } from '../analysis/result.js';
import { toCsv } from '../analysis/csv.js';
import { isModelTrackKind, listSegments, listTracks, MODEL_TRACKS, modelSpans } from '../store/annotations-repo.js';
import type { Db } from '../store/db.js';
import { sessionCoverage } from '../store/session-coverage.js';
import { getFrames, getSession, getSessionModels, getWindows } from '../store/sessions-repo.js';
import { clientCodeOf } from './targets.js';

export const EXPORT_LEVELS = ['frame', 'window', 'segment', 'summary'] as const;
export type ExportLevel = (typeof EXPORT_LEVELS)[number];

export type Cell = string | number | boolean | null;

export interface Table {
  header: string[];
  rows: Cell[][];
}

const r6 = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : Math.round(x * 1e6) / 1e6);
const probColumns = EMOTION_LABELS.map((l) => `p_${l}`);

/** Probabilities in the project's label order; null for a label the model lacks or without probabilities. */
function probCells(probs: Float32Array | null, modelLabels: readonly string[]): Cell[] {
  return EMOTION_LABELS.map((l) => {
    const k = modelLabels.indexOf(l);
    return probs && k >= 0 ? r6(probs[k]) : null;
  });
}

const HEADERS: Record<ExportLevel, string[]> = {
  frame: ['session_id', 'client_code', 'frame_index', 'time_s', 'face_found', 'box_x', 'box_y', 'box_w', 'box_h', 'face_score', 'label', 'confidence', ...probColumns],
  window: ['session_id', 'client_code', 'window_index', 'start_s', 'end_s', 'voiced', 'label', 'confidence', ...probColumns],
  segment: ['session_id', 'client_code', 'track_id', 'annotator', 'source', 'scheme', 'segment_id', 'start_s', 'end_s', 'label'],
  summary: [
    'session_id',
    'client_code',
    'title',
    'file',
    'recorded_at',
    'recorded_at_source',
    'analysed_at',
    'duration_s',
    'face_majority',
    'face_frames_analysed',
    'face_frames_with_face',
    'face_frames_abstained',
    'voice_majority',
    'voice_windows',
    'voice_voiced_windows',
    'face_coverage',
    'speech_seconds',
    'speech_coverage',
    'face_enough_data',
    'voice_enough_data',
    'fused_label',
    'fused_confidence',
    ...EMOTION_LABELS.map((l) => `face_share_${l}`),
    ...EMOTION_LABELS.map((l) => `voice_share_${l}`),
    'models',
    'note',
  ],
};

function sessionRows(db: Db, sessionId: number, level: ExportLevel): Cell[][] {
  const session = getSession(db, sessionId);
  if (!session) throw new Error(`no session with id ${sessionId}`);
  const code = clientCodeOf(db, sessionId);
  const models = getSessionModels(db, sessionId);
  const labelsOf = (role: string) => models.find((m) => m.role === role)?.labels ?? [];
  switch (level) {
    case 'frame': {
      const labels = labelsOf('face-expression');
      return getFrames(db, sessionId).map((f) => [
        sessionId,
        code,
        f.index,
        r6(f.timeS),
        f.face !== null,
        f.face?.box.x ?? null,
        f.face?.box.y ?? null,
        f.face?.box.width ?? null,
        f.face?.box.height ?? null,
        r6(f.face?.score),
        f.label,
        r6(f.confidence),
        ...probCells(f.probs, labels),
      ]);
    }
    case 'window': {
      const labels = labelsOf('voice-emotion');
      return getWindows(db, sessionId).map((w) => [sessionId, code, w.index, r6(w.startS), r6(w.endS), w.voiced, w.label, r6(w.confidence), ...probCells(w.probs, labels)]);
    }
    case 'segment': {
      const tracks = listTracks(db, sessionId);
      const rows: Cell[][] = tracks.flatMap((t) =>
        listSegments(db, t.id).map((s) => [sessionId, code, t.id, t.annotator, t.source, t.scheme.name, s.id, s.start, s.end, s.label] as Cell[]),
      );
      // The model's own estimates, where not materialised as tracks.
      for (const kind of MODEL_TRACKS)
        if (!tracks.some((t) => t.annotator === kind && isModelTrackKind(t.annotator)))
          for (const s of modelSpans(db, sessionId, kind)) rows.push([sessionId, code, null, kind, 'model', null, null, r6(s.start), r6(s.end), s.label]);
      return rows;
    }
    case 'summary': {
      const s = session.summary;
      const cov = sessionCoverage(db, session);
      const share = (d: Record<string, number>, l: string) => (l in d ? r6(d[l]) : null);
      return [
        [
          sessionId,
          code,
          session.title,
          session.file,
          session.recordedAt,
          session.recordedAtSource,
          session.analysedAt,
          r6(session.durationS),
          s.face.majority,
          s.face.framesAnalysed,
          s.face.framesWithFace,
          s.face.framesAbstained,
          s.voice.majority,
          s.voice.windows,
          s.voice.voicedWindows,
          r6(cov.face.share),
          r6(cov.voice.speechS),
          r6(cov.voice.share),
          cov.face.enough,
          cov.voice.enough,
          s.fused.label,
          r6(s.fused.confidence),
          ...EMOTION_LABELS.map((l) => share(s.face.distribution, l)),
          ...EMOTION_LABELS.map((l) => share(s.voice.distribution, l)),
          models.map((m) => `${m.role}:${m.id}@${m.version}`).join(' '),
          ESTIMATE_NOTE,
        ],
      ];
    }
  }
}

/** One table over the given sessions (a session_id column tells their rows apart). */
export function exportTable(db: Db, sessionIds: readonly number[], level: ExportLevel): Table {
  return { header: HEADERS[level], rows: sessionIds.flatMap((id) => sessionRows(db, id, level)) };
}

export function tableToCsv(t: Table): string {
  return toCsv(t.header, t.rows);
}

/** JSON: `{ per, note, rows: [{column: value}] }`; summary rows also carry the full stored summary object. */
export function tableToJson(db: Db, t: Table, level: ExportLevel): string {
  const rows = t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i]])));
  if (level === 'summary') for (const row of rows) row.summary = getSession(db, row.session_id as number)!.summary as unknown as Cell;
  return JSON.stringify({ per: level, note: ESTIMATE_NOTE, columns: t.header, rows }, null, 2) + '\n';
}
