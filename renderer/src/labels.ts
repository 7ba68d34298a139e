export { LABEL_COLORS, UNCERTAIN_COLOR, labelTextColor, EMOTION_LABELS as ALL_LABELS } from '../../electron/contract/shared/labels';

export const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`);

export function formatTime(s: number): string {
  const m = Math.floor(s / 60);
  const sec = Math.floor(s % 60);
  return `${m}:${String(sec).padStart(2, '0')}`;
}

export function formatEta(s: number | null): string {
  if (s === null) return 'estimating…';
  if (s < 60) return `${Math.ceil(s)} s left`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s left`;
}
