import { useState } from 'react';
import { GROUNDING_SENSES, type GroundingLevel } from '../../../electron/contract/shared/selfcare/catalog';
import { BreathingPacer } from './BreathingPacer';
import { useElapsed } from './hooks';

/**
 * 5-4-3-2-1 grounding: for each sense, the client ticks (level 1) or names (levels 2–3) each thing noticed; level 3
 * closes with a minute of slow breathing. What is typed stays here: it is never sent or stored.
 */
export function Grounding({
  level,
  reducedMotion,
  onEnd,
}: {
  level: GroundingLevel;
  reducedMotion: boolean;
  onEnd: (lengthS: number, completed: boolean) => void;
}) {
  const [items, setItems] = useState<Record<string, boolean[] | string[]>>(() =>
    Object.fromEntries(GROUNDING_SENSES.map((s) => [s.sense, Array(s.count).fill(level.entry === 'tick' ? false : '')])),
  );
  const [breathing, setBreathing] = useState(false);
  const elapsed = useElapsed(true);
  const filled = (v: boolean | string) => (typeof v === 'string' ? v.trim().length > 0 : v);
  const done = GROUNDING_SENSES.every((s) => (items[s.sense] as Array<boolean | string>).every(filled));
  const count = GROUNDING_SENSES.reduce((n, s) => n + (items[s.sense] as Array<boolean | string>).filter(filled).length, 0);
  const set = (sense: string, i: number, v: boolean | string) =>
    setItems((x) => ({ ...x, [sense]: (x[sense] as Array<boolean | string>).map((old, k) => (k === i ? v : old)) as boolean[] | string[] }));
  const finish = () => (level.closingBreathS > 0 ? setBreathing(true) : onEnd(elapsed, true));

  if (breathing)
    return (
      <div>
        <p className="sc-muted">To close: one minute of slow breathing.</p>
        <BreathingPacer
          breathsPerMin={6}
          pattern="even"
          lengthS={level.closingBreathS}
          reducedMotion={reducedMotion}
          onEnd={(_, completed) => onEnd(elapsed, completed)}
        />
      </div>
    );
  return (
    <div className="sc-exercise sc-grounding" data-testid="grounding">
      <p className="sc-muted">
        {count} of 15 noticed · take your time. {level.entry === 'type' && 'What you type stays on this screen and is not saved.'}
      </p>
      {GROUNDING_SENSES.map((s) => (
        <fieldset key={s.sense} className="sc-sense">
          <legend>
            <span className="sc-sense-count">{s.count}</span> {s.prompt}
          </legend>
          <div className="sc-sense-items">
            {(items[s.sense] as Array<boolean | string>).map((v, i) =>
              level.entry === 'tick' ? (
                <button
                  key={i}
                  type="button"
                  className={v ? 'sc-tick ticked' : 'sc-tick'}
                  aria-pressed={v === true}
                  aria-label={`${s.sense} ${i + 1}`}
                  onClick={() => set(s.sense, i, !v)}
                >
                  {v ? '✓' : i + 1}
                </button>
              ) : (
                <input
                  key={i}
                  type="text"
                  className="sc-sense-input"
                  aria-label={`${s.sense} ${i + 1}`}
                  value={v as string}
                  maxLength={80}
                  autoComplete="off"
                  onChange={(e) => set(s.sense, i, e.target.value)}
                />
              ),
            )}
          </div>
        </fieldset>
      ))}
      <div className="sc-row">
        <button type="button" className="sc-primary" disabled={!done} onClick={finish}>
          {level.closingBreathS > 0 ? 'Done — now a minute of breathing' : 'Done'}
        </button>
        <button type="button" className="sc-stop" onClick={() => onEnd(elapsed, false)}>
          Stop here
        </button>
      </div>
    </div>
  );
}
