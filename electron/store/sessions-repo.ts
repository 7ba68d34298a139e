import path from 'node:path';
import type { AnalysisResult, AnalysisSummary, FrameResult, ModelRef, WindowResult } from '../analysis/result.js';
import type { Db } from './db.js';
import { AlreadyStoredError, analysisKey } from './analysis-key.js';
import { blobToProbs, probsToBlob } from './blob.js';
import { insertParticipants, namedFaces, restoreNames } from './participants-repo.js';

export interface SaveOptions {
  clientId?: number | null;
  title?: string | null;
  /** The recording date when the caller knows it; otherwise the container's creation date, if it states one. */
  recordedAt?: string | null;
}

/** The models row for a model (inserted the first time it is seen). */
export function upsertModel(db: Db, m: Pick<ModelRef, 'id' | 'version' | 'sha256' | 'task' | 'labels'>): number {
  db.prepare('INSERT INTO models (model_id, version, sha256, task, labels) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
    m.id,
    m.version,
    m.sha256,
    m.task,
    JSON.stringify(m.labels),
  );
  return (db.prepare('SELECT id FROM models WHERE model_id = ? AND version = ? AND sha256 = ?').get(m.id, m.version, m.sha256) as { id: number }).id;
}

/** The analysis key of a result (see analysis-key.ts). */
export const resultKey = (result: AnalysisResult) =>
  analysisKey(
    result.mediaSha256,
    result.settings.fps,
    result.models.map((m) => m.sha256),
    result.settings.speakers,
  );

/**
 * Store a finished analysis in ONE transaction: media, models, session, participants (with their thumbnails and face
 * descriptors), speech turns, every participant's frames and windows.
 * Either all of it is there afterwards or none of it (a crash or error rolls everything back).
 * Throws AlreadyStoredError when the same content, fps and models are stored already (also when another
 * process stored them a moment ago: the unique analysis_key decides). Called inside a caller's
 * transaction, it joins it (so the caller's own writes commit or roll back with it).
 */
export function saveAnalysis(db: Db, result: AnalysisResult, opts: SaveOptions = {}): number {
  const key = resultKey(result);
  try {
    return db.transaction(() => insertAnalysis(db, result, key, opts)).immediate();
  } catch (err) {
    const existing = isKeyConflict(err) ? findAnalysedSessionByKey(db, key) : null;
    if (existing !== null) throw new AlreadyStoredError(result.file, existing);
    throw err;
  }
}

/**
 * `--force`: store the analysis, or, when this content, fps and models are stored already, replace that
 * session's results in place in one transaction: same session id, so its client, title, recorded date,
 * annotation tracks and DASS-21 links stay; media path, settings, summary, models, frames and windows are
 * the new ones; materialised model-estimate tracks (out of date now) are dropped.
 */
export function saveOrReplaceAnalysis(db: Db, result: AnalysisResult, opts: SaveOptions = {}): { sessionId: number; replaced: boolean } {
  const key = resultKey(result);
  return db
    .transaction(() => {
      const existing = findAnalysedSessionByKey(db, key);
      if (existing === null) return { sessionId: insertAnalysis(db, result, key, opts), replaced: false };
      db.prepare(`UPDATE media SET ${MEDIA_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = (SELECT media_id FROM sessions WHERE id = ?)`).run(
        ...mediaValues(result),
        existing,
      );
      db.prepare(
        "UPDATE sessions SET settings = ?, summary = ?, elapsed_s = ?, analysed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
      ).run(JSON.stringify(result.settings), JSON.stringify(result.summary), result.summary.elapsedS, existing);
      // Participants go with their frames, windows, turns and learnt faces; names and the client mark are carried
      // over to the new participant with the same face (participants-repo.ts).
      const named = namedFaces(db, existing);
      for (const table of ['session_models', 'frame_results', 'window_results', 'speech_turns', 'participants'])
        db.prepare(`DELETE FROM ${table} WHERE session_id = ?`).run(existing);
      db.prepare("DELETE FROM annotation_tracks WHERE session_id = ? AND source = 'model'").run(existing);
      writeResults(db, existing, result);
      restoreNames(db, existing, named);
      return { sessionId: existing, replaced: true };
    })
    .immediate();
}

/** The media row's columns that every analysis writes (created_at only when it is first stored), and their values. */
const MEDIA_COLUMNS = [
  'path',
  'sha256',
  'size_bytes',
  'format',
  'duration_s',
  'video_codec',
  'width',
  'height',
  'fps',
  'audio_codec',
  'sample_rate',
  'channels',
] as const;

function mediaValues(result: AnalysisResult): Array<string | number | null> {
  const m = result.media;
  return [
    path.resolve(result.file),
    result.mediaSha256,
    m.sizeBytes,
    m.formatName,
    m.durationS,
    m.video?.codec ?? null,
    m.video?.width ?? null,
    m.video?.height ?? null,
    m.video?.avgFps ?? null,
    m.audio?.codec ?? null,
    m.audio?.sampleRate ?? null,
    m.audio?.channels ?? null,
  ];
}

