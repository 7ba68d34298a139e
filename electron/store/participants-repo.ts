import { descriptorDistance } from '../analysis/face/identity-model.js';
import { describe, participantOutput } from '../analysis/people/participants.js';
import type { AnalysisSummary, ParticipantResult, SpeechTurn } from '../analysis/result.js';
import { blobToProbs, probsToBlob } from './blob.js';
import type { Db } from './db.js';

/**
 * The participants of stored sessions (migration 008_participants): their summaries, thumbnails and face descriptors,
 * the user's names and client mark, speech turns, and the faces a client's named people are recognised by in the
 * client's later sessions. The one writer of those tables.
 */
export interface StoredParticipant {
  /** Row id (unique in the database). */
  rowId: number;
  /** 1-based within the session: the id users see (`affect participants`, JSON `participants[].id`). */
  number: number;
  name: string | null;
  isClient: boolean;
  face: ParticipantResult['face'];
  voice: ParticipantResult['voice'];
  fused: ParticipantResult['fused'];
  thumbnail: { mime: string; data: Buffer } | null;
  embedding: { vector: Float32Array; model: string; count: number } | null;
}

export class ParticipantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParticipantError';
  }
}

/** Two face descriptors closer than this are the same person (dlib's threshold; the identity manifest's `sameBelow`). */
export const SAME_FACE_BELOW = 0.6;

