import { EMOTION_LABELS } from '../contract/shared/labels.js';
import { blobToTimes, readFrameTimes, snapPoints, snapToPoints, timesToBlob, type FrameTimes } from '../analysis/media/frame-times.js';
import type { ResolvedFfmpeg } from '../analysis/media/ffmpeg-path.js';
import type { Db } from './db.js';
import { describedParticipant, listParticipants } from './participants-repo.js';
import { getFrames, getSession, getSessionModels, getWindows } from './sessions-repo.js';

/**
 * Annotation tracks: per session and annotator, segments [start, end) in seconds with labels from a
 * label scheme. The one writer of annotation_* tables. Every edit runs in its own transaction, checks
 * that segments never overlap within a track, snaps edges to the recording's real frame times when they
 * are stored (media_frame_times), and is logged so undo/redo work across restarts.
 */

export const DEFAULT_SCHEME_NAME = 'affect-8';

/**
 * Annotator names of the model's own estimates (read-only tracks): `model-face`, `model-voice`, `model-fused` are those
 * of the participant the session's summary describes (the client, else participant 1); `model-face-p2` … those of
 * participant 2, and so on.
 */
export const MODEL_TRACKS = ['model-face', 'model-voice', 'model-fused'] as const;
export type ModelTrackKind = (typeof MODEL_TRACKS)[number] | `${(typeof MODEL_TRACKS)[number]}-p${number}`;
const MODEL_TRACK_NAME = /^model-(face|voice|fused)(?:-p([1-9]\d{0,3}))?$/;
export const isModelTrackKind = (name: string): name is ModelTrackKind => MODEL_TRACK_NAME.test(name);

/** Which estimate a model track name stands for, and whose (null: the participant the summary describes). */
export function parseModelTrack(name: ModelTrackKind): { kind: 'face' | 'voice' | 'fused'; participant: number | null } {
  const m = MODEL_TRACK_NAME.exec(name)!;
  return { kind: m[1] as 'face' | 'voice' | 'fused', participant: m[2] ? Number(m[2]) : null };
}

/** The session has this model track (its participant exists). */
export function hasModelTrack(db: Db, sessionId: number, name: string): boolean {
  if (!isModelTrackKind(name)) return false;
  const { participant } = parseModelTrack(name);
  const people = listParticipants(db, sessionId);
  return participant === null ? true : people.some((p) => p.number === participant);
}

/**
 * The model tracks a session has: the three of its one participant (unsuffixed names, as before participants), or,
 * with several participants, each participant's face (if seen), voice (if heard) and fused tracks.
 */
export function modelTrackNames(db: Db, sessionId: number): ModelTrackKind[] {
  const people = listParticipants(db, sessionId);
  if (people.length <= 1) return [...MODEL_TRACKS];
  return people.flatMap((p) => [
    ...(p.face ? [`model-face-p${p.number}` as const] : []),
    ...(p.voice ? [`model-voice-p${p.number}` as const] : []),
    `model-fused-p${p.number}` as const,
  ]);
}

export interface LabelScheme {
  id: number;
  name: string;
  labels: string[];
}

export interface AnnotationTrack {
  id: number;
  sessionId: number;
  annotator: string;
  scheme: LabelScheme;
  source: 'human' | 'model' | 'import';
  readOnly: boolean;
  createdAt: string;
}

export interface Segment {
  id: number;
  trackId: number;
  start: number;
  end: number;
  label: string;
}

/** A segment without identity: what exports, imports and agreement work with. */
export interface Span {
  start: number;
  end: number;
  label: string;
}

export interface AnnotationEdit {
  id: number;
  trackId: number;
  op: string;
  before: Segment[];
  after: Segment[];
  undone: boolean;
  createdAt: string;
}

export class AnnotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnnotationError';
  }
}

// ---------------------------------------------------------------- label schemes

const schemeFromRow = (r: { id: number; name: string; labels: string }): LabelScheme => ({
  id: r.id,
  name: r.name,
  labels: JSON.parse(r.labels) as string[],
});

export function listLabelSchemes(db: Db): LabelScheme[] {
  return (db.prepare('SELECT id, name, labels FROM label_schemes ORDER BY id').all() as Array<{ id: number; name: string; labels: string }>).map(
    schemeFromRow,
  );
}

