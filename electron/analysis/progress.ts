/** Progress of a long task, with an ETA derived from the rate so far. */
export interface Progress {
  stage: string;
  /** 0..1 */
  fraction: number;
  elapsedS: number;
  /** Seconds left, null until there is enough to estimate. */
  etaS: number | null;
  detail?: string;
}

export type ProgressListener = (p: Progress) => void;

export class ProgressTracker {
  private readonly started = performance.now();
  private lastEmit = 0;
  constructor(
    private readonly listener: ProgressListener | undefined,
    private readonly minIntervalMs = 200,
  ) {}

  update(stage: string, fraction: number, detail?: string, force = false): void {
    if (!this.listener) return;
    const now = performance.now();
    if (!force && now - this.lastEmit < this.minIntervalMs) return;
    this.lastEmit = now;
    const elapsedS = (now - this.started) / 1000;
    const f = Math.min(1, Math.max(0, fraction));
    const etaS = f > 0.02 && elapsedS > 0.5 ? (elapsedS / f) * (1 - f) : null;
    this.listener({ stage, fraction: f, elapsedS, etaS, detail });
  }
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}
