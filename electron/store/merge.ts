import type { Db } from './db.js';
import { openDatabase } from './db.js';
import { analysisKey } from './analysis-key.js';
import { findAnalysedSessionByKey } from './sessions-repo.js';

export interface MergeReport {
  source: string;
  sessionsAdded: number;
  sessionsSkipped: number;
  clientsAdded: number;
  dassAdded: number;
  tracksAdded: number;
  selfCareRunsAdded: number;
  participantsAdded: number;
}

const columns = (db: Db, table: string, schema = 'main') =>
  (db.prepare(`SELECT name FROM pragma_table_info(?, ?)`).all(table, schema) as Array<{ name: string }>).map((c) => c.name);

/**
 * Merge one database (e.g. a shard of a batch run) into `target`, in one transaction: clients by code,
 * models by (id, version, sha256), and every session whose recording (content hash), fps, speakers asked for and
 * models are not already in the target, with its media, frame timestamps, participants (names, client mark,
 * thumbnails, face descriptors and the faces named for its client), speech turns, frames and windows; annotation
 * tracks by (session, annotator) with their segments; DASS-21 administrations by (client, date,
 * answers). Merging the same source twice adds nothing.
 */
export function mergeDatabase(target: Db, sourcePath: string, sourceKey: Buffer | null = null): MergeReport {
  // Bring the source to the current schema first (its own file, migrated like any opened database).
  openDatabase(sourcePath, { key: sourceKey }).close();
  // The KEY clause always: without it SQLite3 Multiple Ciphers would use the target's key for the source.
  target.prepare('ATTACH DATABASE ? AS src KEY ?').run(sourcePath, sourceKey ? `x'${sourceKey.toString('hex')}'` : '');
  try {
    return target.transaction(() => {
      const report: MergeReport = {
        source: sourcePath,
        sessionsAdded: 0,
        sessionsSkipped: 0,
        clientsAdded: 0,
        dassAdded: 0,
        tracksAdded: 0,
        selfCareRunsAdded: 0,
        participantsAdded: 0,
      };
      report.clientsAdded = target
        .prepare(
          'INSERT INTO main.clients (code, display_name, created_at, archived_at) SELECT code, display_name, created_at, archived_at FROM src.clients WHERE true ON CONFLICT (code) DO NOTHING',
        )
        .run().changes;
      target
        .prepare(
          'INSERT INTO main.models (model_id, version, sha256, task, labels) SELECT model_id, version, sha256, task, labels FROM src.models WHERE true ON CONFLICT DO NOTHING',
        )
        .run();
      const clientMap = (srcClientId: number | null): number | null =>
        srcClientId === null
          ? null
          : (
              target.prepare('SELECT c.id FROM main.clients c JOIN src.clients s ON s.code = c.code WHERE s.id = ?').get(srcClientId) as {
                id: number;
              }
            ).id;

      const sessionMap = new Map<number, number>();
      const sessions = target
        .prepare(`SELECT s.*, m.sha256 AS media_sha256 FROM src.sessions s JOIN src.media m ON m.id = s.media_id ORDER BY s.id`)
        .all() as Array<Record<string, unknown> & { id: number; media_id: number; client_id: number | null; settings: string; media_sha256: string }>;
      const mediaCols = columns(target, 'media').filter((c) => c !== 'id');
      for (const s of sessions) {
        const modelShas = (
          target
            .prepare('SELECT m.sha256 FROM src.session_models sm JOIN src.models m ON m.id = sm.model_id WHERE sm.session_id = ?')
            .all(s.id) as Array<{ sha256: string }>
        ).map((r) => r.sha256);
        const { fps, speakers } = JSON.parse(s.settings) as { fps: number; speakers?: number };
        // The key from the source's own content hash, fps, models and speakers asked for (not its stored key, which it may lack).
        const key = analysisKey(s.media_sha256, fps, modelShas, speakers);
        const existing = findAnalysedSessionByKey(target, key);
        if (existing !== null) {
          sessionMap.set(s.id, existing);
          report.sessionsSkipped++;
          continue;
        }
        const mediaId = Number(
          target
            .prepare(`INSERT INTO main.media (${mediaCols.join(', ')}) SELECT ${mediaCols.join(', ')} FROM src.media WHERE id = ?`)
            .run(s.media_id).lastInsertRowid,
        );
        const sessionId = Number(
          target
            .prepare(
              `INSERT INTO main.sessions (client_id, media_id, title, recorded_at, recorded_at_source, analysed_at, settings, summary, elapsed_s, analysis_key)
               SELECT ?, ?, title, recorded_at, recorded_at_source, analysed_at, settings, summary, elapsed_s, ? FROM src.sessions WHERE id = ?`,
            )
            .run(clientMap(s.client_id), mediaId, key, s.id).lastInsertRowid,
        );
        // The stored summary carries its session id: keep it pointing at the merged row.
        target.prepare("UPDATE main.sessions SET summary = json_set(summary, '$.session.id', ?) WHERE id = ?").run(sessionId, sessionId);
        target
          .prepare(
            `INSERT INTO main.session_models (session_id, model_id, role)
             SELECT ?, mm.id, sm.role FROM src.session_models sm JOIN src.models sm2 ON sm2.id = sm.model_id
             JOIN main.models mm ON mm.model_id = sm2.model_id AND mm.version = sm2.version AND mm.sha256 = sm2.sha256 WHERE sm.session_id = ?`,
          )
          .run(sessionId, s.id);
        // Participants first: frames, windows and speech turns reference them by (session, number).
        const participantCols = columns(target, 'participants').filter((c) => c !== 'id' && c !== 'session_id');
        target
          .prepare(
            `INSERT INTO main.participants (session_id, ${participantCols.join(', ')}) SELECT ?, ${participantCols.join(', ')} FROM src.participants WHERE session_id = ? ORDER BY number`,
          )
          .run(sessionId, s.id);
        target
          .prepare(
            'INSERT INTO main.speech_turns (session_id, participant, start_s, end_s) SELECT ?, participant, start_s, end_s FROM src.speech_turns WHERE session_id = ?',
          )
          .run(sessionId, s.id);
        // Faces named in the session stay with its client (matched by code) in the target.
        target
          .prepare(
            `INSERT INTO main.client_faces (client_id, participant_id, name, is_client, embedding, embedding_model, embedding_count, created_at)
             SELECT ?, mp.id, cf.name, cf.is_client, cf.embedding, cf.embedding_model, cf.embedding_count, cf.created_at
             FROM src.client_faces cf JOIN src.participants sp ON sp.id = cf.participant_id
             JOIN main.participants mp ON mp.session_id = ? AND mp.number = sp.number
             WHERE sp.session_id = ? AND ? IS NOT NULL`,
          )
          .run(clientMap(s.client_id), sessionId, s.id, clientMap(s.client_id));
        const frameCols = columns(target, 'frame_results').filter((c) => c !== 'session_id');
        target
          .prepare(
            `INSERT INTO main.frame_results (session_id, ${frameCols.join(', ')}) SELECT ?, ${frameCols.join(', ')} FROM src.frame_results WHERE session_id = ?`,
          )
          .run(sessionId, s.id);
        const windowCols = columns(target, 'window_results').filter((c) => c !== 'session_id');
        target
          .prepare(
            `INSERT INTO main.window_results (session_id, ${windowCols.join(', ')}) SELECT ?, ${windowCols.join(', ')} FROM src.window_results WHERE session_id = ?`,
          )
          .run(sessionId, s.id);
        target
          .prepare(
            'INSERT INTO main.media_frame_times (media_id, times, end_s, method, created_at) SELECT ?, times, end_s, method, created_at FROM src.media_frame_times WHERE media_id = ?',
          )
          .run(mediaId, s.media_id);
        sessionMap.set(s.id, sessionId);
        report.sessionsAdded++;
        report.participantsAdded += (
          target.prepare('SELECT COUNT(*) AS n FROM main.participants WHERE session_id = ?').get(sessionId) as { n: number }
        ).n;
      }

      // Annotation tracks (with their segments) follow their session, unless the target session already has a
      // track by the same annotator. The edit history (undo/redo) stays with the source database.
      target
        .prepare('INSERT INTO main.label_schemes (name, labels) SELECT name, labels FROM src.label_schemes WHERE true ON CONFLICT (name) DO NOTHING')
        .run();
      const tracks = target
        .prepare(
          'SELECT t.id, t.session_id, t.annotator, t.source, t.read_only, t.created_at, ls.name AS scheme FROM src.annotation_tracks t JOIN src.label_schemes ls ON ls.id = t.scheme_id ORDER BY t.id',
        )
        .all() as Array<{ id: number; session_id: number; annotator: string; source: string; read_only: number; created_at: string; scheme: string }>;
      for (const t of tracks) {
        const sessionId = sessionMap.get(t.session_id);
        if (
          sessionId === undefined ||
          target.prepare('SELECT 1 FROM main.annotation_tracks WHERE session_id = ? AND annotator = ?').get(sessionId, t.annotator)
        )
          continue;
        const trackId = Number(
          target
            .prepare(
              'INSERT INTO main.annotation_tracks (session_id, annotator, scheme_id, source, read_only, created_at) SELECT ?, ?, id, ?, ?, ? FROM main.label_schemes WHERE name = ?',
            )
            .run(sessionId, t.annotator, t.source, t.read_only, t.created_at, t.scheme).lastInsertRowid,
        );
        target
          .prepare(
            'INSERT INTO main.annotation_segments (track_id, start_s, end_s, label) SELECT ?, start_s, end_s, label FROM src.annotation_segments WHERE track_id = ? ORDER BY start_s',
          )
          .run(trackId, t.id);
        report.tracksAdded++;
      }

      const dassCols = columns(target, 'dass_administrations').filter((c) => !['id', 'client_id', 'session_id'].includes(c));
      const answerCols = dassCols.filter((c) => /^q\d+$/.test(c));
      const same = answerCols.map((c) => `d.${c} IS a.${c}`).join(' AND ');
      const dass = target.prepare('SELECT * FROM src.dass_administrations ORDER BY id').all() as Array<
        Record<string, unknown> & { id: number; client_id: number; session_id: number | null }
      >;
      for (const a of dass) {
        const clientId = clientMap(a.client_id)!;
        const dup = target
          .prepare(
            `SELECT 1 FROM main.dass_administrations d, src.dass_administrations a WHERE a.id = ? AND d.client_id = ? AND d.administered_on = a.administered_on AND ${same}`,
          )
          .get(a.id, clientId);
        if (dup) continue;
        target
          .prepare(
            `INSERT INTO main.dass_administrations (client_id, session_id, ${dassCols.join(', ')}) SELECT ?, ?, ${dassCols.join(', ')} FROM src.dass_administrations WHERE id = ?`,
          )
          .run(clientId, a.session_id === null ? null : (sessionMap.get(a.session_id) ?? null), a.id);
        report.dassAdded++;
      }

      // Self-care runs follow their client, by (client, exercise, level, start time).
      const runCols = columns(target, 'selfcare_runs').filter((c) => !['id', 'client_id'].includes(c));
      for (const r of target.prepare('SELECT id, client_id FROM src.selfcare_runs ORDER BY id').all() as Array<{ id: number; client_id: number }>) {
        const clientId = clientMap(r.client_id)!;
        const dup = target
          .prepare(
            'SELECT 1 FROM main.selfcare_runs m, src.selfcare_runs s WHERE s.id = ? AND m.client_id = ? AND m.exercise = s.exercise AND m.level = s.level AND m.started_at = s.started_at',
          )
          .get(r.id, clientId);
        if (dup) continue;
        target
          .prepare(
            `INSERT INTO main.selfcare_runs (client_id, ${runCols.join(', ')}) SELECT ?, ${runCols.join(', ')} FROM src.selfcare_runs WHERE id = ?`,
          )
          .run(clientId, r.id);
        report.selfCareRunsAdded++;
      }
      return report;
    })();
  } finally {
    target.prepare('DETACH DATABASE src').run();
  }
}
