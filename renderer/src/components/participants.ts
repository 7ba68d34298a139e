import type { ApiOutput } from '../../../electron/contract/api';

type Detail = ApiOutput<'sessions.get'>;
export type Participant = Detail['participants'][number];

/** The participant the session's summary describes (the client when marked, else participant 1); null without any. */
export function describedParticipant(d: Detail): Participant | null {
  return d.participants.find((p) => p.describes) ?? null;
}

/** The session as seen from one participant: only their frames and windows (the lanes and the fused track take it as a session). */
export function onlyParticipant(d: Detail, id: number | null): Detail {
  return { ...d, frames: d.frames.filter((f) => f.participant === id), windows: d.windows.filter((w) => w.participant === id) };
}

/** "P2", "P2 Dr Lee", with "(client)" when marked. */
export function participantName(p: Pick<Participant, 'id' | 'name' | 'isClient'>, { client = true } = {}): string {
  return `P${p.id}${p.name ? ` ${p.name}` : ''}${client && p.isClient ? ' (client)' : ''}`;
}

/** What a participant is, in a few words. */
export function participantKind(p: Participant): string {
  if (p.face && p.voice)
    return p.voice.link?.evidence === 'mouth-speech' ? 'face + voice (mouth moves with the speech)' : 'face + voice (the only face and voice)';
  if (p.face) return p.face.still ? 'face only; did not move (a picture?)' : p.face.small ? 'face only; small (self-view?)' : 'face only';
  if (p.voice) return 'voice only';
  return 'nothing usable';
}