export function getLabelScheme(db: Db, ref: number | string): LabelScheme | undefined {
  const row = db.prepare(`SELECT id, name, labels FROM label_schemes WHERE ${typeof ref === 'number' ? 'id' : 'name'} = ?`).get(ref) as
    { id: number; name: string; labels: string } | undefined;
  return row && schemeFromRow(row);
}

/**
 * The scheme with this name, created when missing. Labels must be non-empty, distinct strings without
 * surrounding white space. An existing scheme with other labels is an error (schemes are not edited in
 * place: segments refer to their labels).
 */
export function ensureLabelScheme(db: Db, name: string, labels: readonly string[]): LabelScheme {
  if (!name.trim()) throw new AnnotationError('a label scheme needs a name');
  if (labels.length === 0) throw new AnnotationError(`label scheme "${name}" needs at least one label`);
  for (const l of labels)
    if (!l || l.trim() !== l) throw new AnnotationError(`label scheme "${name}": label ${JSON.stringify(l)} is empty or has surrounding white space`);
  if (new Set(labels).size !== labels.length) throw new AnnotationError(`label scheme "${name}": labels must be distinct`);
  const existing = getLabelScheme(db, name);
  if (existing) {
    if (JSON.stringify(existing.labels) !== JSON.stringify(labels))
      throw new AnnotationError(`label scheme "${name}" already exists with other labels`);
    return existing;
  }
  const id = Number(db.prepare('INSERT INTO label_schemes (name, labels) VALUES (?, ?)').run(name, JSON.stringify(labels)).lastInsertRowid);
  return getLabelScheme(db, id)!;
}

// ---------------------------------------------------------------- frame times

export interface StoredFrameTimes extends FrameTimes {
  mediaId: number;
}

function mediaOf(db: Db, sessionId: number): { mediaId: number; path: string; durationS: number } {
  const row = db
    .prepare('SELECT m.id AS mediaId, m.path, m.duration_s AS durationS FROM sessions s JOIN media m ON m.id = s.media_id WHERE s.id = ?')
    .get(sessionId) as { mediaId: number; path: string; durationS: number } | undefined;
  if (!row) throw new AnnotationError(`no session with id ${sessionId}`);
  return row;
}

export function getFrameTimes(db: Db, sessionId: number): StoredFrameTimes | null {
  const { mediaId } = mediaOf(db, sessionId);
  const row = db.prepare('SELECT times, end_s AS endS, method FROM media_frame_times WHERE media_id = ?').get(mediaId) as
    { times: Buffer; endS: number; method: string } | undefined;
  return row ? { mediaId, times: blobToTimes(row.times), endS: row.endS, method: row.method } : null;
}

export function storeFrameTimes(db: Db, sessionId: number, ft: FrameTimes): void {
  const { mediaId } = mediaOf(db, sessionId);
  db.prepare(
    `INSERT INTO media_frame_times (media_id, times, end_s, method) VALUES (?, ?, ?, ?)
     ON CONFLICT (media_id) DO UPDATE SET times = excluded.times, end_s = excluded.end_s, method = excluded.method`,
  ).run(mediaId, timesToBlob(ft.times), ft.endS, ft.method);
}

/**
 * The session's frame times, read from the recording with ffprobe and stored the first time.
 * Null for a recording without video (edges are then not snapped).
 */
export async function ensureFrameTimes(
  db: Db,
  sessionId: number,
  ff: Pick<ResolvedFfmpeg, 'ffprobe'>,
  signal?: AbortSignal,
): Promise<StoredFrameTimes | null> {
  const stored = getFrameTimes(db, sessionId);
  if (stored) return stored;
  const media = db.prepare('SELECT m.video_codec AS videoCodec FROM sessions s JOIN media m ON m.id = s.media_id WHERE s.id = ?').get(sessionId) as {
    videoCodec: string | null;
  };
  if (media.videoCodec === null) return null;
  const ft = await readFrameTimes(mediaOf(db, sessionId).path, ff, { signal });
  storeFrameTimes(db, sessionId, ft);
  return getFrameTimes(db, sessionId);
}

// ---------------------------------------------------------------- tracks

interface TrackRow {
  id: number;
  session_id: number;
  annotator: string;
  scheme_id: number;
  source: AnnotationTrack['source'];
  read_only: number;
  created_at: string;
}

