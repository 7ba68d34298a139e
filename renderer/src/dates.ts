const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Today on this computer's calendar, YYYY-MM-DD (the latest date a user may enter). */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * A stored date for people: "3 Feb 2023" for a day (YYYY-MM-DD, as entered), "3 Feb 2023, 13:48" for a moment
 * (ISO from a container, shown in this computer's time zone).
 */
export function formatDate(text: string | null): string {
  if (!text) return '—';
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) return `${Number(day[3])} ${MONTHS[Number(day[2]) - 1]} ${day[1]}`;
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) return text;
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}, ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** YYYY-MM-DD of a stored date in this computer's time zone (for a date input). */
export function inputDate(text: string | null): string {
  if (!text) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? '' : `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
