import type { ApiMethod } from '../contract/api.js';
import type { AuditEvent } from '../store/audit-repo.js';

type Event = Omit<AuditEvent, 'actor'>;
type In = Record<string, unknown>;
type Out = Record<string, unknown>;

/**
 * The audit entry a successful API call leaves (ids, counts and fixed words only; see audit-repo.ts). Calls
 * that only read lists leave none; erasures and vault operations write their own, in their own transaction.
 */
const EVENTS: Partial<Record<ApiMethod, (i: In, o: Out) => Event>> = {
  'sessions.get': (i) => ({ action: 'view', objectKind: 'session', objectId: i.id as number }),
  'export.session': (i) => ({
    action: 'export',
    objectKind: 'session',
    objectId: i.sessionId as number,
    details: { format: i.format as string, per: (i.per as string | undefined) ?? null, ...(i.noText ? { noText: true } : {}) },
  }),
  'clients.create': (_i, o) => ({ action: 'create', objectKind: 'client', objectId: o.id as number }),
  'clients.rename': (i) => ({ action: 'edit', objectKind: 'client', objectId: i.id as number, details: { fields: 'displayName' } }),
  'clients.archive': (i) => ({ action: 'edit', objectKind: 'client', objectId: i.id as number, details: { archived: i.archived as boolean } }),
  'sessions.assign': (i) => ({ action: 'edit', objectKind: 'session', objectId: i.id as number, details: { clientId: i.clientId as number | null } }),
  'dass.save': (_i, o) => ({ action: 'create', objectKind: 'dass', objectId: o.id as number, details: { clientId: o.clientId as number } }),
  'dass.update': (_i, o) => ({
    action: 'edit',
    objectKind: 'dass',
    objectId: o.id as number,
    details: { clientId: o.clientId as number, fields: 'date,answers' },
  }),
  'models.select': (i) => ({
    action: 'settings',
    objectKind: 'settings',
    details: { setting: 'models', role: i.role as string, model: (i.id as string | null) ?? 'default' },
  }),
  // Never the name itself (the audit log holds no names): which participant, and what changed.
  'participants.rename': (i) => ({
    action: 'edit',
    objectKind: 'session',
    objectId: i.sessionId as number,
    details: { participant: i.participant as number, fields: i.name === null ? 'name-removed' : 'name' },
  }),
  'participants.setClient': (i) => ({
    action: 'edit',
    objectKind: 'session',
    objectId: i.sessionId as number,
    details: { participant: (i.participant as number | null) ?? null, fields: 'client' },
  }),
  // Transcripts: ids and counts only, never a word said, a speaker's name or what was searched for.
  'transcripts.attach': (i, o) => ({
    action: 'attach',
    objectKind: 'transcript',
    objectId: o.id as number,
    details: {
      sessionId: i.sessionId as number,
      cues: (o.cues as unknown[]).length,
      speakers: (o.speakers as unknown[]).length,
      format: o.format as string,
      replace: Boolean(i.replace),
    },
  }),
  'transcripts.renameSpeaker': (i, o) => ({
    action: 'edit',
    objectKind: 'transcript',
    objectId: o.id as number,
    details: { sessionId: o.sessionId as number, speakerId: i.speakerId as number, fields: 'speaker-name' },
  }),
  'transcripts.mapSpeaker': (i, o) => ({
    action: 'edit',
    objectKind: 'transcript',
    objectId: o.id as number,
    details: {
      sessionId: o.sessionId as number,
      speakerId: i.speakerId as number,
      participant: (i.participant as number | null) ?? null,
      fields: 'speaker-participant',
    },
  }),
  'transcripts.search': (i, o) => ({
    action: 'search',
    objectKind: 'client',
    objectId: i.clientId as number,
    details: { hits: o.total as number, sessions: o.sessions as number },
  }),
  'annotations.createTrack': (_i, o) => ({
    action: 'create',
    objectKind: 'annotation-track',
    objectId: o.id as number,
    details: { sessionId: o.sessionId as number },
  }),
};

export function auditEventFor(method: ApiMethod, input: unknown, output: unknown): Event | null {
  const make = EVENTS[method];
  return make ? make((input ?? {}) as In, (output ?? {}) as Out) : null;
}
