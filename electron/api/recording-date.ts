/**
 * A recording date as the user gives it: a real calendar day (YYYY-MM-DD), not in the future, not before 1900.
 * Returns the problem in words, or null when the date is acceptable. `today` is the local calendar day.
 */
export function recordingDateProblem(date: string, today = localToday()): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return `"${date}" is not a date (YYYY-MM-DD)`;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return `${date} is not a calendar day`;
  if (date > today) return `${date} is in the future (today is ${today})`;
  if (y < 1900) return `${date} is before 1900`;
  return null;
}

/** Today's date on this computer's calendar, YYYY-MM-DD. */
export function localToday(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}
