/**
 * The time window the review's lanes show, and the arithmetic every lane shares: one view, one pixel scale, ticks at
 * true positions. Pure functions (no React), so they are the same for every lane and easy to reason about.
 */
export interface TimeView {
  /** Seconds at the left edge. */
  start: number;
  /** Seconds at the right edge. */
  end: number;
}

/** The narrowest window a user can zoom to (seconds). */
export const MIN_SPAN_S = 2;

export function fullView(durationS: number): TimeView {
  return { start: 0, end: Math.max(durationS, 1e-3) };
}

/** Keep a view inside [0, duration] and at least MIN_SPAN_S wide (or the whole recording, when shorter). */
export function clampView(v: TimeView, durationS: number): TimeView {
  const total = Math.max(durationS, 1e-3);
  const span = Math.min(total, Math.max(Math.min(MIN_SPAN_S, total), v.end - v.start));
  const start = Math.min(Math.max(0, v.start), total - span);
  return { start, end: start + span };
}

/** Zoom by `factor` (<1 in, >1 out) keeping the time at `anchor` where it is on screen. */
export function zoomView(v: TimeView, factor: number, anchor: number, durationS: number): TimeView {
  const span = (v.end - v.start) * factor;
  const a = Math.min(Math.max(anchor, v.start), v.end);
  const frac = (a - v.start) / Math.max(v.end - v.start, 1e-9);
  return clampView({ start: a - frac * span, end: a - frac * span + span }, durationS);
}

/** Move the window by `deltaS` seconds. */
export function scrollView(v: TimeView, deltaS: number, durationS: number): TimeView {
  return clampView({ start: v.start + deltaS, end: v.end + deltaS }, durationS);
}

/** Scroll the least needed so that `t` is visible (with a margin), e.g. to follow playback. */
export function revealTime(v: TimeView, t: number, durationS: number): TimeView {
  const span = v.end - v.start;
  if (t >= v.start && t <= v.end) return v;
  return clampView({ start: t - span * 0.1, end: t + span * 0.9 }, durationS);
}

const STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];

/** A tick step leaving at least `minPx` pixels between labels. */
export function tickStep(spanS: number, widthPx: number, minPx = 80): number {
  const perPx = spanS / Math.max(widthPx, 1);
  return STEPS.find((s) => s / perPx >= minPx) ?? STEPS[STEPS.length - 1];
}

/** Tick times (multiples of the step) inside the view. */
export function ticks(v: TimeView, widthPx: number, minPx = 80): { step: number; times: number[] } {
  const step = tickStep(v.end - v.start, widthPx, minPx);
  const times: number[] = [];
  for (let t = Math.ceil(v.start / step - 1e-9) * step; t <= v.end + 1e-9; t += step) times.push(Math.round(t * 1000) / 1000 || 0);
  return { step, times };
}

/** m:ss, or h:mm:ss from an hour; tenths when the step is under a second. */
export function clockLabel(t: number, step = 1): string {
  const tenths = step < 1;
  const whole = Math.floor(t + 1e-6);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const frac = tenths ? `.${Math.floor((t - whole) * 10 + 1e-6)}` : '';
  return h ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}${frac}` : `${m}:${String(s).padStart(2, '0')}${frac}`;
}

/** Pixel position of a time in a lane `widthPx` wide. */
export function xOf(t: number, v: TimeView, widthPx: number): number {
  return ((t - v.start) / Math.max(v.end - v.start, 1e-9)) * widthPx;
}

/** Time at a pixel position. */
export function timeAt(x: number, v: TimeView, widthPx: number): number {
  return v.start + (x / Math.max(widthPx, 1)) * (v.end - v.start);
}