/** Part of saveAnalysis' transaction: the participants and who speaks when. */
export function insertParticipants(db: Db, sessionId: number, participants: readonly ParticipantResult[], speech: readonly SpeechTurn[]): void {
  const insert = db.prepare(
    `INSERT INTO participants (session_id, number, name, summary, thumbnail, thumbnail_mime, face_embedding, embedding_model, embedding_count)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const p of participants)
    insert.run(
      sessionId,
      p.id,
      p.name,
      JSON.stringify({ face: p.face, voice: p.voice, fused: p.fused }),
      p.thumbnail ? Buffer.from(p.thumbnail.data) : null,
      p.thumbnail?.mime ?? null,
      p.embedding ? probsToBlob(p.embedding.vector) : null,
      p.embedding?.model ?? null,
      p.embedding?.count ?? null,
    );
  const turn = db.prepare('INSERT OR IGNORE INTO speech_turns (session_id, participant, start_s, end_s) VALUES (?, ?, ?, ?)');
  for (const t of speech) if (t.endS > t.startS) turn.run(sessionId, t.participant, Math.max(0, t.startS), t.endS);
}

type Row = {
  id: number;
  number: number;
  name: string | null;
  is_client: number;
  summary: string;
  thumbnail: Buffer | null;
  thumbnail_mime: string | null;
  face_embedding: Buffer | null;
  embedding_model: string | null;
  embedding_count: number | null;
};

function fromRow(r: Row): StoredParticipant {
  const s = JSON.parse(r.summary) as Pick<ParticipantResult, 'face' | 'voice' | 'fused'>;
  return {
    rowId: r.id,
    number: r.number,
    name: r.name,
    isClient: r.is_client === 1,
    face: s.face ?? null,
    voice: s.voice ?? null,
    fused: s.fused ?? null,
    thumbnail: r.thumbnail && r.thumbnail_mime ? { mime: r.thumbnail_mime, data: r.thumbnail } : null,
    embedding:
      r.face_embedding && r.embedding_model
        ? { vector: blobToProbs(r.face_embedding)!, model: r.embedding_model, count: r.embedding_count ?? 1 }
        : null,
  };
}

export function listParticipants(db: Db, sessionId: number): StoredParticipant[] {
  return (db.prepare('SELECT * FROM participants WHERE session_id = ? ORDER BY number').all(sessionId) as Row[]).map(fromRow);
}

export function getParticipant(db: Db, sessionId: number, number: number): StoredParticipant | undefined {
  const r = db.prepare('SELECT * FROM participants WHERE session_id = ? AND number = ?').get(sessionId, number) as Row | undefined;
  return r && fromRow(r);
}

/** The participant the session's summary describes: the one marked as the client, else participant 1 (null: none). */
export function describedParticipant(db: Db, sessionId: number): number | null {
  const r = db.prepare('SELECT number FROM participants WHERE session_id = ? ORDER BY is_client DESC, number LIMIT 1').get(sessionId) as
    { number: number } | undefined;
  return r?.number ?? null;
}

export function speechTurns(db: Db, sessionId: number): SpeechTurn[] {
  return db
    .prepare('SELECT start_s AS startS, end_s AS endS, participant FROM speech_turns WHERE session_id = ? ORDER BY start_s, participant')
    .all(sessionId) as SpeechTurn[];
}

/** A stored session's summary as `affect analyze --json` prints it: with its participants and speech turns. */
export function summaryWithPeople(db: Db, sessionId: number, stored: AnalysisSummary): AnalysisSummary {
  return {
    ...stored,
    participants: listParticipants(db, sessionId).map((p) =>
      participantOutput({ id: p.number, name: p.name, face: p.face, voice: p.voice, fused: p.fused }),
    ),
    speech: speechTurns(db, sessionId),
  };
}

function requireParticipant(db: Db, sessionId: number, number: number): StoredParticipant {
  if (!db.prepare('SELECT 1 FROM sessions WHERE id = ?').get(sessionId)) throw new ParticipantError(`no session with id ${sessionId}`);
  const p = getParticipant(db, sessionId, number);
  if (!p) {
    const all = listParticipants(db, sessionId).map((x) => x.number);
    throw new ParticipantError(`session ${sessionId} has no participant ${number} (${all.length ? `it has ${all.join(', ')}` : 'it has none'})`);
  }
  return p;
}

/** Name a participant (null: no name). In a session of a client, a named face is kept to recognise the person later. */
export function setParticipantName(db: Db, sessionId: number, number: number, name: string | null): StoredParticipant {
  const clean = name === null ? null : name.normalize('NFC').trim();
  if (clean !== null && (clean.length === 0 || clean.length > 100)) throw new ParticipantError('a participant name must have 1 to 100 characters');
  return db.transaction(() => {
    requireParticipant(db, sessionId, number);
    db.prepare('UPDATE participants SET name = ? WHERE session_id = ? AND number = ?').run(clean, sessionId, number);
    syncClientFace(db, sessionId, number);
    return getParticipant(db, sessionId, number)!;
  })();
}

/** Mark one participant as the client (null: none); the session's summary then describes that participant. */
export function setClientParticipant(db: Db, sessionId: number, number: number | null): void {
  db.transaction(() => {
    if (number !== null) requireParticipant(db, sessionId, number);
    const before = describedParticipant(db, sessionId);
    db.prepare('UPDATE participants SET is_client = 0 WHERE session_id = ? AND is_client = 1').run(sessionId);
    if (number !== null) db.prepare('UPDATE participants SET is_client = 1 WHERE session_id = ? AND number = ?').run(sessionId, number);
    for (const p of listParticipants(db, sessionId)) syncClientFace(db, sessionId, p.number);
    if (describedParticipant(db, sessionId) !== before) refreshSessionSummary(db, sessionId);
  })();
}

/**
 * Rewrite the session's top-level face, voice and fused from the participant it describes, so every view that reads a
 * session's summary (lists, trends, reports) follows the client's participant.
 */
export function refreshSessionSummary(db: Db, sessionId: number): void {
  const row = db
    .prepare('SELECT s.summary, m.video_codec AS video, m.audio_codec AS audio FROM sessions s JOIN media m ON m.id = s.media_id WHERE s.id = ?')
    .get(sessionId) as { summary: string; video: string | null; audio: string | null } | undefined;
  if (!row) throw new ParticipantError(`no session with id ${sessionId}`);
  const summary = JSON.parse(row.summary) as AnalysisSummary;
  const participants = listParticipants(db, sessionId);
  const number = describedParticipant(db, sessionId);
  const p = participants.find((x) => x.number === number);
  const labels = (role: string) =>
    JSON.parse(
      (
        db
          .prepare('SELECT m.labels FROM session_models sm JOIN models m ON m.id = sm.model_id WHERE sm.session_id = ? AND sm.role = ?')
          .get(sessionId, role) as { labels: string } | undefined
      )?.labels ?? '[]',
    ) as string[];
  const described = describe(
    p && { id: p.number, face: p.face, voice: p.voice, fused: p.fused },
    {
      hasVideo: row.video !== null,
      hasAudio: row.audio !== null,
      framesAnalysed: summary.face.framesAnalysed,
      windows: summary.voice.windows,
      voicedWindows: summary.voice.voicedWindows,
      anyFace: participants.some((x) => x.face),
      anyVoice: participants.some((x) => x.voice),
      faceLabels: labels('face-expression'),
      voiceLabels: labels('voice-emotion'),
    },
    summary.fused.weights ?? { face: 1, voice: 1 },
    summary.fused.rule,
  );
  db.prepare('UPDATE sessions SET summary = ? WHERE id = ?').run(JSON.stringify({ ...summary, ...described }), sessionId);
}

/** Keep client_faces in step with one participant: a named (or client-marked) face in a client's session is kept. */
function syncClientFace(db: Db, sessionId: number, number: number): void {
  const p = getParticipant(db, sessionId, number)!;
  const clientId = (db.prepare('SELECT client_id FROM sessions WHERE id = ?').get(sessionId) as { client_id: number | null }).client_id;
  const name = p.name ?? (p.isClient ? 'client' : null);
  if (clientId === null || !p.embedding || name === null) {
    db.prepare('DELETE FROM client_faces WHERE participant_id = ?').run(p.rowId);
    return;
  }
  db.prepare(
    `INSERT INTO client_faces (client_id, participant_id, name, is_client, embedding, embedding_model, embedding_count) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (participant_id) DO UPDATE SET client_id = excluded.client_id, name = excluded.name, is_client = excluded.is_client`,
  ).run(clientId, p.rowId, name, p.isClient ? 1 : 0, probsToBlob(p.embedding.vector), p.embedding.model, p.embedding.count);
}

export interface FaceSuggestion {
  /** The participant of this session the suggestion is for. */
  participant: number;
  name: string;
  isClient: boolean;
  /** Descriptor distance to the nearest face the name was given to (smaller = more alike; same person below SAME_FACE_BELOW). */
  distance: number;
  /** The session the name was given in (the closest one). */
  fromSession: number;
}

/**
 * Names to suggest for this session's unnamed faces: the people named in the client's OTHER sessions whose faces are
 * within SAME_FACE_BELOW, nearest first; each name offered to at most one participant (the nearest), as a face on
 * screen at the same time as another is another person.
 */
export function faceSuggestions(db: Db, sessionId: number): FaceSuggestion[] {
  const session = db.prepare('SELECT client_id FROM sessions WHERE id = ?').get(sessionId) as { client_id: number | null } | undefined;
  if (!session) throw new ParticipantError(`no session with id ${sessionId}`);
  if (session.client_id === null) return [];
  const known = db
    .prepare(
      `SELECT cf.name, cf.is_client AS isClient, cf.embedding, cf.embedding_model AS model, p.session_id AS sessionId
       FROM client_faces cf JOIN participants p ON p.id = cf.participant_id WHERE cf.client_id = ? AND p.session_id <> ?`,
    )
    .all(session.client_id, sessionId) as Array<{ name: string; isClient: number; embedding: Buffer; model: string; sessionId: number }>;
  if (known.length === 0) return [];
  const candidates: FaceSuggestion[] = [];
  for (const p of listParticipants(db, sessionId)) {
    if (!p.embedding || p.name !== null || p.isClient) continue;
    const best = new Map<string, FaceSuggestion>();
    for (const k of known) {
      if (k.model !== p.embedding.model) continue;
      const distance = descriptorDistance(p.embedding.vector, blobToProbs(k.embedding)!);
      if (distance >= SAME_FACE_BELOW) continue;
      const prev = best.get(k.name);
      if (!prev || distance < prev.distance)
        best.set(k.name, {
          participant: p.number,
          name: k.name,
          isClient: k.isClient === 1,
          distance: Math.round(distance * 1000) / 1000,
          fromSession: k.sessionId,
        });
    }
    candidates.push(...best.values());
  }
  candidates.sort((a, b) => a.distance - b.distance);
  const usedNames = new Set<string>();
  const usedParticipants = new Set<number>();
  return candidates.filter((c) => {
    if (usedNames.has(c.name) || usedParticipants.has(c.participant)) return false;
    usedNames.add(c.name);
    usedParticipants.add(c.participant);
    return true;
  });
}

/** After a session changes client: the faces named in it are kept with its new client (the trigger moved or dropped the old ones). */
export function syncSessionFaces(db: Db, sessionId: number): void {
  db.transaction(() => {
    for (const p of listParticipants(db, sessionId)) syncClientFace(db, sessionId, p.number);
  })();
}

/** Named (or client-marked) participants with a face, before a session's results are replaced (`--force`). */
export function namedFaces(db: Db, sessionId: number): Array<{ name: string | null; isClient: boolean; embedding: StoredParticipant['embedding'] }> {
  return listParticipants(db, sessionId)
    .filter((p) => (p.name !== null || p.isClient) && p.embedding)
    .map((p) => ({ name: p.name, isClient: p.isClient, embedding: p.embedding }));
}

/** After the results were replaced: each name (and the client mark) goes to the new participant with the nearest same face. */
export function restoreNames(db: Db, sessionId: number, named: ReturnType<typeof namedFaces>): void {
  const taken = new Set<number>();
  for (const old of named) {
    let best: { number: number; distance: number } | null = null;
    for (const p of listParticipants(db, sessionId)) {
      if (taken.has(p.number) || !p.embedding || p.embedding.model !== old.embedding!.model) continue;
      const distance = descriptorDistance(p.embedding.vector, old.embedding!.vector);
      if (distance < SAME_FACE_BELOW && (!best || distance < best.distance)) best = { number: p.number, distance };
    }
    if (!best) continue;
    taken.add(best.number);
    if (old.name !== null) setParticipantName(db, sessionId, best.number, old.name);
    if (old.isClient) setClientParticipant(db, sessionId, best.number);
  }
}