const isKeyConflict = (err: unknown) =>
  (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /sessions\.analysis_key/.test((err as Error).message);

/** The recording's path is stored absolute, so the review finds it whatever folder the analysis ran from. */
function insertAnalysis(db: Db, result: AnalysisResult, key: string, opts: SaveOptions): number {
  const m = result.media;
  const recordedAt = opts.recordedAt ?? m.createdAt ?? null;
  const recordedAtSource = opts.recordedAt ? 'user' : m.createdAt ? 'container' : null;
  const mediaId = Number(
    db
      .prepare(`INSERT INTO media (${MEDIA_COLUMNS.join(', ')}, created_at) VALUES (${MEDIA_COLUMNS.map(() => '?').join(', ')}, ?)`)
      .run(...mediaValues(result), m.createdAt ?? null).lastInsertRowid,
  );
  const sessionId = Number(
    db
      .prepare(
        'INSERT INTO sessions (client_id, media_id, title, recorded_at, recorded_at_source, settings, summary, elapsed_s, analysis_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        opts.clientId ?? null,
        mediaId,
        opts.title ?? null,
        recordedAt,
        recordedAtSource,
        JSON.stringify(result.settings),
        JSON.stringify(result.summary),
        result.summary.elapsedS,
        key,
      ).lastInsertRowid,
  );
  writeResults(db, sessionId, result);
  return sessionId;
}

/** A session's model links, participants, speech turns, every participant's frames and windows, and summary (the summary carries the session id). */
export function writeResults(db: Db, sessionId: number, result: AnalysisResult): void {
  const linkModel = db.prepare('INSERT INTO session_models (session_id, model_id, role) VALUES (?, ?, ?)');
  for (const model of result.models) linkModel.run(sessionId, upsertModel(db, model), model.role);
  insertParticipants(db, sessionId, result.participants, result.speech);
  const frame = db.prepare(
    'INSERT INTO frame_results (session_id, participant, frame_index, time_s, face_found, box, face_score, label, confidence, probs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const p of result.participants)
    for (const f of p.frames)
      frame.run(
        sessionId,
        p.id,
        f.index,
        f.timeS,
        f.face ? 1 : 0,
        f.face ? JSON.stringify([f.face.box.x, f.face.box.y, f.face.box.width, f.face.box.height].map((v) => Math.round(v * 10) / 10)) : null,
        f.face?.score ?? null,
        f.label,
        f.confidence,
        probsToBlob(f.probs),
      );
  const win = db.prepare(
    'INSERT INTO window_results (session_id, participant, window_index, start_s, end_s, voiced, label, confidence, probs, input_distance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const p of result.participants)
    for (const w of p.windows)
      win.run(sessionId, p.id, w.index, w.startS, w.endS, w.voiced ? 1 : 0, w.label, w.confidence, probsToBlob(w.probs), w.inputDistance ?? null);
  // Participants and speech turns live in their own tables (names change after analysis): not in the stored summary.
  const { participants: _p, speech: _s, ...stored } = result.summary;
  const summary: AnalysisSummary = { ...stored, session: { ...result.summary.session, id: sessionId, file: path.resolve(result.file) } };
  db.prepare('UPDATE sessions SET summary = ? WHERE id = ?').run(JSON.stringify(summary), sessionId);
}

export interface SessionListItem {
  id: number;
  clientId: number | null;
  title: string | null;
  file: string;
  durationS: number;
  analysedAt: string;
  /** When the recording was made: ISO 8601 (from the container) or YYYY-MM-DD (as the user gave it); null if unknown. */
  recordedAt: string | null;
  recordedAtSource: 'container' | 'user' | null;
  /** The date the container states, kept beside a user's correction. */
  containerDate: string | null;
  summary: AnalysisSummary;
}

type SessionRow = Omit<SessionListItem, 'summary'> & { summary: string };

const SESSION_SELECT = `SELECT s.id, s.client_id AS clientId, s.title, m.path AS file, m.duration_s AS durationS,
  s.analysed_at AS analysedAt, s.recorded_at AS recordedAt, s.recorded_at_source AS recordedAtSource, m.created_at AS containerDate, s.summary
  FROM sessions s JOIN media m ON m.id = s.media_id`;

const toItem = (r: SessionRow): SessionListItem => ({ ...r, summary: JSON.parse(r.summary) as AnalysisSummary });

export function listSessions(db: Db, { clientId }: { clientId?: number | null } = {}): SessionListItem[] {
  const rows =
    clientId === undefined
      ? db.prepare(`${SESSION_SELECT} ORDER BY COALESCE(s.recorded_at, s.analysed_at), s.id`).all()
      : db.prepare(`${SESSION_SELECT} WHERE s.client_id IS ? ORDER BY COALESCE(s.recorded_at, s.analysed_at), s.id`).all(clientId);
  return (rows as SessionRow[]).map(toItem);
}

export function getSession(db: Db, id: number): SessionListItem | undefined {
  const row = db.prepare(`${SESSION_SELECT} WHERE s.id = ?`).get(id) as SessionRow | undefined;
  return row && toItem(row);
}

/** A participant's frames (every analysed frame while it has a face track), or every participant's when none is given. */
export function getFrames(db: Db, sessionId: number, participant?: number): Array<FrameResult & { participant: number }> {
  const rows = db
    .prepare(
      `SELECT participant, frame_index, time_s, face_found, box, face_score, label, confidence, probs FROM frame_results
       WHERE session_id = ? AND (? IS NULL OR participant = ?) ORDER BY participant, frame_index`,
    )
    .all(sessionId, participant ?? null, participant ?? null) as Array<{
    participant: number;
    frame_index: number;
    time_s: number;
    face_found: number;
    box: string | null;
    face_score: number | null;
    label: string | null;
    confidence: number | null;
    probs: Buffer | null;
  }>;
  return rows.map((r) => {
    const box = r.box ? (JSON.parse(r.box) as number[]) : null;
    return {
      participant: r.participant,
      index: r.frame_index,
      timeS: r.time_s,
      face: box ? { box: { x: box[0], y: box[1], width: box[2], height: box[3] }, score: r.face_score ?? 0 } : null,
      label: r.label,
      confidence: r.confidence,
      probs: blobToProbs(r.probs),
    };
  });
}

/** A participant's voice windows, or every participant's when none is given. */
export function getWindows(db: Db, sessionId: number, participant?: number): Array<WindowResult & { participant: number }> {
  const rows = db
    .prepare(
      `SELECT participant, window_index, start_s, end_s, voiced, label, confidence, probs, input_distance FROM window_results
       WHERE session_id = ? AND (? IS NULL OR participant = ?) ORDER BY participant, window_index`,
    )
    .all(sessionId, participant ?? null, participant ?? null) as Array<{
    participant: number;
    window_index: number;
    start_s: number;
    end_s: number;
    voiced: number;
    label: string | null;
    confidence: number | null;
    probs: Buffer | null;
    input_distance: number | null;
  }>;
  return rows.map((r) => ({
    participant: r.participant,
    index: r.window_index,
    startS: r.start_s,
    endS: r.end_s,
    voiced: r.voiced === 1,
    label: r.label,
    confidence: r.confidence,
    probs: blobToProbs(r.probs),
    inputDistance: r.input_distance,
  }));
}

export function getSessionModels(db: Db, sessionId: number): ModelRef[] {
  const rows = db
    .prepare(
      `SELECT sm.role, m.model_id AS id, m.version, m.sha256, m.task, m.labels FROM session_models sm JOIN models m ON m.id = sm.model_id WHERE sm.session_id = ? ORDER BY sm.role`,
    )
    .all(sessionId) as Array<Omit<ModelRef, 'labels'> & { labels: string }>;
  return rows.map((r) => ({ ...r, labels: JSON.parse(r.labels) as string[] }));
}

/** Correct (or with null, clear) a session's recording date; marked as the user's. */
export function setRecordedAt(db: Db, id: number, recordedAt: string | null): boolean {
  return (
    db.prepare('UPDATE sessions SET recorded_at = ?, recorded_at_source = ? WHERE id = ?').run(recordedAt, recordedAt === null ? null : 'user', id)
      .changes === 1
  );
}

/** The stored content hash and path of a session's recording. */
export function sessionMedia(db: Db, sessionId: number): { mediaId: number; path: string; sha256: string } | undefined {
  return db.prepare('SELECT m.id AS mediaId, m.path, m.sha256 FROM sessions s JOIN media m ON m.id = s.media_id WHERE s.id = ?').get(sessionId) as
    { mediaId: number; path: string; sha256: string } | undefined;
}

/** Point a recording at its new place (the caller has checked the content hash). Every session of it follows. */
export function setMediaPath(db: Db, mediaId: number, file: string): void {
  db.prepare('UPDATE media SET path = ? WHERE id = ?').run(path.resolve(file), mediaId);
}

export function deleteSession(db: Db, id: number): void {
  db.transaction(() => {
    const row = db.prepare('SELECT media_id FROM sessions WHERE id = ?').get(id) as { media_id: number } | undefined;
    if (!row) throw new Error(`no session with id ${id}`);
    db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
    db.prepare('DELETE FROM media WHERE id = ? AND NOT EXISTS (SELECT 1 FROM sessions WHERE media_id = ?)').run(row.media_id, row.media_id);
  })();
}

/**
 * The session already stored for this exact recording (content hash), frame rate, number of speakers asked for (none:
 * estimated) and set of models, if any: a batch run that is started again skips it.
 */
export function findAnalysedSession(db: Db, mediaSha256: string, fps: number, modelSha256s: readonly string[], speakers?: number): number | null {
  return findAnalysedSessionByKey(db, analysisKey(mediaSha256, fps, modelSha256s, speakers));
}

export function findAnalysedSessionByKey(db: Db, key: string): number | null {
  return (db.prepare('SELECT id FROM sessions WHERE analysis_key = ?').get(key) as { id: number } | undefined)?.id ?? null;
}