function trackFromRow(db: Db, r: TrackRow): AnnotationTrack {
  return {
    id: r.id,
    sessionId: r.session_id,
    annotator: r.annotator,
    scheme: getLabelScheme(db, r.scheme_id)!,
    source: r.source,
    readOnly: r.read_only === 1,
    createdAt: r.created_at,
  };
}

export interface CreateTrackInput {
  sessionId: number;
  annotator: string;
  /** Scheme id or name; default: the project's eight labels. */
  scheme?: number | string;
  source?: AnnotationTrack['source'];
  readOnly?: boolean;
}

export function createTrack(db: Db, input: CreateTrackInput): AnnotationTrack {
  const annotator = input.annotator.trim();
  if (!annotator) throw new AnnotationError('an annotation track needs an annotator name');
  if (isModelTrackKind(annotator) && input.source !== 'model') throw new AnnotationError(`"${annotator}" is reserved for the model's own estimates`);
  const scheme = getLabelScheme(db, input.scheme ?? DEFAULT_SCHEME_NAME);
  if (!scheme) throw new AnnotationError(`no label scheme ${JSON.stringify(input.scheme)}`);
  if (!getSession(db, input.sessionId)) throw new AnnotationError(`no session with id ${input.sessionId}`);
  if (findTrack(db, input.sessionId, annotator)) throw new AnnotationError(`session ${input.sessionId} already has a track by "${annotator}"`);
  const id = Number(
    db
      .prepare('INSERT INTO annotation_tracks (session_id, annotator, scheme_id, source, read_only) VALUES (?, ?, ?, ?, ?)')
      .run(input.sessionId, annotator, scheme.id, input.source ?? 'human', input.readOnly ? 1 : 0).lastInsertRowid,
  );
  return getTrack(db, id)!;
}

export function getTrack(db: Db, id: number): AnnotationTrack | undefined {
  const row = db.prepare('SELECT * FROM annotation_tracks WHERE id = ?').get(id) as TrackRow | undefined;
  return row && trackFromRow(db, row);
}

export function findTrack(db: Db, sessionId: number, annotator: string): AnnotationTrack | undefined {
  const row = db.prepare('SELECT * FROM annotation_tracks WHERE session_id = ? AND annotator = ?').get(sessionId, annotator.trim()) as
    TrackRow | undefined;
  return row && trackFromRow(db, row);
}

export function listTracks(db: Db, sessionId: number): AnnotationTrack[] {
  return (db.prepare('SELECT * FROM annotation_tracks WHERE session_id = ? ORDER BY id').all(sessionId) as TrackRow[]).map((r) =>
    trackFromRow(db, r),
  );
}

/** Deletes a track with its segments and edit log. */
export function deleteTrack(db: Db, id: number): void {
  if (db.prepare('DELETE FROM annotation_tracks WHERE id = ?').run(id).changes !== 1) throw new AnnotationError(`no annotation track with id ${id}`);
}

export function listSegments(db: Db, trackId: number): Segment[] {
  return db
    .prepare('SELECT id, track_id AS trackId, start_s AS start, end_s AS end, label FROM annotation_segments WHERE track_id = ? ORDER BY start_s')
    .all(trackId) as Segment[];
}

export function getSegment(db: Db, id: number): Segment | undefined {
  return db.prepare('SELECT id, track_id AS trackId, start_s AS start, end_s AS end, label FROM annotation_segments WHERE id = ?').get(id) as
    Segment | undefined;
}

// ---------------------------------------------------------------- edits

interface EditContext {
  track: AnnotationTrack;
  durationS: number;
  points: number[] | null;
}

function editContext(db: Db, trackId: number): EditContext {
  const track = getTrack(db, trackId);
  if (!track) throw new AnnotationError(`no annotation track with id ${trackId}`);
  if (track.readOnly) throw new AnnotationError(`track "${track.annotator}" is read-only (the model's own estimates)`);
  const ft = getFrameTimes(db, track.sessionId);
  return { track, durationS: ft?.endS ?? mediaOf(db, track.sessionId).durationS, points: ft ? snapPoints(ft) : null };
}

