import type { AnalysisResult, AnalysisSummary, FrameResult, ModelRef, WindowResult } from '../analysis/result.js';
import type { Db } from './db.js';
import { blobToProbs, probsToBlob } from './blob.js';

export interface SaveOptions {
  clientId?: number | null;
  title?: string | null;
  recordedAt?: string | null;
}

function upsertModel(db: Db, m: ModelRef): number {
  db.prepare('INSERT INTO models (model_id, version, sha256, task, labels) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
    m.id,
    m.version,
    m.sha256,
    m.task,
    JSON.stringify(m.labels),
  );
  return (db.prepare('SELECT id FROM models WHERE model_id = ? AND version = ? AND sha256 = ?').get(m.id, m.version, m.sha256) as { id: number }).id;
}

/**
 * Store a finished analysis in ONE transaction: media, models, session, every frame and window.
 * Either all of it is there afterwards or none of it (a crash or error rolls everything back).
 */
export function saveAnalysis(db: Db, result: AnalysisResult, opts: SaveOptions = {}): number {
  const m = result.media;
  return db.transaction(() => {
    const mediaId = Number(
      db
        .prepare(
          `INSERT INTO media (path, sha256, size_bytes, format, duration_s, video_codec, width, height, fps, audio_codec, sample_rate, channels)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          result.file,
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
        ).lastInsertRowid,
    );
    const sessionId = Number(
      db
        .prepare('INSERT INTO sessions (client_id, media_id, title, recorded_at, settings, summary, elapsed_s) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(
          opts.clientId ?? null,
          mediaId,
          opts.title ?? null,
          opts.recordedAt ?? null,
          JSON.stringify(result.settings),
          JSON.stringify(result.summary),
          result.summary.elapsedS,
        ).lastInsertRowid,
    );
    const linkModel = db.prepare('INSERT INTO session_models (session_id, model_id, role) VALUES (?, ?, ?)');
    for (const model of result.models) linkModel.run(sessionId, upsertModel(db, model), model.role);
    const frame = db.prepare(
      'INSERT INTO frame_results (session_id, frame_index, time_s, face_found, box, face_score, label, confidence, probs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const f of result.frames)
      frame.run(
        sessionId,
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
      'INSERT INTO window_results (session_id, window_index, start_s, end_s, voiced, label, confidence, probs, input_distance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const w of result.windows)
      win.run(sessionId, w.index, w.startS, w.endS, w.voiced ? 1 : 0, w.label, w.confidence, probsToBlob(w.probs), w.inputDistance ?? null);
    const summary: AnalysisSummary = { ...result.summary, session: { ...result.summary.session, id: sessionId } };
    db.prepare('UPDATE sessions SET summary = ? WHERE id = ?').run(JSON.stringify(summary), sessionId);
    return sessionId;
  })();
}

export interface SessionListItem {
  id: number;
  clientId: number | null;
  title: string | null;
  file: string;
  durationS: number;
  analysedAt: string;
  recordedAt: string | null;
  summary: AnalysisSummary;
}

type SessionRow = Omit<SessionListItem, 'summary'> & { summary: string };

const SESSION_SELECT = `SELECT s.id, s.client_id AS clientId, s.title, m.path AS file, m.duration_s AS durationS,
  s.analysed_at AS analysedAt, s.recorded_at AS recordedAt, s.summary
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

export function getFrames(db: Db, sessionId: number): FrameResult[] {
  const rows = db
    .prepare('SELECT frame_index, time_s, face_found, box, face_score, label, confidence, probs FROM frame_results WHERE session_id = ? ORDER BY frame_index')
    .all(sessionId) as Array<{ frame_index: number; time_s: number; face_found: number; box: string | null; face_score: number | null; label: string | null; confidence: number | null; probs: Buffer | null }>;
  return rows.map((r) => {
    const box = r.box ? (JSON.parse(r.box) as number[]) : null;
    return {
      index: r.frame_index,
      timeS: r.time_s,
      face: box ? { box: { x: box[0], y: box[1], width: box[2], height: box[3] }, score: r.face_score ?? 0 } : null,
      label: r.label,
      confidence: r.confidence,
      probs: blobToProbs(r.probs),
    };
  });
}

export function getWindows(db: Db, sessionId: number): WindowResult[] {
  const rows = db
    .prepare('SELECT window_index, start_s, end_s, voiced, label, confidence, probs, input_distance FROM window_results WHERE session_id = ? ORDER BY window_index')
    .all(sessionId) as Array<{
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

export function deleteSession(db: Db, id: number): void {
  db.transaction(() => {
    const row = db.prepare('SELECT media_id FROM sessions WHERE id = ?').get(id) as { media_id: number } | undefined;
    if (!row) throw new Error(`no session with id ${id}`);
    db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
    db.prepare('DELETE FROM media WHERE id = ? AND NOT EXISTS (SELECT 1 FROM sessions WHERE media_id = ?)').run(row.media_id, row.media_id);
  })();
}

/**
 * The session already stored for this exact recording (content hash), frame rate and set of models,
 * if any: a batch run that is started again skips it.
 */
export function findAnalysedSession(db: Db, mediaSha256: string, fps: number, modelSha256s: readonly string[]): number | null {
  const want = [...modelSha256s].sort().join(',');
  const rows = db
    .prepare(
      `SELECT s.id, (SELECT group_concat(sha256, ',') FROM (SELECT m2.sha256 FROM session_models sm JOIN models m2 ON m2.id = sm.model_id WHERE sm.session_id = s.id ORDER BY m2.sha256)) AS shas
       FROM sessions s JOIN media m ON m.id = s.media_id
       WHERE m.sha256 = ? AND json_extract(s.settings, '$.fps') = ? ORDER BY s.id`,
    )
    .all(mediaSha256, fps) as Array<{ id: number; shas: string }>;
  return rows.find((r) => r.shas === want)?.id ?? null;
}
