import type { ApiOutput } from '../../../electron/contract/api';

type Change = ApiOutput<'dass.list'>['changes'][number]['subscales'][number];

/**
 * A change in one subscale, readable without colour: an arrow and a word say the direction (lower scores = fewer
 * symptoms = better), the colour only repeats it; ⚑ marks a change of 5 points or more.
 */
export function DassChange({ c }: { c: Change }) {
  const letter = c.subscale[0].toUpperCase();
  if (c.difference === null)
    return (
      <span className="change change-same">
        {letter} ? <span className="muted">(not scored)</span>
      </span>
    );
  const dir = c.difference < 0 ? 'better' : c.difference > 0 ? 'worse' : 'same';
  const arrow = dir === 'better' ? '↓' : dir === 'worse' ? '↑' : '→';
  const sign = c.difference > 0 ? '+' : c.difference < 0 ? '−' : '±';
  return (
    <span className={`change change-${dir}${c.flagged ? ' flag' : ''}`} data-direction={dir}>
      {letter} {arrow} {sign}
      {Math.abs(c.difference)} {dir}
      {c.bandChanged ? ` (${c.fromBand} → ${c.toBand})` : ''}
      {c.flagged && (
        <span aria-label="flagged: a change of 5 points or more" title="a change of 5 points or more">
          {' '}
          ⚑
        </span>
      )}
    </span>
  );
}