/** Snap to the nearest frame edge when frame times are stored; check the range. */
function snap(ctx: EditContext, t: number, what: string): number {
  if (!Number.isFinite(t)) throw new AnnotationError(`${what} must be a finite number of seconds`);
  if (t < 0 || t > ctx.durationS + 1e-6) throw new AnnotationError(`${what} ${t} s is outside the recording (0–${ctx.durationS} s)`);
  return ctx.points ? snapToPoints(t, ctx.points) : t;
}

function checkLabel(ctx: EditContext, label: string): string {
  if (!ctx.track.scheme.labels.includes(label))
    throw new AnnotationError(`label ${JSON.stringify(label)} is not in scheme "${ctx.track.scheme.name}" (${ctx.track.scheme.labels.join(', ')})`);
  return label;
}

function checkSpan(start: number, end: number): void {
  if (!(end > start)) throw new AnnotationError(`a segment must end after it starts (${start}–${end} s, after snapping to frames)`);
}

function assertNoOverlap(db: Db, trackId: number, start: number, end: number, ignore: readonly number[]): void {
  const clash = db
    .prepare(`SELECT id, start_s AS start, end_s AS end, label FROM annotation_segments WHERE track_id = ? AND start_s < ? AND ? < end_s`)
    .all(trackId, end, start) as Segment[];
  const other = clash.find((s) => !ignore.includes(s.id));
  if (other) throw new AnnotationError(`${start}–${end} s overlaps segment ${other.id} (${other.start}–${other.end} s, ${other.label})`);
}

function removeSegments(db: Db, segs: readonly Segment[]): void {
  const del = db.prepare('DELETE FROM annotation_segments WHERE id = ? AND track_id = ? AND start_s = ? AND end_s = ? AND label = ?');
  for (const s of segs)
    if (del.run(s.id, s.trackId, s.start, s.end, s.label).changes !== 1)
      throw new AnnotationError(`segment ${s.id} changed outside the edit history; cannot undo/redo`);
}

function insertSegments(db: Db, segs: ReadonlyArray<Omit<Segment, 'id'> & { id?: number }>): Segment[] {
  const ins = db.prepare('INSERT INTO annotation_segments (id, track_id, start_s, end_s, label) VALUES (?, ?, ?, ?, ?)');
  return segs.map((s) => ({ ...s, id: Number(ins.run(s.id ?? null, s.trackId, s.start, s.end, s.label).lastInsertRowid) }));
}

/** Apply one edit (remove `before`, add `after`) in one transaction and log it; the redo stack is dropped. */
function commitEdit(db: Db, trackId: number, op: string, before: Segment[], after: Array<Omit<Segment, 'id'> & { id?: number }>): Segment[] {
  removeSegments(db, before);
  for (const s of after) assertNoOverlap(db, trackId, s.start, s.end, []);
  const added = insertSegments(db, after);
  db.prepare('DELETE FROM annotation_edits WHERE track_id = ? AND undone = 1').run(trackId);
  db.prepare('INSERT INTO annotation_edits (track_id, op, before, after) VALUES (?, ?, ?, ?)').run(
    trackId,
    op,
    JSON.stringify(before),
    JSON.stringify(added),
  );
  return added;
}

function segmentInEditableTrack(db: Db, segmentId: number): { seg: Segment; ctx: EditContext } {
  const seg = getSegment(db, segmentId);
  if (!seg) throw new AnnotationError(`no annotation segment with id ${segmentId}`);
  return { seg, ctx: editContext(db, seg.trackId) };
}

/** Adds a segment (edges snapped to frames); it must not overlap another. */
export function addSegment(db: Db, trackId: number, span: Span): Segment {
  return db.transaction(() => {
    const ctx = editContext(db, trackId);
    const start = snap(ctx, span.start, 'start');
    const end = snap(ctx, span.end, 'end');
    checkSpan(start, end);
    return commitEdit(db, trackId, 'create', [], [{ trackId, start, end, label: checkLabel(ctx, span.label) }])[0];
  })();
}

/** Splits a segment at `at` (snapped) into two with the same label. */
export function splitSegment(db: Db, segmentId: number, at: number): [Segment, Segment] {
  return db.transaction((): [Segment, Segment] => {
    const { seg, ctx } = segmentInEditableTrack(db, segmentId);
    const t = snap(ctx, at, 'split time');
    if (!(t > seg.start && t < seg.end)) throw new AnnotationError(`split time ${t} s is not inside segment ${seg.id} (${seg.start}–${seg.end} s)`);
    const [a, b] = commitEdit(
      db,
      seg.trackId,
      'split',
      [seg],
      [
        { trackId: seg.trackId, start: seg.start, end: t, label: seg.label },
        { trackId: seg.trackId, start: t, end: seg.end, label: seg.label },
      ],
    );
    return [a, b];
  })();
}

