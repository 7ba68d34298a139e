import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiOutput } from '../../../electron/contract/api';
import { api } from '../api';

export type Track = ApiOutput<'annotations.createTrack'>;
type Segment = Track['segments'][number];

export interface AnnotationEditor {
  tracks: Track[];
  track: Track | null;
  setTrackId(id: number | null): void;
  selected: number | null;
  select(id: number | null): void;
  markIn: number | null;
  error: string | null;
  createTrack(annotator: string): Promise<void>;
  /** Fetch the tracks again (after one was erased). */
  reload(): Promise<unknown>;
  /** The review's key handler calls this first for every key; true when the key was an annotation command. */
  handleKey(e: KeyboardEvent, time: number): boolean;
}

export const ANNOTATION_KEYS_HELP =
  'I / O mark in / out at the cursor (a new segment), 1–8 label the selected segment, S split it at the cursor, G merge it with the next, ' +
  ', / . move its start / end to the cursor, N / P next / previous segment, Delete remove, Ctrl+Z undo, Ctrl+Shift+Z redo.';

/** The segment to keep selected after an edit: the one at the cursor, else the nearest after it, else before. */
function segmentNear(segs: readonly Segment[], t: number): Segment | null {
  const sorted = [...segs].sort((a, b) => a.start - b.start);
  return sorted.find((s) => s.start <= t && t < s.end) ?? sorted.find((s) => s.start >= t) ?? sorted[sorted.length - 1] ?? null;
}

/**
 * The researcher's annotation editing: one track per annotator, edited from the keyboard wherever focus is in the
 * review, every edit saved at once (undo/redo survive a restart). A selection is always kept: after a split the part
 * from the cursor on, after a merge the merged segment, after a delete the next one, so the next 1–8 or Delete acts.
 */
export function useAnnotationEditor(sessionId: number, onSeek: (t: number) => void): AnnotationEditor {
  const [tracks, setTracks] = useState<Track[]>([]);
  const [trackId, setTrackId] = useState<number | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [markIn, setMarkIn] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const track = tracks.find((t) => t.id === trackId) ?? null;

  const reload = useCallback(async () => {
    const r = await api.call('annotations.tracks', { sessionId });
    const editable = r.tracks.filter((t) => !t.readOnly);
    setTracks(editable);
    setTrackId((cur) => (cur !== null && editable.some((t) => t.id === cur) ? cur : (editable[0]?.id ?? null)));
    return editable;
  }, [sessionId]);
  useEffect(() => {
    void reload().catch((e: Error) => setError(e.message));
  }, [reload]);

  /** Run an edit, reload, then choose what stays selected from the fresh segments. */
  const act = useCallback(
    async (edit: () => Promise<unknown>, keep: (segs: Segment[], result: unknown) => number | null) => {
      try {
        const result = await edit();
        setError(null);
        const fresh = await reload();
        const segs = fresh.find((t) => t.id === trackId)?.segments ?? [];
        setSelected(keep(segs, result));
      } catch (e) {
        setError((e as Error).message);
      }
    },
    [reload, trackId],
  );

  // The key handler reads the latest state through a ref, so a key pressed right after an edit sees its result.
  const state = useRef({ track, selected, markIn });
  state.current = { track, selected, markIn };

  const handleKey = useCallback(
    (e: KeyboardEvent, time: number): boolean => {
      const { track: tr, selected: selId, markIn: mark } = state.current;
      if (!tr) return false;
      const segs = tr.segments;
      const sel = segs.find((s) => s.id === selId) ?? null;
      const k = e.key.toLowerCase();
      const t = Math.round(time * 1000) / 1000;
      const keepSel = (s: Segment[]) => (s.some((x) => x.id === selId) ? selId : (segmentNear(s, t)?.id ?? null));
      if ((e.ctrlKey || e.metaKey) && (k === 'z' || k === 'y')) {
        const redo = k === 'y' || e.shiftKey;
        void act(() => api.call(redo ? 'annotations.redo' : 'annotations.undo', { trackId: tr.id }), keepSel);
        return true;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return false;
      if (k === 'i') {
        setMarkIn(t);
        return true;
      }
      if (k === 'o' && mark !== null) {
        const [start, end] = mark < t ? [mark, t] : [t, mark];
        setMarkIn(null);
        void act(
          () => api.call('annotations.add', { trackId: tr.id, start, end, label: sel?.label ?? tr.labels[0] }),
          (_s, r) => (r as Segment).id,
        );
        return true;
      }
      if (/^[1-9]$/.test(k) && sel && tr.labels[Number(k) - 1]) {
        void act(
          () => api.call('annotations.relabel', { segmentId: sel.id, label: tr.labels[Number(k) - 1] }),
          () => sel.id,
        );
        return true;
      }
      if (k === 's' && sel) {
        // The part from the cursor on stays selected: one usually splits to label what follows.
        void act(
          () => api.call('annotations.split', { segmentId: sel.id, at: t }),
          (_s, r) => (r as Segment[])[1]?.id ?? sel.id,
        );
        return true;
      }
      if (k === 'g' && sel) {
        const next = [...segs].sort((a, b) => a.start - b.start).find((s) => s.start >= sel.end - 1e-6 && s.id !== sel.id);
        if (!next) return false;
        void act(
          () => api.call('annotations.merge', { firstId: sel.id, secondId: next.id }),
          (_s, r) => (r as Segment).id,
        );
        return true;
      }
      if ((k === ',' || k === '.') && sel) {
        void act(
          () => api.call('annotations.move', k === ',' ? { segmentId: sel.id, start: t } : { segmentId: sel.id, end: t }),
          () => sel.id,
        );
        return true;
      }
      if ((k === 'delete' || k === 'backspace') && sel) {
        const sorted = [...segs].sort((a, b) => a.start - b.start);
        const i = sorted.findIndex((s) => s.id === sel.id);
        const neighbour = sorted[i + 1] ?? sorted[i - 1] ?? null;
        void act(
          () => api.call('annotations.delete', { segmentId: sel.id }),
          () => neighbour?.id ?? null,
        );
        return true;
      }
      if (k === 'n' || k === 'p') {
        const sorted = [...segs].sort((a, b) => a.start - b.start);
        const target =
          k === 'n'
            ? sorted.find((s) => s.start > (sel?.start ?? -1) + 1e-6)
            : [...sorted].reverse().find((s) => s.start < (sel?.start ?? Infinity) - 1e-6);
        if (!target) return false;
        setSelected(target.id);
        onSeek(target.start);
        return true;
      }
      return false;
    },
    [act, onSeek],
  );

  const createTrack = useCallback(
    async (annotator: string) => {
      try {
        const t = await api.call('annotations.createTrack', { sessionId, annotator });
        await reload();
        setTrackId(t.id);
        setSelected(null);
        setError(null);
      } catch (e) {
        setError((e as Error).message);
      }
    },
    [sessionId, reload],
  );

  return { tracks, track, setTrackId, selected, select: setSelected, markIn, error, createTrack, reload, handleKey };
}
