import { useEffect, useRef, useState } from 'react';
import type { ApiOutput } from '../../../electron/contract/api';
import { exerciseById, levelOf, type BreathPattern, type ExerciseId } from '../../../electron/contract/shared/selfcare/catalog';
import { api } from '../api';
import { BreathingPacer } from './BreathingPacer';
import { FollowLight } from './FollowLight';
import { Grounding } from './Grounding';
import { PmrGuide } from './PmrGuide';
import { TensionRating } from './TensionRating';
import { clock } from './format';

export interface RunChoice {
  exercise: ExerciseId;
  level: number;
  pattern: BreathPattern;
  voice: boolean;
  largeText: boolean;
  reducedMotion: boolean;
}

type Finished = ApiOutput<'selfcare.finish'>;
type Phase =
  | { step: 'before' }
  | { step: 'running'; runId: number }
  | { step: 'after'; result: Finished; openedLevel: number | null }
  | { step: 'summary'; result: Finished; openedLevel: number | null };

/**
 * One run of one exercise: the tension rating before (skippable), the exercise, the rating after, then a kind summary.
 * The run is stored when it starts and finished as soon as the exercise ends, completed or stopped early, so the rating
 * after (asked next, skippable) can never cost the client a completed level. `onRunning` is true while the exercise
 * itself is under way (client mode does not lock then).
 */
export function ExerciseRunner({
  clientId,
  choice,
  unlockedBefore,
  onClose,
  onRunning,
}: {
  clientId: number;
  choice: RunChoice;
  unlockedBefore: number;
  onClose: () => void;
  onRunning?: (running: boolean) => void;
}) {
  const exercise = exerciseById(choice.exercise);
  const [phase, setPhase] = useState<Phase>({ step: 'before' });
  const [error, setError] = useState<string | null>(null);
  const finishing = useRef(false);
  const running = phase.step === 'running';
  useEffect(() => {
    onRunning?.(running);
    return () => onRunning?.(false);
  }, [running, onRunning]);

  const start = async (before: number | null) => {
    try {
      const run = await api.call('selfcare.start', {
        clientId,
        exercise: choice.exercise,
        level: choice.level,
        tensionBefore: before,
        options: {
          ...(choice.exercise === 'breathing' ? { pattern: choice.pattern } : {}),
          ...(choice.exercise === 'pmr' ? { voice: choice.voice } : {}),
          largeText: choice.largeText,
          reducedMotion: choice.reducedMotion,
        },
      });
      setPhase({ step: 'running', runId: run.id });
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const ended = async (lengthS: number, completed: boolean, score: number | null = null) => {
    if (phase.step !== 'running' || finishing.current) return;
    finishing.current = true;
    try {
      const result = await api.call('selfcare.finish', {
        runId: phase.runId,
        outcome: completed ? 'completed' : 'left',
        // Rounded down, so a completed level is never reported longer than it ran.
        lengthS: Math.floor(lengthS * 10) / 10,
        ...(choice.exercise === 'follow-light' ? { score } : {}),
      });
      const unlocked = result.progress.find((p) => p.exercise === choice.exercise)!.unlocked;
      setPhase({ step: 'after', result, openedLevel: unlocked > unlockedBefore ? unlocked : null });
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const rated = async (after: number | null) => {
    if (phase.step !== 'after') return;
    try {
      const run = after === null ? phase.result.run : await api.call('selfcare.rateAfter', { runId: phase.result.run.id, tensionAfter: after });
      setPhase({ step: 'summary', result: { ...phase.result, run }, openedLevel: phase.openedLevel });
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const level = levelOf(exercise, choice.level);
  return (
    <section className="sc-runner" aria-label={`${exercise.title}, level ${choice.level}`}>
      <header className="sc-runner-head">
        <h2>
          {exercise.title}{' '}
          <span className="sc-muted">
            · level {choice.level}: {level.title}
          </span>
        </h2>
      </header>
      {error && (
        <p className="sc-error" role="alert">
          {error}
        </p>
      )}
      {phase.step === 'before' && (
        <>
          <p className="sc-purpose">{exercise.purpose}</p>
          <p>{exercise.how}</p>
          <p className="sc-muted">{exercise.care}</p>
          <TensionRating when="before" onDone={(v) => void start(v)} />
          <button type="button" className="sc-secondary" onClick={onClose}>
            Back to the exercises
          </button>
        </>
      )}
      {phase.step === 'running' && exercise.id === 'breathing' && (
        <BreathingPacer
          breathsPerMin={levelOf(exercise, choice.level).breathsPerMin}
          lengthS={levelOf(exercise, choice.level).lengthS}
          pattern={choice.pattern}
          reducedMotion={choice.reducedMotion}
          onEnd={(s, c) => void ended(s, c)}
        />
      )}
      {phase.step === 'running' && exercise.id === 'pmr' && (
        <PmrGuide level={levelOf(exercise, choice.level)} voice={choice.voice} onEnd={(s, c) => void ended(s, c)} />
      )}
      {phase.step === 'running' && exercise.id === 'grounding' && (
        <Grounding level={levelOf(exercise, choice.level)} reducedMotion={choice.reducedMotion} onEnd={(s, c) => void ended(s, c)} />
      )}
      {phase.step === 'running' && exercise.id === 'follow-light' && (
        <FollowLight level={levelOf(exercise, choice.level)} onEnd={(s, c, score) => void ended(s, c, score)} />
      )}
      {phase.step === 'after' && (
        <>
          <p className="sc-done-words">
            {phase.result.run.outcome === 'completed'
              ? 'Well done — that is the whole level.'
              : `You stopped after ${clock(phase.result.run.lengthS ?? 0)}. That is completely fine; stopping is always all right.`}
          </p>
          <TensionRating when="after" onDone={(v) => void rated(v)} />
        </>
      )}
      {phase.step === 'summary' && (
        <div className="sc-summary" data-testid="run-summary" role="status">
          <p className="sc-done-words">
            {phase.result.run.outcome === 'completed'
              ? `You completed level ${choice.level}.`
              : 'Saved. You can come back to this level whenever you like.'}
          </p>
          {phase.openedLevel !== null && <p className="sc-unlocked">Level {phase.openedLevel} is now open.</p>}
          {phase.result.run.tensionBefore !== null && phase.result.run.tensionAfter !== null && (
            <p className="sc-muted">
              Tension {phase.result.run.tensionBefore} before, {phase.result.run.tensionAfter} after.
            </p>
          )}
          <button type="button" className="sc-primary" autoFocus onClick={onClose}>
            Back to the exercises
          </button>
        </div>
      )}
    </section>
  );
}