/**
 * Merges two neighbouring segments of one track (no segment between them; a gap between them is
 * filled) into one spanning both, labelled `label` or else the earlier one's label.
 */
export function mergeSegments(db: Db, firstId: number, secondId: number, label?: string): Segment {
  return db.transaction(() => {
    const { seg: x, ctx } = segmentInEditableTrack(db, firstId);
    const y = getSegment(db, secondId);
    if (!y) throw new AnnotationError(`no annotation segment with id ${secondId}`);
    if (y.trackId !== x.trackId) throw new AnnotationError(`segments ${firstId} and ${secondId} are on different tracks`);
    if (x.id === y.id) throw new AnnotationError('cannot merge a segment with itself');
    const [a, b] = x.start < y.start ? [x, y] : [y, x];
    const between = db
      .prepare('SELECT COUNT(*) AS n FROM annotation_segments WHERE track_id = ? AND start_s >= ? AND start_s < ? AND id NOT IN (?, ?)')
      .get(a.trackId, a.end, b.start, a.id, b.id) as {
      n: number;
    };
    if (between.n > 0) throw new AnnotationError(`segments ${firstId} and ${secondId} are not adjacent (another segment lies between them)`);
    return commitEdit(
      db,
      a.trackId,
      'merge',
      [a, b],
      [{ trackId: a.trackId, start: a.start, end: b.end, label: checkLabel(ctx, label ?? a.label) }],
    )[0];
  })();
}

/** Moves a segment's start and/or end (snapped; the segment keeps its id); it must not come to overlap a neighbour. */
export function moveSegmentEdges(db: Db, segmentId: number, edges: { start?: number; end?: number }): Segment {
  return db.transaction(() => {
    const { seg, ctx } = segmentInEditableTrack(db, segmentId);
    const start = edges.start === undefined ? seg.start : snap(ctx, edges.start, 'start');
    const end = edges.end === undefined ? seg.end : snap(ctx, edges.end, 'end');
    checkSpan(start, end);
    if (start === seg.start && end === seg.end) return seg;
    assertNoOverlap(db, seg.trackId, start, end, [seg.id]);
    return commitEdit(db, seg.trackId, 'move', [seg], [{ id: seg.id, trackId: seg.trackId, start, end, label: seg.label }])[0];
  })();
}

export function relabelSegment(db: Db, segmentId: number, label: string): Segment {
  return db.transaction(() => {
    const { seg, ctx } = segmentInEditableTrack(db, segmentId);
    checkLabel(ctx, label);
    if (label === seg.label) return seg;
    return commitEdit(db, seg.trackId, 'relabel', [seg], [{ id: seg.id, trackId: seg.trackId, start: seg.start, end: seg.end, label }])[0];
  })();
}

export function deleteSegment(db: Db, segmentId: number): void {
  db.transaction(() => {
    const { seg } = segmentInEditableTrack(db, segmentId);
    commitEdit(db, seg.trackId, 'delete', [seg], []);
  })();
}

interface EditRow {
  id: number;
  track_id: number;
  op: string;
  before: string;
  after: string;
  undone: number;
  created_at: string;
}

const editFromRow = (r: EditRow): AnnotationEdit => ({
  id: r.id,
  trackId: r.track_id,
  op: r.op,
  before: JSON.parse(r.before) as Segment[],
  after: JSON.parse(r.after) as Segment[],
  undone: r.undone === 1,
  createdAt: r.created_at,
});

/** A track's edit log, oldest first (undone edits included, flagged). */
export function listEdits(db: Db, trackId: number): AnnotationEdit[] {
  return (db.prepare('SELECT * FROM annotation_edits WHERE track_id = ? ORDER BY id').all(trackId) as EditRow[]).map(editFromRow);
}

/** Undoes the track's latest edit that is not undone; returns it, or null when there is nothing to undo. */
export function undo(db: Db, trackId: number): AnnotationEdit | null {
  return replay(db, trackId, 'undo');
}

