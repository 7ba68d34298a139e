import path from 'node:path';
import type { PreparedTranscript } from '../analysis/transcript/prepare.js';
import { mapSpeakersToParticipants, type MappingTurn } from '../analysis/transcript/speaker-mapping.js';
import type { TranscriptFormat } from '../analysis/transcript/cue.js';
import { blobToProbs, probsToBlob } from './blob.js';
import type { Db } from './db.js';
import { upsertModel } from './sessions-repo.js';

/**
 * Transcripts of stored sessions (migration 010_transcripts): one per session, its speakers (with the user's names
 * and the participants they are mapped to) and its cues with their text estimates; the FTS5 search over the cues.
 * The one writer of those tables. Every write is one transaction.
 */

export interface StoredSpeaker {
  id: number;
  /** The name as the file gives it. */
  label: string;
  /** The user's correction (null: the file's name stands). */
  name: string | null;
  participant: number | null;
  mapping: 'auto' | 'user' | null;
  mappingScore: number | null;
}

export interface StoredCue {
  id: number;
  seq: number;
  startS: number;
  endS: number;
  speakerId: number | null;
  text: string;
  line: number | null;
  label: string | null;
  top: string | null;
  confidence: number | null;
  probs: Float32Array | null;
  participant: number | null;
}

export interface StoredTranscript {
  id: number;
  sessionId: number;
  format: TranscriptFormat;
  fileName: string;
  encoding: string;
  sha256: string;
  importedAt: string;
  warnings: string[];
  /** The text model that estimated the cues (labels: its output order, as in each cue's probs). */
  model: { id: string; version: string; sha256: string; labels: string[] } | null;
  speakers: StoredSpeaker[];
  cues: StoredCue[];
}

export class TranscriptExistsError extends Error {
  constructor(
    readonly sessionId: number,
    readonly fileName: string,
  ) {
    super(`session ${sessionId} already has a transcript (${fileName}); replace it to attach another`);
    this.name = 'TranscriptExistsError';
  }
}

export class TranscriptStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TranscriptStoreError';
  }
}

const sessionExists = (db: Db, sessionId: number) => db.prepare('SELECT 1 FROM sessions WHERE id = ?').get(sessionId) !== undefined;

function transcriptRow(db: Db, sessionId: number) {
  return db.prepare('SELECT id, file_name AS fileName FROM transcripts WHERE session_id = ?').get(sessionId) as
    { id: number; fileName: string } | undefined;
}

/**
 * Store a prepared transcript for a session in ONE transaction: the transcript, its speakers and its cues (the search
 * index follows by trigger), all or nothing. A session that has one already keeps it unless `replace` is set; a
 * replaced transcript's speaker names and hand-made mappings carry over to the speakers of the same name. Speakers and
 * unnamed cues are mapped to participants by overlap with `turns` (the session's diarized speech) where the evidence is
 * strong (speaker-mapping.ts). Called inside a caller's transaction, it joins it.
 */
