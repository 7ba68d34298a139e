import { useState } from 'react';
import { LABEL_COLORS, pct } from '../../labels';
import type { TranscriptData, TranscriptState } from './useTranscript';

type Speaker = TranscriptData['speakers'][number];
type Summary = Speaker['text'];

/** A participant the transcript's speakers can be mapped to. */
export interface MappableParticipant {
  id: number;
  name: string;
}

/** The shares of a text summary in words, largest first ("fearful 50% · sad 25%"), with colour swatches. */
export function TextShares({ s }: { s: Summary }) {
  const top = Object.entries(s.distribution)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3);
  if (!s.majority) return <span className="no-estimate small">{s.reason}</span>;
  return (
    <span className="text-shares small">
      {top.map(([label, share]) => (
        <span key={label} className="text-share">
          <i className="swatch" style={{ background: LABEL_COLORS[label] ?? '#8a8a8a' }} aria-hidden="true" />
          {label} {pct(share)}
        </span>
      ))}
      <span className="muted"> of {s.labelled} lines with an estimate</span>
    </span>
  );
}

function NameField({ speaker, onRename }: { speaker: Speaker; onRename: (name: string | null) => void }) {
  const [value, setValue] = useState(speaker.name ?? '');
  const save = () => {
    const next = value.trim() || null;
    if (next !== speaker.name) onRename(next);
  };
  return (
    <input
      aria-label={`Name for ${speaker.label}`}
      placeholder={speaker.label}
      value={value}
      maxLength={200}
      onChange={(e) => setValue(e.target.value)}
      onBlur={save}
      onKeyDown={(e) => e.key === 'Enter' && save()}
    />
  );
}

function mappingWords(s: Speaker): string {
  if (s.mapping === 'user') return s.participant === null ? 'set by hand: nobody in the recording' : 'set by hand';
  if (s.participant !== null) return `by overlap with their speech: ${pct(s.mappingScore)} of this speaker's talk`;
  return s.evidence.why ? `not mapped: ${s.evidence.why}` : 'not mapped';
}

/**
 * The transcript's speakers: the name the file gives (editable), who they are among the session's participants (mapped
 * by overlap with the diarized speech where the evidence is strong; changeable by hand), and what their words express.
 */
export function TranscriptSpeakers({ state, participants }: { state: TranscriptState; participants: MappableParticipant[] }) {
  const t = state.transcript;
  if (!t || t.speakers.length === 0) return null;
  return (
    <div className="card transcript-speakers" role="region" aria-label="Speakers in the transcript">
      <h2>
        Speakers in the transcript <span className="muted small">text estimates of their words (not fused with face and voice)</span>
      </h2>
      <table className="list">
        <thead>
          <tr>
            <th scope="col">In the file</th>
            <th scope="col">Name</th>
            <th scope="col">Participant</th>
            <th scope="col">Lines</th>
            <th scope="col">Their words express</th>
          </tr>
        </thead>
        <tbody>
          {t.speakers.map((s) => (
            <tr key={s.id} data-testid={`speaker-${s.id}`}>
              <td>{s.label}</td>
              <td>
                <NameField key={`${s.id}:${s.name ?? ''}`} speaker={s} onRename={(name) => void state.rename(s.id, name)} />
              </td>
              <td>
                <select
                  aria-label={`Participant for ${s.name ?? s.label}`}
                  value={s.participant ?? ''}
                  disabled={participants.length === 0 && s.participant === null}
                  onChange={(e) => void state.map(s.id, e.target.value ? Number(e.target.value) : null)}
                >
                  <option value="">{participants.length ? 'nobody / not mapped' : 'no participants'}</option>
                  {participants.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                  {s.participant !== null && !participants.some((p) => p.id === s.participant) && (
                    <option value={s.participant}>participant {s.participant}</option>
                  )}
                </select>
                <div className="small muted">{mappingWords(s)}</div>
              </td>
              <td>{s.text.lines}</td>
              <td>
                <TextShares s={s.text} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {state.error && (
        <p className="error small" role="alert">
          {state.error}
        </p>
      )}
    </div>
  );
}