/** Redoes the earliest undone edit; returns it, or null when there is nothing to redo. */
export function redo(db: Db, trackId: number): AnnotationEdit | null {
  return replay(db, trackId, 'redo');
}

/** Undo swaps an edit's `after` segments back to its `before` ones; redo swaps them forward again. */
function replay(db: Db, trackId: number, direction: 'undo' | 'redo'): AnnotationEdit | null {
  const undoing = direction === 'undo';
  return db.transaction(() => {
    editContext(db, trackId);
    const row = db
      .prepare(`SELECT * FROM annotation_edits WHERE track_id = ? AND undone = ? ORDER BY id ${undoing ? 'DESC' : ''} LIMIT 1`)
      .get(trackId, undoing ? 0 : 1) as EditRow | undefined;
    if (!row) return null;
    const edit = editFromRow(row);
    removeSegments(db, undoing ? edit.after : edit.before);
    insertSegments(db, undoing ? edit.before : edit.after);
    db.prepare('UPDATE annotation_edits SET undone = ? WHERE id = ?').run(undoing ? 1 : 0, edit.id);
    return { ...edit, undone: undoing };
  })();
}

// ---------------------------------------------------------------- bulk (imports, model tracks)

/** Throws unless spans are well-formed, in the scheme, and pairwise non-overlapping. Returns them sorted. */
export function validateSpans(spans: readonly Span[], scheme: LabelScheme): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  sorted.forEach((s, i) => {
    if (!Number.isFinite(s.start) || !Number.isFinite(s.end) || s.start < 0 || !(s.end > s.start))
      throw new AnnotationError(`bad segment ${s.start}–${s.end} s`);
    if (!scheme.labels.includes(s.label)) throw new AnnotationError(`label ${JSON.stringify(s.label)} is not in scheme "${scheme.name}"`);
    if (i > 0 && sorted[i - 1].end > s.start)
      throw new AnnotationError(`segments ${sorted[i - 1].start}–${sorted[i - 1].end} s and ${s.start}–${s.end} s overlap`);
  });
  return sorted;
}

/**
 * Creates a track holding these spans, in one transaction (no edit-log entry: undo starts from here).
 * Used by imports and model tracks; spans are stored exactly as given (not snapped).
 */
export function createTrackWithSegments(db: Db, input: CreateTrackInput, spans: readonly Span[]): AnnotationTrack {
  return db.transaction(() => {
    const track = createTrack(db, input);
    insertSegments(
      db,
      validateSpans(spans, track.scheme).map((s) => ({ trackId: track.id, start: s.start, end: s.end, label: s.label })),
    );
    return track;
  })();
}

// ---------------------------------------------------------------- the model's own estimates as segments

interface TimedLabel {
  start: number;
  end: number;
  label: string | null;
}

/** Joins consecutive spans with the same label that touch; unlabelled spans become gaps. */
export function mergeRuns(items: readonly TimedLabel[]): Span[] {
  const out: Span[] = [];
  for (const it of items) {
    if (it.label === null || !(it.end > it.start)) continue;
    const last = out[out.length - 1];
    if (last && last.label === it.label && Math.abs(last.end - it.start) < 1e-9) last.end = it.end;
    else out.push({ start: it.start, end: it.end, label: it.label });
  }
  return out;
}

/** Each sample time holds until the next one; the last holds for the median step (clipped to the end). */
function holdSpans(times: readonly number[], endS: number): Array<[number, number]> {
  const steps = times
    .slice(1)
    .map((t, i) => t - times[i])
    .sort((a, b) => a - b);
  const step = steps.length ? steps[steps.length >> 1] : endS - (times[0] ?? 0);
  return times.map((t, i) => [t, i + 1 < times.length ? times[i + 1] : Math.min(endS, t + step)]);
}

/** Voice windows overlap (3 s, 1 s hop): each window owns the time nearest its centre. */
function windowSpans(windows: ReadonlyArray<{ startS: number; endS: number }>): Array<[number, number]> {
  const c = windows.map((w) => (w.startS + w.endS) / 2);
  return windows.map((w, i) => [
    i === 0 ? w.startS : Math.max(w.startS, (c[i - 1] + c[i]) / 2),
    i + 1 === windows.length ? w.endS : Math.min(w.endS, (c[i] + c[i + 1]) / 2),
  ]);
}