export function saveTranscript(
  db: Db,
  sessionId: number,
  p: PreparedTranscript,
  opts: { replace?: boolean; turns?: readonly MappingTurn[] } = {},
): { transcriptId: number; replaced: boolean } {
  const write = db.transaction(() => {
    if (!sessionExists(db, sessionId)) throw new TranscriptStoreError(`no session with id ${sessionId}`);
    const existing = transcriptRow(db, sessionId);
    if (existing && !opts.replace) throw new TranscriptExistsError(sessionId, existing.fileName);
    const carried = new Map<string, Pick<StoredSpeaker, 'name' | 'participant' | 'mapping'>>();
    if (existing) {
      for (const s of speakersOf(db, existing.id))
        carried.set(s.label, {
          name: s.name,
          participant: s.mapping === 'user' ? s.participant : null,
          mapping: s.mapping === 'user' ? 'user' : null,
        });
      db.prepare('DELETE FROM transcripts WHERE id = ?').run(existing.id);
    }
    const { transcript: t } = p;
    if (p.estimates && p.estimates.length !== t.cues.length) throw new Error(`${t.cues.length} cues but ${p.estimates.length} estimates`);
    const modelId = p.model ? upsertModel(db, p.model) : null;
    const transcriptId = Number(
      db
        .prepare('INSERT INTO transcripts (session_id, format, file_name, encoding, sha256, text_model_id, warnings) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(sessionId, t.format, path.basename(p.fileName), t.encoding, p.sha256, modelId, JSON.stringify(t.warnings)).lastInsertRowid,
    );
    const mapping = mapSpeakersToParticipants(t.cues, opts.turns ?? []);
    const insertSpeaker = db.prepare(
      'INSERT INTO transcript_speakers (transcript_id, label, name, participant, mapping, mapping_score) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const speakerIds = new Map<string, { id: number; participant: number | null }>();
    for (const label of t.speakers) {
      const kept = carried.get(label);
      const auto = mapping.speakers.find((m) => m.speaker === label);
      const byUser = kept?.mapping === 'user';
      const participant = byUser ? kept!.participant : (auto?.participant ?? null);
      const id = Number(
        insertSpeaker.run(
          transcriptId,
          label,
          kept?.name ?? null,
          participant,
          byUser ? 'user' : participant !== null ? 'auto' : null,
          !byUser && participant !== null ? auto!.score : null,
        ).lastInsertRowid,
      );
      speakerIds.set(label, { id, participant });
    }
    const unnamed = new Map(mapping.unnamedCues.map((c) => [c.cue, c.participant]));
    const insertCue = db.prepare(
      'INSERT INTO transcript_cues (transcript_id, seq, start_s, end_s, speaker_id, text, source_line, label, top, confidence, probs, participant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    t.cues.forEach((c, i) => {
      const e = p.estimates?.[i] ?? null;
      const speaker = c.speaker === null ? null : speakerIds.get(c.speaker)!;
      insertCue.run(
        transcriptId,
        i,
        c.startS,
        c.endS,
        speaker?.id ?? null,
        c.text,
        c.line,
        e?.label ?? null,
        e?.top ?? null,
        e && e.probabilities ? e.confidence : null,
        probsToBlob(e?.probabilities ?? null),
        speaker ? speaker.participant : (unnamed.get(i) ?? null),
      );
    });
    return { transcriptId, replaced: existing !== undefined };
  });
  return db.inTransaction ? write() : write.immediate();
}

function speakersOf(db: Db, transcriptId: number): StoredSpeaker[] {
  return db
    .prepare(
      'SELECT id, label, name, participant, mapping, mapping_score AS mappingScore FROM transcript_speakers WHERE transcript_id = ? ORDER BY id',
    )
    .all(transcriptId) as StoredSpeaker[];
}

type CueRow = Omit<StoredCue, 'probs'> & { probs: Buffer | null };

/** A session's transcript with its speakers and cues (in time order), or null when it has none. */
export function getTranscript(db: Db, sessionId: number): StoredTranscript | null {
  const row = db
    .prepare(
      `SELECT t.id, t.session_id AS sessionId, t.format, t.file_name AS fileName, t.encoding, t.sha256, t.imported_at AS importedAt, t.warnings,
              m.model_id AS modelId, m.version AS modelVersion, m.sha256 AS modelSha256, m.labels AS modelLabels
       FROM transcripts t LEFT JOIN models m ON m.id = t.text_model_id WHERE t.session_id = ?`,
    )
    .get(sessionId) as
    | (Omit<StoredTranscript, 'warnings' | 'model' | 'speakers' | 'cues'> & {
        warnings: string;
        modelId: string | null;
        modelVersion: string;
        modelSha256: string;
        modelLabels: string;
      })
    | undefined;
  if (!row) return null;
  const cues = (
    db
      .prepare(
        `SELECT id, seq, start_s AS startS, end_s AS endS, speaker_id AS speakerId, text, source_line AS line, label, top, confidence, probs, participant
         FROM transcript_cues WHERE transcript_id = ? ORDER BY seq`,
      )
      .all(row.id) as CueRow[]
  ).map((c) => ({ ...c, probs: blobToProbs(c.probs) }));
  return {
    id: row.id,
    sessionId: row.sessionId,
    format: row.format,
    fileName: row.fileName,
    encoding: row.encoding,
    sha256: row.sha256,
    importedAt: row.importedAt,
    warnings: JSON.parse(row.warnings) as string[],
    model: row.modelId
      ? { id: row.modelId, version: row.modelVersion, sha256: row.modelSha256, labels: JSON.parse(row.modelLabels) as string[] }
      : null,
    speakers: speakersOf(db, row.id),
    cues,
  };
}

/** The session a transcript speaker belongs to (throws TranscriptStoreError for an unknown speaker). */
export function sessionOfSpeaker(db: Db, speakerId: number): number {
  const r = db
    .prepare('SELECT t.session_id AS sessionId FROM transcript_speakers s JOIN transcripts t ON t.id = s.transcript_id WHERE s.id = ?')
    .get(speakerId) as { sessionId: number } | undefined;
  if (!r) throw new TranscriptStoreError(`no transcript speaker with id ${speakerId}`);
  return r.sessionId;
}

/** The user's name for a speaker (null: back to the file's name). */
export function renameSpeaker(db: Db, speakerId: number, name: string | null): void {
  sessionOfSpeaker(db, speakerId);
  db.prepare('UPDATE transcript_speakers SET name = ? WHERE id = ?').run(name === null || name.trim() === '' ? null : name.trim(), speakerId);
}

/**
 * The user maps a speaker to a participant (null: this speaker is nobody in the recording), in one transaction with
 * the speaker's cues. A hand-made mapping is never changed by a later automatic one.
 */
export function mapSpeaker(db: Db, speakerId: number, participant: number | null): void {
  sessionOfSpeaker(db, speakerId);
  db.transaction(() => {
    db.prepare("UPDATE transcript_speakers SET participant = ?, mapping = 'user', mapping_score = NULL WHERE id = ?").run(participant, speakerId);
    db.prepare('UPDATE transcript_cues SET participant = ? WHERE speaker_id = ?').run(participant, speakerId);
  }).immediate();
}

/**
 * Map the speakers again from the session's speech turns (after its participants changed): automatic mappings are
 * replaced, hand-made ones kept. One transaction. Returns how many speakers are mapped now.
 */
export function remapTranscript(db: Db, sessionId: number, turns: readonly MappingTurn[]): number {
  const t = getTranscript(db, sessionId);
  if (!t) return 0;
  return db
    .transaction(() => {
      const label = new Map(t.speakers.map((s) => [s.id, s.label]));
      const mapping = mapSpeakersToParticipants(
        t.cues.map((c) => ({ startS: c.startS, endS: c.endS, speaker: c.speakerId === null ? null : label.get(c.speakerId)! })),
        turns,
      );
      const setSpeaker = db.prepare('UPDATE transcript_speakers SET participant = ?, mapping = ?, mapping_score = ? WHERE id = ?');
      const setCues = db.prepare('UPDATE transcript_cues SET participant = ? WHERE speaker_id = ?');
      let mapped = 0;
      for (const s of t.speakers) {
        if (s.mapping === 'user') {
          if (s.participant !== null) mapped++;
          continue;
        }
        const m = mapping.speakers.find((x) => x.speaker === s.label)!;
        setSpeaker.run(m.participant, m.participant === null ? null : 'auto', m.participant === null ? null : m.score, s.id);
        setCues.run(m.participant, s.id);
        if (m.participant !== null) mapped++;
      }
      const setCue = db.prepare('UPDATE transcript_cues SET participant = ? WHERE id = ?');
      for (const c of mapping.unnamedCues) setCue.run(c.participant, t.cues[c.cue].id);
      return mapped;
    })
    .immediate();
}

/**
 * Rewrite the search index as one segment without the terms of deleted cues (FTS5 keeps them in older segments
 * until a merge): run after removing or erasing transcripts, before VACUUM.
 */
export function optimizeTranscriptSearch(db: Db): void {
  db.prepare("INSERT INTO transcript_search (transcript_search) VALUES ('optimize')").run();
}

/** Remove a session's transcript (its words leave the search index too). Returns how many cues went; 0 without one. */
export function removeTranscript(db: Db, sessionId: number): number {
  return db
    .transaction(() => {
      const row = transcriptRow(db, sessionId);
      if (!row) return 0;
      const n = (db.prepare('SELECT count(*) AS n FROM transcript_cues WHERE transcript_id = ?').get(row.id) as { n: number }).n;
      db.prepare('DELETE FROM transcripts WHERE id = ?').run(row.id);
      optimizeTranscriptSearch(db);
      return n;
    })
    .immediate();
}

/** How many transcripts and cues erasing these sessions removes. */
export function transcriptCounts(db: Db, sessionsSql: string, ...args: unknown[]): { transcripts: number; cues: number } {
  return db
    .prepare(
      `SELECT count(DISTINCT t.id) AS transcripts, count(c.id) AS cues FROM transcripts t LEFT JOIN transcript_cues c ON c.transcript_id = t.id WHERE t.session_id IN (${sessionsSql})`,
    )
    .get(...args) as { transcripts: number; cues: number };
}

// ---- Search ----

export interface SearchHit {
  sessionId: number;
  sessionTitle: string | null;
  /** The recording's file name (base name). */
  recording: string;
  /** The session's recording date, else its analysis date. */
  date: string;
  cueId: number;
  startS: number;
  endS: number;
  speaker: string | null;
  participant: number | null;
  label: string | null;
  /** The cue's text around the matches, in parts; `match` parts are the words that matched. */
  parts: Array<{ text: string; match: boolean }>;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Every matching cue, also those past the limit. */
  total: number;
  /** Sessions with at least one match. */
  sessions: number;
}

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * A person's search words as an FTS5 query: "quoted words" stay a phrase; other words match as prefixes ("sleep" finds
 * "sleeping", "sleepless"), all of them (AND). Only letters and digits reach FTS5, so no input is read as its syntax.
 * Null when there is no word to look for.
 */
