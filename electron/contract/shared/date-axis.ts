/**
 * A time-proportional date axis for trends across sessions: dates sit at their true distance from each other (two
 * sessions a week apart are closer than two a year apart), with ticks at whole days, months or years. Used by the
 * client page's charts and the client report PDF, so both read the same.
 */
const DAY = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface DateTick {
  ms: number;
  label: string;
}

/** Milliseconds of a stored date: YYYY-MM-DD (midnight UTC) or a full ISO 8601 time. NaN when unparsable. */
export function dateMs(text: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(text);
}

/** YYYY-MM-DD of a stored date (UTC day). */
export function dayOf(text: string): string {
  const ms = dateMs(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : text.slice(0, 10);
}

/** The axis range for these dates: padded so the first and last sit inside, at least two weeks wide. */
export function dateDomain(ms: readonly number[]): [number, number] {
  if (ms.length === 0) return [Date.now() - 14 * DAY, Date.now()];
  let lo = Math.min(...ms);
  let hi = Math.max(...ms);
  const span = Math.max(hi - lo, 14 * DAY);
  const mid = (lo + hi) / 2;
  lo = Math.min(lo, mid - span / 2);
  hi = Math.max(hi, mid + span / 2);
  const pad = span * 0.06;
  return [lo - pad, hi + pad];
}

const utc = (y: number, m: number, d = 1) => Date.UTC(y, m, d);

/**
 * Ticks at whole days, weeks, months, quarters or years, at most about `maxTicks`, every one inside [lo, hi] and none
 * after `notAfterMs` (the axis may be padded past today; a label in the future would only confuse).
 */
export function dateTicks(lo: number, hi: number, maxTicks = 6, notAfterMs = Infinity): DateTick[] {
  const spanDays = (hi - lo) / DAY;
  const start = new Date(lo);
  const sameYear = new Date(lo).getUTCFullYear() === new Date(hi).getUTCFullYear();
  const dayLabel = (d: Date) => `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${sameYear ? '' : ` ${d.getUTCFullYear()}`}`;
  const out: DateTick[] = [];
  const push = (ms: number, label: string) => ms >= lo && ms <= hi && ms <= notAfterMs && out.push({ ms, label });
  for (const days of [1, 2, 7, 14]) {
    if (spanDays / days > maxTicks) continue;
    let t = utc(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
    if (days === 7 || days === 14) while (new Date(t).getUTCDay() !== 1) t += DAY; // Mondays
    for (; t <= hi; t += days * DAY) push(t, dayLabel(new Date(t)));
    return out;
  }
  for (const months of [1, 2, 3, 6, 12, 24, 60]) {
    if (spanDays / (30.44 * months) > maxTicks && months !== 60) continue;
    // The first month boundary at or after lo whose month index is a multiple of the step.
    let index = start.getUTCFullYear() * 12 + start.getUTCMonth() + (lo > utc(start.getUTCFullYear(), start.getUTCMonth()) ? 1 : 0);
    index = Math.ceil(index / months) * months;
    for (let t = utc(Math.floor(index / 12), index % 12); t <= hi; index += months, t = utc(Math.floor(index / 12), index % 12)) {
      const d = new Date(t);
      push(t, months >= 12 ? String(d.getUTCFullYear()) : `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`);
    }
    return out;
  }
  return out;
}

/**
 * x positions (in the caller's units) for items at these times, in order, nudged apart so that items closer than
 * `minGap` (e.g. two sessions on the same day, drawn as bars) sit side by side instead of on top of each other.
 */
export function spreadPositions(xs: readonly number[], minGap: number): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = new Array<number>(xs.length);
  let last = -Infinity;
  for (const [x, i] of order) {
    const placed = Math.max(x, last + minGap);
    out[i] = placed;
    last = placed;
  }
  return out;
}
