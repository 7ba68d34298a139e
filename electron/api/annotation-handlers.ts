import { compareTracks, DEFAULT_SLICE_S } from '../analysis/agreement.js';
import { resolveFfmpeg } from '../analysis/media/ffmpeg-path.js';
import { ApiError, type ApiOutput } from '../contract/api.js';
import {
  addSegment,
  AnnotationError,
  createTrack,
  deleteSegment,
  ensureFrameTimes,
  findTrack,
  getSegment,
  getTrack,
  isModelTrackKind,
  listSegments,
  listTracks,
  mergeSegments,
  moveSegmentEdges,
  redo,
  relabelSegment,
  spansFor,
  splitSegment,
  undo,
  type AnnotationTrack,
} from '../store/annotations-repo.js';
import type { Db } from '../store/db.js';
import { getSession } from '../store/sessions-repo.js';

type Track = ApiOutput<'annotations.createTrack'>;

/** Repository errors (overlap, bad label, read-only track…) are the caller's to fix: bad-request. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AnnotationError) throw new ApiError(err.message, 'bad-request');
    throw err;
  }
}

/** Annotation tracks and agreement for the review UI (the same code as `affect agreement`). */
export function annotationHandlers(db: Db) {
  const present = (t: AnnotationTrack): Track => ({
    id: t.id,
    sessionId: t.sessionId,
    annotator: t.annotator,
    labels: t.scheme.labels,
    source: t.source,
    readOnly: t.readOnly,
    segments: listSegments(db, t.id),
  });
  const trackOf = (trackId: number) => {
    const t = getTrack(db, trackId);
    if (!t) throw new ApiError(`no annotation track ${trackId}`, 'not-found');
    return t;
  };
  const segmentOf = (segmentId: number) => {
    const s = getSegment(db, segmentId);
    if (!s) throw new ApiError(`no segment ${segmentId}`, 'not-found');
    return s;
  };
  const session = (id: number) => {
    const s = getSession(db, id);
    if (!s) throw new ApiError(`no session with id ${id}`, 'not-found');
    return s;
  };
  return {
    'annotations.tracks': async (i: { sessionId: number }) => {
      session(i.sessionId);
      let frameTimes = null;
      try {
        const ft = await ensureFrameTimes(db, i.sessionId, resolveFfmpeg());
        frameTimes = ft ? { count: ft.times.length, endS: ft.endS } : null;
      } catch {
        frameTimes = null; // the recording moved or has no video: edges are then not snapped
      }
      return { tracks: listTracks(db, i.sessionId).map(present), frameTimes };
    },
    'annotations.createTrack': (i: { sessionId: number; annotator: string }) => {
      session(i.sessionId);
      if (isModelTrackKind(i.annotator)) throw new ApiError(`"${i.annotator}" is reserved for the model's own estimates`, 'bad-request');
      if (findTrack(db, i.sessionId, i.annotator))
        throw new ApiError(`session ${i.sessionId} already has a track by "${i.annotator}"`, 'bad-request');
      return present(guard(() => createTrack(db, { sessionId: i.sessionId, annotator: i.annotator })));
    },
    'annotations.add': (i: { trackId: number; start: number; end: number; label: string }) => guard(() => addSegment(db, trackOf(i.trackId).id, i)),
    'annotations.split': (i: { segmentId: number; at: number }) => guard(() => splitSegment(db, segmentOf(i.segmentId).id, i.at)),
    'annotations.merge': (i: { firstId: number; secondId: number }) =>
      guard(() => mergeSegments(db, segmentOf(i.firstId).id, segmentOf(i.secondId).id)),
    'annotations.move': (i: { segmentId: number; start?: number; end?: number }) => guard(() => moveSegmentEdges(db, segmentOf(i.segmentId).id, i)),
    'annotations.relabel': (i: { segmentId: number; label: string }) => guard(() => relabelSegment(db, segmentOf(i.segmentId).id, i.label)),
    'annotations.delete': (i: { segmentId: number }) => (guard(() => deleteSegment(db, segmentOf(i.segmentId).id)), { ok: true as const }),
    'annotations.undo': (i: { trackId: number }) => (guard(() => undo(db, trackOf(i.trackId).id)), present(trackOf(i.trackId))),
    'annotations.redo': (i: { trackId: number }) => (guard(() => redo(db, trackOf(i.trackId).id)), present(trackOf(i.trackId))),
    'agreement.session': (i: { sessionId: number; a: string; b: string; sliceS?: number }) => {
      const s = session(i.sessionId);
      const [a, b] = [spansFor(db, i.sessionId, i.a), spansFor(db, i.sessionId, i.b)];
      if (!a) throw new ApiError(`session ${i.sessionId} has no track by "${i.a}"`, 'not-found');
      if (!b) throw new ApiError(`session ${i.sessionId} has no track by "${i.b}"`, 'not-found');
      return compareTracks(a, b, { durationS: s.durationS, sliceS: i.sliceS ?? DEFAULT_SLICE_S });
    },
  };
}
