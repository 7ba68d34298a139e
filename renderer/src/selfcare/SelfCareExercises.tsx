import { useState } from 'react';
import './selfcare.css';
import type { ExerciseId } from '../../../electron/contract/shared/selfcare/catalog';
import { api } from '../api';
import { useApi } from '../components/useApi';
import { ExercisePicker, type PickerPrefs } from './ExercisePicker';
import { ExerciseRunner, type RunChoice } from './ExerciseRunner';
import { useReducedMotion, useStoredPreference } from './hooks';
import { useHasVoice } from './speech';

/**
 * A client's exercises: the picker, then one run at a time. Used by the clinician's Self-care tab (run together in the
 * room) and by client mode (handed over); `onBusy` tells the caller while an exercise is under way (client mode's idle
 * lock waits for it; the ratings before and after do not hold it off).
 */
export function SelfCareExercises({
  clientId,
  largeText,
  onBusy,
  onRunFinished,
}: {
  clientId: number;
  largeText: boolean;
  onBusy?: (busy: boolean) => void;
  onRunFinished?: () => void;
}) {
  const progress = useApi(() => api.call('selfcare.progress', { clientId }), [clientId]);
  const [prefs, setPrefs] = useStoredPreference<PickerPrefs>('affect.selfcare.prefs', { pattern: 'longer-out', voice: false });
  const [choice, setChoice] = useState<RunChoice | null>(null);
  const reducedMotion = useReducedMotion();
  const hasVoice = useHasVoice();

  if (progress.error) return <p className="sc-error">{progress.error}</p>;
  if (!progress.data) return <p>Loading…</p>;
  if (choice) {
    const unlocked = progress.data.progress.find((p) => p.exercise === choice.exercise)!.unlocked;
    return (
      <ExerciseRunner
        key={`${choice.exercise}-${choice.level}`}
        clientId={clientId}
        choice={choice}
        unlockedBefore={unlocked}
        onRunning={onBusy}
        onClose={() => {
          setChoice(null);
          progress.reload();
          onRunFinished?.();
        }}
      />
    );
  }
  const start = (exercise: ExerciseId, level: number) => {
    setChoice({ exercise, level, pattern: prefs.pattern, voice: prefs.voice && hasVoice, largeText, reducedMotion });
  };
  return (
    <ExercisePicker
      progress={progress.data.progress}
      prefs={prefs}
      onPrefs={setPrefs}
      hasVoice={hasVoice}
      reducedMotion={reducedMotion}
      onStart={start}
    />
  );
}
