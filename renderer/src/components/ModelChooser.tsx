import { useState } from 'react';
import type { ApiOutput } from '../../../electron/contract/api';
import { api } from '../api';

type Installed = ApiOutput<'models.list'>;

const ROLE_TITLES: Record<Installed[number]['role'], string> = {
  faceDetector: 'Face detector',
  faceExpression: 'Face expression model',
  voiceEmotion: 'Voice emotion model',
  textEmotion: 'Text emotion model',
};

/** What a model's manifest says it scored on held-out data, in one short line. */
export function figureLine(m: Installed[number]): string {
  const parts: string[] = [];
  if (typeof m.metrics?.accuracy === 'number') parts.push(`accuracy ${(m.metrics.accuracy as number).toFixed(3)}`);
  if (m.heldOutUar != null)
    parts.push(`UAR ${m.heldOutUar.toFixed(3)}${m.metrics?.crossCorpus ? ' on corpora it never heard (leave-one-corpus-out)' : ''}`);
  if (typeof m.metrics?.split === 'string') parts.push(`on ${m.metrics.split as string}`);
  return parts.join(' · ') || 'no held-out figures in its manifest';
}

/** One picker per role that has more than one installed model; the choice applies to the next analysis. */
export function ModelChooser({ models, onChanged }: { models: Installed; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const roles = (Object.keys(ROLE_TITLES) as Array<keyof typeof ROLE_TITLES>).filter((r) => models.filter((m) => m.role === r).length > 1);
  if (roles.length === 0) return null;
  const choose = async (role: keyof typeof ROLE_TITLES, id: string) => {
    try {
      await api.call('models.select', { role, id });
      setError(null);
      onChanged();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div className="card">
      <h2>Choose models</h2>
      <p className="muted">Applies to recordings analysed from now on; sessions already stored keep the models they were analysed with.</p>
      {error && <p className="error">{error}</p>}
      {roles.map((role) => {
        const options = models.filter((m) => m.role === role);
        const selected = options.find((m) => m.selected);
        return (
          <div key={role} className="model-choice">
            <label>
              {ROLE_TITLES[role]}{' '}
              <select aria-label={ROLE_TITLES[role]} value={selected?.id ?? ''} onChange={(e) => void choose(role, e.target.value)}>
                {options.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.id}@{m.version}
                    {m.isDefault ? ' (default)' : ''}
                  </option>
                ))}
              </select>
            </label>
            <table className="list small">
              <tbody>
                {options.map((m) => (
                  <tr key={m.id} className={m.selected ? 'selected' : undefined}>
                    <td>{m.id}</td>
                    <td>{m.architecture}</td>
                    <td>{figureLine(m)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </div>
  );
}
