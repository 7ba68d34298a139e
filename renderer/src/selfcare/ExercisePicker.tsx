import { BREATH_PATTERNS, EXERCISES, type BreathPattern, type ExerciseId } from '../../../electron/contract/shared/selfcare/catalog';
import type { ApiOutput } from '../../../electron/contract/api';
import { LockIcon } from './LockIcon';

type Progress = ApiOutput<'selfcare.progress'>['progress'];

export interface PickerPrefs {
  pattern: BreathPattern;
  voice: boolean;
}

/**
 * The exercises as cards: what each is for, its levels (done, open, or opening after the one before), and its options
 * (breathing pattern; spoken steps where a local voice exists).
 */
export function ExercisePicker({
  progress,
  prefs,
  onPrefs,
  hasVoice,
  reducedMotion,
  onStart,
}: {
  progress: Progress;
  prefs: PickerPrefs;
  onPrefs: (p: PickerPrefs) => void;
  hasVoice: boolean;
  reducedMotion: boolean;
  onStart: (exercise: ExerciseId, level: number) => void;
}) {
  return (
    <div className="sc-cards">
      {EXERCISES.map((e) => {
        const p = progress.find((x) => x.exercise === e.id)!;
        return (
          <article key={e.id} className="sc-card" data-testid={`exercise-${e.id}`}>
            <h3>{e.title}</h3>
            <p className="sc-purpose">{e.purpose}</p>
            {e.id === 'breathing' && (
              <label className="sc-option">
                Breathing pattern{' '}
                <select value={prefs.pattern} onChange={(ev) => onPrefs({ ...prefs, pattern: ev.target.value as BreathPattern })}>
                  {Object.entries(BREATH_PATTERNS).map(([k, v]) => (
                    <option key={k} value={k}>
                      {v.label}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {e.id === 'pmr' &&
              (hasVoice ? (
                <label className="sc-option">
                  <input type="checkbox" checked={prefs.voice} onChange={(ev) => onPrefs({ ...prefs, voice: ev.target.checked })} /> Speak the steps
                  aloud
                </label>
              ) : (
                <p className="sc-option sc-muted">The steps are shown as words (this computer has no voice to read them aloud).</p>
              ))}
            {e.id === 'follow-light' && reducedMotion && (
              <p className="sc-option sc-muted">This game uses a moving light; the other exercises have no movement.</p>
            )}
            <ul className="sc-levels" aria-label={`${e.title} levels`}>
              {e.levels.map((l) => {
                const state = l.level <= p.completed ? 'done' : l.level <= p.unlocked ? 'open' : 'closed';
                return (
                  <li key={l.level} className={`sc-level ${state}`}>
                    <button
                      type="button"
                      disabled={state === 'closed'}
                      data-level={l.level}
                      data-state={state}
                      onClick={() => onStart(e.id, l.level)}
                      aria-label={`Level ${l.level}: ${l.title}${state === 'done' ? ' (done)' : state === 'closed' ? ` (opens after level ${l.level - 1})` : ''}`}
                    >
                      <span className="sc-level-num">{state === 'done' ? '✓' : state === 'closed' ? <LockIcon size={13} /> : l.level}</span>
                      <span className="sc-level-title">
                        Level {l.level}: {l.title}
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          </article>
        );
      })}
    </div>
  );
}
