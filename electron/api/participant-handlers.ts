import { ApiError, type ApiOutput } from '../contract/api.js';
import type { Db } from '../store/db.js';
import {
  describedParticipant,
  faceSuggestions,
  listParticipants,
  ParticipantError,
  setClientParticipant,
  setParticipantName,
} from '../store/participants-repo.js';

type Participants = ApiOutput<'participants.rename'>;

/** A session's participants as the review shows them: thumbnails as data: URLs, the name suggested for each face. */
export function participantViews(db: Db, sessionId: number): Participants {
  const described = describedParticipant(db, sessionId);
  const suggestions = faceSuggestions(db, sessionId);
  return listParticipants(db, sessionId).map((p) => {
    const s = suggestions.find((x) => x.participant === p.number);
    return {
      id: p.number,
      name: p.name,
      isClient: p.isClient,
      describes: p.number === described,
      face: p.face && {
        majority: p.face.majority,
        distribution: p.face.distribution,
        framesWithFace: p.face.framesWithFace,
        framesAbstained: p.face.framesAbstained,
        box: p.face.box,
        small: p.face.small,
        still: p.face.still,
        ...(p.face.reason ? { reason: p.face.reason } : {}),
      },
      voice: p.voice && {
        majority: p.voice.majority,
        distribution: p.voice.distribution,
        speechS: p.voice.speechS,
        voicedWindows: p.voice.voicedWindows,
        link: p.voice.link,
        ...(p.voice.reason ? { reason: p.voice.reason } : {}),
      },
      fused: p.fused,
      thumbnail: p.thumbnail ? `data:${p.thumbnail.mime};base64,${p.thumbnail.data.toString('base64')}` : null,
      suggestion: s ? { name: s.name, isClient: s.isClient, distance: s.distance, fromSession: s.fromSession } : null,
    };
  });
}

/** Naming participants and marking the client, for the review (the same code as `affect participants`). */
export function participantHandlers(db: Db) {
  const guard = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof ParticipantError)
        throw new ApiError(err.message, /no session|has no participant/.test(err.message) ? 'not-found' : 'bad-request');
      throw err;
    }
  };
  return {
    'participants.rename': (i: { sessionId: number; participant: number; name: string | null }): Participants =>
      guard(() => (setParticipantName(db, i.sessionId, i.participant, i.name), participantViews(db, i.sessionId))),
    'participants.setClient': (i: { sessionId: number; participant: number | null }): Participants =>
      guard(() => (setClientParticipant(db, i.sessionId, i.participant), participantViews(db, i.sessionId))),
  };
}
