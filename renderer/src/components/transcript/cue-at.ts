/** A transcript line's times, as the API gives them. */
export interface Timed {
  start: number;
  end: number;
}

/** The cue being said at time t (start ≤ t < end), or null between cues. */
export function cueAt<T extends Timed>(cues: readonly T[], t: number): T | null {
  let lo = 0;
  let hi = cues.length - 1;
  let last = -1;
  // Cues are in start order: find the last one starting at or before t, then look back for one still running (people
  // talk over each other: the latest-starting one wins; a few dozen lines back is far enough for any real transcript).
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cues[mid].start <= t) ((last = mid), (lo = mid + 1));
    else hi = mid - 1;
  }
  for (let i = last; i >= 0 && i > last - 50; i--) if (t < cues[i].end) return cues[i];
  return null;
}
