import { formatDuration, type Progress } from '../analysis/progress.js';

/**
 * Progress on stderr: redrawn in place on a terminal, one line per 10 % otherwise (logs, CI).
 */
export function progressPrinter(stream: NodeJS.WritableStream, interactive: boolean, label: string) {
  let lastDecile = -1;
  let drewInPlace = false;
  const print = (p: Progress) => {
    const pct = Math.floor(p.fraction * 100);
    const eta = p.etaS === null ? 'ETA …' : `ETA ${formatDuration(p.etaS)}`;
    const text = `${label} ${p.stage} ${String(pct).padStart(3)}% ${eta} (${formatDuration(p.elapsedS)} elapsed)${p.detail ? ' ' + p.detail : ''}`;
    if (interactive) {
      stream.write('\r\x1b[2K' + text);
      drewInPlace = true;
    } else if (Math.floor(pct / 10) > lastDecile || p.stage === 'done') {
      lastDecile = Math.floor(pct / 10);
      stream.write(text + '\n');
    }
  };
  return {
    print,
    end() {
      if (drewInPlace) stream.write('\n');
      drewInPlace = false;
    },
  };
}
