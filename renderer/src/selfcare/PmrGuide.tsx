import { useEffect, useMemo } from 'react';
import type { PmrLevel } from '../../../electron/contract/shared/selfcare/catalog';
import { pmrAt, pmrSchedule } from '../../../electron/contract/shared/selfcare/pmr-steps';
import { clock } from './format';
import { useElapsed } from './hooks';
import { speak, stopSpeaking } from './speech';

/** Progressive muscle relaxation: timed steps through the level's muscle groups, words on screen, spoken if asked. */
export function PmrGuide({ level, voice, onEnd }: { level: PmrLevel; voice: boolean; onEnd: (lengthS: number, completed: boolean) => void }) {
  const steps = useMemo(() => pmrSchedule(level), [level]);
  const total = steps[steps.length - 1].endS;
  const elapsed = useElapsed(true);
  const now = pmrAt(steps, elapsed);
  const index = now?.step.index ?? -1;
  useEffect(() => {
    if (voice && now) speak(now.step.text);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [index, voice]);
  useEffect(() => () => stopSpeaking(), []);
  useEffect(() => {
    if (elapsed >= total) onEnd(total, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [elapsed >= total]);
  if (!now) return null;
  const groupNumber = level.groups.indexOf(now.step.group) + 1;
  return (
    <div className="sc-exercise sc-pmr" data-testid="pmr-guide" data-step-kind={now.step.kind}>
      <p className="sc-muted">
        Group {groupNumber} of {level.groups.length} · {clock(total - elapsed)} left
      </p>
      <div className={`sc-pmr-card ${now.step.kind}`}>
        <p className="sc-pmr-phase">{now.step.kind === 'tense' ? 'Tighten gently' : level.tenseS > 0 ? 'Let go' : 'Relax'}</p>
        <h2>{now.step.group.name}</h2>
        <p className="sc-pmr-text" aria-live="polite">
          {now.step.instruction}
        </p>
        <p className="sc-pmr-count" aria-hidden="true">
          {now.secondsLeft}
        </p>
      </div>
      <ol className="sc-pmr-groups" aria-label="Muscle groups">
        {level.groups.map((g, i) => (
          <li key={g.name + i} className={i + 1 < groupNumber ? 'done' : i + 1 === groupNumber ? 'now' : ''}>
            {g.name}
          </li>
        ))}
      </ol>
      <button type="button" className="sc-stop" onClick={() => onEnd(elapsed, false)}>
        Stop here
      </button>
    </div>
  );
}