/**
 * One participant's model estimates as segments (see MODEL_TRACKS for the names): `model-face` (each analysed frame holds until
 * the next), `model-voice` (each window owns the time nearest its centre), `model-fused` (at each frame
 * time, the weighted mean of face and covering voice-window probabilities, the rule of the summary and
 * the review timeline). Frames/windows without a label (no face, unvoiced, abstained) are gaps.
 */
export function modelSpans(db: Db, sessionId: number, name: ModelTrackKind): Span[] {
  const session = getSession(db, sessionId);
  if (!session) throw new AnnotationError(`no session with id ${sessionId}`);
  const { kind, participant: given } = parseModelTrack(name);
  const participant = given ?? describedParticipant(db, sessionId);
  if (participant === null) return [];
  if (given !== null && !listParticipants(db, sessionId).some((p) => p.number === given))
    throw new AnnotationError(`session ${sessionId} has no participant ${given}`);
  const frames = getFrames(db, sessionId, participant);
  const windows = getWindows(db, sessionId, participant);
  const endS = session.durationS;
  if (kind === 'face') {
    const spans = holdSpans(
      frames.map((f) => f.timeS),
      endS,
    );
    return mergeRuns(frames.map((f, i) => ({ start: spans[i][0], end: spans[i][1], label: f.label })));
  }
  const wSpans = windowSpans(windows);
  if (kind === 'voice') return mergeRuns(windows.map((w, i) => ({ start: wSpans[i][0], end: wSpans[i][1], label: w.label })));
  const models = getSessionModels(db, sessionId);
  const faceLabels = models.find((m) => m.role === 'face-expression')?.labels ?? [];
  const voiceLabels = models.find((m) => m.role === 'voice-emotion')?.labels ?? [];
  const wFace = session.summary.fused.weights?.face ?? 1;
  const wVoice = session.summary.fused.weights?.voice ?? 1;
  const fusedAt = (t: number, faceProbs: Float32Array | null): string | null => {
    const probs = new Map<string, number>();
    let total = 0;
    if (faceProbs) {
      faceProbs.forEach((p, k) => probs.set(faceLabels[k], (probs.get(faceLabels[k]) ?? 0) + p * wFace));
      total += wFace;
    }
    const covering = windows.filter((w) => w.probs && w.label !== null && w.startS <= t && t < w.endS); // uncertain windows take no part
    for (const w of covering)
      w.probs!.forEach((p, k) => probs.set(voiceLabels[k], (probs.get(voiceLabels[k]) ?? 0) + (p * wVoice) / covering.length));
    if (covering.length) total += wVoice;
    if (total === 0) return null;
    let best: string | null = null;
    for (const l of EMOTION_LABELS) if (probs.has(l) && (best === null || probs.get(l)! > probs.get(best)!)) best = l;
    return best;
  };
  if (frames.length > 0) {
    const spans = holdSpans(
      frames.map((f) => f.timeS),
      endS,
    );
    return mergeRuns(frames.map((f, i) => ({ start: spans[i][0], end: spans[i][1], label: fusedAt(f.timeS, f.probs) })));
  }
  return mergeRuns(windows.map((w, i) => ({ start: wSpans[i][0], end: wSpans[i][1], label: fusedAt((w.startS + w.endS) / 2, null) })));
}

/** Stores (or refreshes) the model's estimates as a read-only track named after `kind`. */
export function materialiseModelTrack(db: Db, sessionId: number, kind: ModelTrackKind): AnnotationTrack {
  return db.transaction(() => {
    const old = findTrack(db, sessionId, kind);
    if (old) deleteTrack(db, old.id);
    return createTrackWithSegments(db, { sessionId, annotator: kind, source: 'model', readOnly: true }, modelSpans(db, sessionId, kind));
  })();
}

/** A track's spans by annotator name; model names fall back to the live model estimates when not materialised. */
export function spansFor(db: Db, sessionId: number, annotator: string): Span[] | null {
  const track = findTrack(db, sessionId, annotator);
  if (track) return listSegments(db, track.id).map(({ start, end, label }) => ({ start, end, label }));
  if (isModelTrackKind(annotator)) return modelSpans(db, sessionId, annotator);
  return null;
}
