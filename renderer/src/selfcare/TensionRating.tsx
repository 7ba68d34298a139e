import { useEffect, useRef } from 'react';

/**
 * "How tense do you feel right now?" 0–10, or skip. Keyboard: digits 0–9 answer at once (1 then 0 within a moment
 * answers 10); the buttons are large enough for a finger.
 */
export function TensionRating({ when, onDone }: { when: 'before' | 'after'; onDone: (value: number | null) => void }) {
  const first = useRef<HTMLButtonElement>(null);
  const pendingOne = useRef<number | null>(null);
  useEffect(() => first.current?.focus(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!/^[0-9]$/.test(e.key) || (e.target as HTMLElement).tagName === 'INPUT') return;
      e.preventDefault();
      const d = Number(e.key);
      if (pendingOne.current !== null) {
        window.clearTimeout(pendingOne.current);
        pendingOne.current = null;
        return onDone(d === 0 ? 10 : d);
      }
      if (d === 1) pendingOne.current = window.setTimeout(() => ((pendingOne.current = null), onDone(1)), 700);
      else onDone(d);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      if (pendingOne.current !== null) window.clearTimeout(pendingOne.current);
    };
  }, [onDone]);
  return (
    <div className="sc-rating" data-testid={`rating-${when}`}>
      <h2 id={`rating-${when}-label`}>
        {when === 'before' ? 'Before you start: how tense do you feel right now?' : 'And now: how tense do you feel?'}
      </h2>
      <p className="sc-muted">0 is not tense at all, 10 is the most tense you can imagine. There is no right answer, and you can skip this.</p>
      <div className="sc-scale" role="group" aria-labelledby={`rating-${when}-label`}>
        {Array.from({ length: 11 }, (_, v) => (
          <button
            key={v}
            type="button"
            ref={v === 0 ? first : undefined}
            className="sc-scale-button"
            onClick={() => onDone(v)}
            aria-label={`${v} out of 10`}
          >
            {v}
          </button>
        ))}
      </div>
      <div className="sc-scale-ends" aria-hidden="true">
        <span>not tense</span>
        <span>most tense</span>
      </div>
      <button type="button" className="sc-secondary" onClick={() => onDone(null)}>
        Skip this question
      </button>
    </div>
  );
}
