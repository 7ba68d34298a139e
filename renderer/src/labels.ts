/** Colours per expression label, chosen to stay distinguishable for common colour-vision deficiencies. */
export const LABEL_COLORS: Record<string, string> = {
  neutral: '#8c8c8c',
  calm: '#6baed6',
  happy: '#f2b701',
  sad: '#3969ac',
  angry: '#e73f74',
  fearful: '#7f3c8d',
  disgust: '#11a579',
  surprised: '#e68310',
};

export const ALL_LABELS = ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'];

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
