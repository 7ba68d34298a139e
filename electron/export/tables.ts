import { EMOTION_LABELS } from '../contract/shared/labels.js';
import { ESTIMATE_NOTE } from '../analysis/result.js';
import { toCsv } from '../analysis/csv.js';
import { listSegments, listTracks, modelSpans, modelTrackNames } from '../store/annotations-repo.js';
import { describedParticipant, listParticipants, summaryWithPeople } from '../store/participants-repo.js';
import type { Db } from '../store/db.js';
import { sessionCoverage } from '../store/session-coverage.js';
import { getFrames, getSession, getSessionModels, getWindows } from '../store/sessions-repo.js';
import { clientCodeOf } from './targets.js';

/** frame/window: one row per participant's frame or window; participant: one row per participant; summary: one per session. */
export const EXPORT_LEVELS = ['frame', 'window', 'segment', 'participant', 'summary'] as const;
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
  frame: [
    'session_id',
    'client_code',
    'participant',
    'participant_name',
    'frame_index',
    'time_s',
    'face_found',
    'box_x',
    'box_y',
    'box_w',
    'box_h',
    'face_score',
    'label',
    'confidence',
    ...probColumns,
  ],
  window: [
    'session_id',
    'client_code',
    'participant',
    'participant_name',
    'window_index',
    'start_s',
    'end_s',
    'voiced',
    'label',
    'confidence',
    ...probColumns,
  ],
  segment: ['session_id', 'client_code', 'track_id', 'annotator', 'source', 'scheme', 'segment_id', 'start_s', 'end_s', 'label'],
  participant: [
    'session_id',
    'client_code',
    'participant',
    'participant_name',
    'is_client',
    'described_by_summary',
    'face_frames_with_face',
    'face_frames_abstained',
    'face_majority',
    'face_box_x',
    'face_box_y',
    'face_box_w',
    'face_box_h',
    'face_small',
    'face_still',
    'speech_s',
    'voice_voiced_windows',
    'voice_majority',
    'voice_link_evidence',
    'voice_link_confidence',
    'fused_label',
    'fused_confidence',
    ...EMOTION_LABELS.map((l) => `face_share_${l}`),
    ...EMOTION_LABELS.map((l) => `voice_share_${l}`),
    'note',
  ],
  summary: [
    'session_id',
    'client_code',
    'participants',
    'summary_participant',
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
  const people = listParticipants(db, sessionId);
  const nameOf = new Map(people.map((p) => [p.number, p.name]));
  const share = (d: Record<string, number> | undefined, l: string) => (d && l in d ? r6(d[l]) : null);
  switch (level) {
    case 'frame': {
      const labels = labelsOf('face-expression');
      return getFrames(db, sessionId).map((f) => [
        sessionId,
        code,
        f.participant,
        nameOf.get(f.participant) ?? null,
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
      return getWindows(db, sessionId).map((w) => [
        sessionId,
        code,
        w.participant,
        nameOf.get(w.participant) ?? null,
        w.index,
        r6(w.startS),
        r6(w.endS),
        w.voiced,
        w.label,
        r6(w.confidence),
        ...probCells(w.probs, labels),
      ]);
    }
    case 'segment': {
      const tracks = listTracks(db, sessionId);
      const rows: Cell[][] = tracks.flatMap((t) =>
        listSegments(db, t.id).map((s) => [sessionId, code, t.id, t.annotator, t.source, t.scheme.name, s.id, s.start, s.end, s.label] as Cell[]),
      );
      // The model's own estimates (each participant's, see modelTrackNames), where not materialised as tracks.
      for (const kind of modelTrackNames(db, sessionId))
        if (!tracks.some((t) => t.annotator === kind))
          for (const s of modelSpans(db, sessionId, kind))
            rows.push([sessionId, code, null, kind, 'model', null, null, r6(s.start), r6(s.end), s.label]);
      return rows;
    }
    case 'participant': {
      const described = describedParticipant(db, sessionId);
      return people.map((p) => [
        sessionId,
        code,
        p.number,
        p.name,
        p.isClient,
        p.number === described,
        p.face?.framesWithFace ?? 0,
        p.face?.framesAbstained ?? 0,
        p.face?.majority ?? null,
        p.face?.box.x ?? null,
        p.face?.box.y ?? null,
        p.face?.box.width ?? null,
        p.face?.box.height ?? null,
        p.face ? p.face.small : null,
        p.face ? p.face.still : null,
        p.voice ? r6(p.voice.speechS) : 0,
        p.voice?.voicedWindows ?? 0,
        p.voice?.majority ?? null,
        p.voice?.link?.evidence ?? null,
        r6(p.voice?.link?.confidence),
        p.fused?.label ?? null,
        r6(p.fused?.confidence),
        ...EMOTION_LABELS.map((l) => share(p.face?.distribution, l)),
        ...EMOTION_LABELS.map((l) => share(p.voice?.distribution, l)),
        ESTIMATE_NOTE,
      ]);
    }
    case 'summary': {
      const s = session.summary;
      const cov = sessionCoverage(db, session);
      return [
        [
          sessionId,
          code,
          people.length,
          describedParticipant(db, sessionId),
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

/**
 * JSON: `{ per, note, rows: [{column: value}] }`; summary rows also carry the full summary object as `affect analyze
 * --json` prints it (with its participants and speech turns).
 */
export function tableToJson(db: Db, t: Table, level: ExportLevel): string {
  const rows = t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i]])));
  if (level === 'summary')
    for (const row of rows) {
      const id = row.session_id as number;
      row.summary = summaryWithPeople(db, id, getSession(db, id)!.summary) as unknown as Cell;
    }
  return JSON.stringify({ per: level, note: ESTIMATE_NOTE, columns: t.header, rows }, null, 2) + '\n';
}
