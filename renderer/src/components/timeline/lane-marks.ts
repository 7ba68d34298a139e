import type { TimeView } from './time-view.js';
import { xOf } from './time-view.js';

/** One estimate over a stretch of time: a face frame, a voice window's own slice, a fused slice. */
export interface Interval {
  start: number;
  end: number;
  /** null: the model was uncertain (drawn hatched, never as a label colour). */
  label: string | null;
  confidence: number;
}

/** What a lane draws: one estimate, or (zoomed out) the estimates that share a couple of pixels. */
export interface Mark {
  x: number;
  width: number;
  label: string | null;
  confidence: number;
  start: number;
  end: number;
  /** Estimates in this mark; more than 1 only when zoomed out. */
  count: number;
  /** Per label (uncertain under ''), when count > 1. */
  counts?: Record<string, number>;
}

/**
 * Marks for the visible part of a lane. Each estimate is drawn at its true time; when the view is so wide that
 * estimates are narrower than `minPx` pixels, the ones falling in the same `minPx`-wide column become one mark showing
 * the most frequent label (uncertain counts as its own kind) at the mean confidence of those frames. Colours are never
 * mixed: a mark has one label's colour.
 */
export function layoutMarks(items: readonly Interval[], view: TimeView, widthPx: number, minPx = 2): Mark[] {
  const visible = items.filter((i) => i.end > view.start && i.start < view.end);
  const px = (i: Interval) => ({ x0: xOf(i.start, view, widthPx), x1: xOf(i.end, view, widthPx) });
  const typical = visible.length ? visible.reduce((a, i) => a + (px(i).x1 - px(i).x0), 0) / visible.length : Infinity;
  if (typical >= minPx)
    return visible.map((i) => {
      const { x0, x1 } = px(i);
      return { x: x0, width: Math.max(1, x1 - x0), label: i.label, confidence: i.confidence, start: i.start, end: i.end, count: 1 };
    });
  const bins = new Map<number, Interval[]>();
  for (const i of visible) {
    const { x0, x1 } = px(i);
    const col = Math.floor((x0 + x1) / 2 / minPx);
    (bins.get(col) ?? bins.set(col, []).get(col)!).push(i);
  }
  return [...bins.entries()].map(([col, group]) => {
    const counts: Record<string, number> = {};
    for (const g of group) counts[g.label ?? ''] = (counts[g.label ?? ''] ?? 0) + 1;
    const top = Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] === '' ? 1 : b[0] === '' ? -1 : 0))[0][0];
    const same = group.filter((g) => (g.label ?? '') === top);
    return {
      x: col * minPx,
      width: minPx,
      label: top === '' ? null : top,
      confidence: same.reduce((a, g) => a + g.confidence, 0) / same.length,
      start: group[0].start,
      end: group[group.length - 1].end,
      count: group.length,
      counts,
    };
  });
}

/** The estimate under time t (the one whose stretch holds t; the nearest when none does, within `within` s). */
export function intervalAt<T extends { start: number; end: number }>(items: readonly T[], t: number, within = 0): T | null {
  let best: T | null = null;
  let bestDist = Infinity;
  for (const i of items) {
    const d = t < i.start ? i.start - t : t >= i.end ? t - i.end : 0;
    if (d < bestDist) {
      best = i;
      bestDist = d;
    }
    if (d === 0) break;
  }
  return best && bestDist <= within ? best : null;
}