export function ftsQuery(input: string): string | null {
  const parts: string[] = [];
  const phrase = /"([^"]*)"/g;
  let rest = input;
  for (const m of input.matchAll(phrase)) {
    const words = m[1].match(WORD);
    if (words) parts.push(`"${words.join(' ')}"`);
  }
  rest = input.replace(phrase, ' ');
  for (const w of rest.match(WORD) ?? []) parts.push(`"${w}"*`);
  return parts.length ? parts.join(' ') : null;
}

const OPEN = '\u0002';
const CLOSE = '\u0003';

function snippetParts(snip: string): SearchHit['parts'] {
  const parts: SearchHit['parts'] = [];
  for (const piece of snip.split(OPEN)) {
    const close = piece.indexOf(CLOSE);
    if (close < 0) {
      if (piece) parts.push({ text: piece, match: false });
      continue;
    }
    parts.push({ text: piece.slice(0, close), match: true });
    if (piece.length > close + 1) parts.push({ text: piece.slice(close + 1), match: false });
  }
  return parts;
}

/**
 * Full-text search over a client's transcripts (FTS5): the matching cues in session order (oldest recording first),
 * then time, at most `limit`.
 */
export function searchTranscripts(db: Db, clientId: number, input: string, { limit = 200 }: { limit?: number } = {}): SearchResult {
  const q = ftsQuery(input);
  if (q === null) return { hits: [], total: 0, sessions: 0 };
  const from = `FROM transcript_search JOIN transcript_cues c ON c.id = transcript_search.rowid
    JOIN transcripts t ON t.id = c.transcript_id JOIN sessions s ON s.id = t.session_id
    WHERE transcript_search MATCH ? AND s.client_id = ?`;
  const rows = db
    .prepare(
      `SELECT s.id AS sessionId, s.title AS sessionTitle, (SELECT path FROM media WHERE id = s.media_id) AS file, COALESCE(s.recorded_at, s.analysed_at) AS date,
              c.id AS cueId, c.start_s AS startS, c.end_s AS endS, c.participant, c.label,
              (SELECT COALESCE(sp.name, sp.label) FROM transcript_speakers sp WHERE sp.id = c.speaker_id) AS speaker,
              snippet(transcript_search, 0, char(2), char(3), '…', 24) AS snip
       ${from} ORDER BY COALESCE(s.recorded_at, s.analysed_at), s.id, c.start_s LIMIT ?`,
    )
    .all(q, clientId, limit) as Array<Omit<SearchHit, 'parts' | 'recording'> & { file: string; snip: string }>;
  const counts = db.prepare(`SELECT count(*) AS total, count(DISTINCT s.id) AS sessions ${from}`).get(q, clientId) as {
    total: number;
    sessions: number;
  };
  return {
    hits: rows.map(({ file, snip, ...r }) => ({ ...r, recording: path.basename(file), parts: snippetParts(snip) })),
    total: counts.total,
    sessions: counts.sessions,
  };
}
