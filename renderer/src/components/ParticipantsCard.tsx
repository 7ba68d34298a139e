import { useState } from 'react';
import { api } from '../api';
import { pct } from '../labels';
import { Estimate } from './CoverageSummary';
import { participantKind, participantName, type Participant } from './participants';

/**
 * Who is in the recording: each participant's face, their face and voice estimates, how their voice was linked to the
 * face, and the user's name for them; one of them can be marked as the client (the session summary and the client's
 * trends then describe that participant). A name given to a similar face in another session of the client is offered,
 * never applied by itself.
 */
export function ParticipantsCard({ sessionId, participants, onChanged }: { sessionId: number; participants: Participant[]; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const run = (p: Promise<unknown>) =>
    p.then(
      () => (setError(null), onChanged()),
      (e: Error) => setError(e.message),
    );
  return (
    <div className="card participants-card" data-testid="participants">
      <h2>
        Participants{' '}
        <span className="muted small">
          {participants.length === 0 ? 'no face and no speech was found' : `${participants.length}; the summary describes the one marked`}
        </span>
      </h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ul className="participants">
        {participants.map((p) => (
          <ParticipantItem key={p.id} p={p} sessionId={sessionId} run={run} />
        ))}
      </ul>
      {participants.length > 1 && (
        <p className="muted small">
          Faces are told apart by a face-identity model and voices by speaker; a voice is joined to a face only where the recording shows it (the
          mouth moving with the speech, or the only face with the only voice). Unsure links are left apart.
        </p>
      )}
    </div>
  );
}

function ParticipantItem({ p, sessionId, run }: { p: Participant; sessionId: number; run: (x: Promise<unknown>) => void }) {
  const [name, setName] = useState(p.name ?? '');
  const label = participantName(p, { client: false });
  return (
    <li className={p.describes ? 'participant describes' : 'participant'} data-testid={`participant-${p.id}`}>
      {p.thumbnail ? <img className="face-thumb" src={p.thumbnail} alt={`Face of ${label}`} /> : <div className="face-thumb">voice only</div>}
      <div>
        <h3>
          {label} {p.isClient && <span className="badge">client</span>} {p.describes && <span className="badge">in the summary</span>}
        </h3>
        <div className="muted small">{participantKind(p)}</div>
        <div className="estimates">
          <span>
            Face:{' '}
            {p.face ? (
              <Estimate
                label={p.face.majority}
                why={p.face.reason ?? 'uncertain'}
                extra={p.face.majority ? `(${pct(p.face.distribution[p.face.majority])} of ${p.face.framesWithFace} frames)` : undefined}
              />
            ) : (
              <span className="no-estimate">no face</span>
            )}
          </span>
          <span>
            Voice:{' '}
            {p.voice ? (
              <Estimate
                label={p.voice.majority}
                why={p.voice.reason ?? 'uncertain'}
                extra={`(${Math.round(p.voice.speechS)} s of detected speech${p.voice.link ? `, linked ${pct(p.voice.link.confidence)}` : ''})`}
              />
            ) : (
              <span className="no-estimate">no voice</span>
            )}
          </span>
          <span>
            Fused:{' '}
            <Estimate label={p.fused?.label ?? null} why="—" extra={p.fused?.confidence != null ? `(${pct(p.fused.confidence)})` : undefined} />
          </span>
        </div>
      </div>
      {p.suggestion && !p.name && (
        <div className="suggestion" data-testid={`suggestion-${p.id}`}>
          Looks like <strong>{p.suggestion.name}</strong>
          {p.suggestion.isClient ? ' (the client)' : ''}, named in session {p.suggestion.fromSession} (face distance{' '}
          {p.suggestion.distance.toFixed(2)}).{' '}
          <button
            type="button"
            className="secondary"
            onClick={() => {
              const s = p.suggestion!;
              run(
                api
                  .call('participants.rename', { sessionId, participant: p.id, name: s.name === 'client' && s.isClient ? null : s.name })
                  .then(() => (s.isClient ? api.call('participants.setClient', { sessionId, participant: p.id }) : null)),
              );
            }}
          >
            Use this name
          </button>
        </div>
      )}
      <form
        className="row tight"
        onSubmit={(e) => {
          e.preventDefault();
          run(api.call('participants.rename', { sessionId, participant: p.id, name: name.trim() ? name.trim() : null }));
        }}
      >
        <input
          aria-label={`Name of ${label}`}
          placeholder="Name (e.g. client, clinician)"
          value={name}
          maxLength={100}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" className="secondary">
          Save name
        </button>
        <label className="small">
          <input
            type="radio"
            name={`client-of-${sessionId}`}
            checked={p.isClient}
            onChange={() => run(api.call('participants.setClient', { sessionId, participant: p.id }))}
            aria-label={`${label} is the client`}
          />{' '}
          client
        </label>
        {p.isClient && (
          <button type="button" className="link small" onClick={() => run(api.call('participants.setClient', { sessionId, participant: null }))}>
            not the client
          </button>
        )}
      </form>
    </li>
  );
}
