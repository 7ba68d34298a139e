import { useEffect } from 'react';
import type { BreathPattern } from '../../../electron/contract/shared/selfcare/catalog';
import { breathTimes, pacerAt } from '../../../electron/contract/shared/selfcare/pacer';
import { useElapsed } from './hooks';
import { clock } from './format';

const seconds = (s: number) => `${Number.isInteger(s) ? s : s.toFixed(1)} s`;

/**
 * The visual pacer: a circle that grows while breathing in and shrinks while breathing out, with the words and a count.
 * With reduced motion the circle stays still and only the words and the count change.
 */
export function BreathingPacer({
  breathsPerMin,
  pattern,
  lengthS,
  reducedMotion,
  onEnd,
}: {
  breathsPerMin: number;
  pattern: BreathPattern;
  lengthS: number;
  reducedMotion: boolean;
  onEnd: (lengthS: number, completed: boolean) => void;
}) {
  const elapsed = useElapsed(true);
  const p = pacerAt(elapsed, breathsPerMin, pattern, lengthS);
  useEffect(() => {
    if (p.done) onEnd(lengthS, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [p.done]);
  const scale = reducedMotion ? 1 : 0.35 + 0.65 * p.size;
  const words = p.phase === 'in' ? 'Breathe in' : 'Breathe out';
  return (
    <div className="sc-exercise sc-breathing" data-testid="breathing-pacer" data-phase={p.phase} data-reduced-motion={reducedMotion}>
      <div className="sc-pacer" aria-hidden="true">
        <svg viewBox="-110 -110 220 220" width="100%" height="100%">
          <circle r="100" className="sc-pacer-track" />
          <circle r="100" className={`sc-pacer-disc ${p.phase}`} transform={`scale(${scale.toFixed(4)})`} />
          {reducedMotion && (
            <text className="sc-pacer-count" textAnchor="middle" dominantBaseline="central">
              {p.count}
            </text>
          )}
        </svg>
      </div>
      <p className="sc-breath-words" aria-live="polite">
        {words}
        {!reducedMotion && <span className="sc-breath-count"> … {p.count}</span>}
      </p>
      <p className="sc-muted">
        Breath {p.breath} · {clock(p.secondsLeft)} left · {seconds(breathTimes(breathsPerMin, pattern).inS)} in,{' '}
        {seconds(breathTimes(breathsPerMin, pattern).outS)} out
      </p>
      <button type="button" className="sc-stop" onClick={() => onEnd(elapsed, false)}>
        Stop here
      </button>
    </div>
  );
}
