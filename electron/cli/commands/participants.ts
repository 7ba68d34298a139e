import { existsSync } from 'node:fs';
import { defaultDatabasePath } from '../../store/default-paths.js';
import {
  describedParticipant,
  faceSuggestions,
  listParticipants,
  ParticipantError,
  setClientParticipant,
  setParticipantName,
  type StoredParticipant,
} from '../../store/participants-repo.js';
import { parseCommandArgs, UsageError, writeLine, type CliIO } from '../io.js';
import { openCliDatabase } from '../open-db.js';
import { appendAudit } from '../../store/audit-repo.js';

/**
 * affect participants <session-id> [--name <pid>=<name>…] [--unname <pid>…] [--client <pid>|none] [--db <path>] [--json]
 * Lists a session's participants (face, voice, how the voice was linked, names, the client), names them, and marks
 * the client, whose estimates the session's summary and the client's trends then show. Changes are made in one
 * transaction each, then the list is printed. Faces named in a client's session are offered as suggestions in the
 * client's later sessions (listed here as "looks like").
 */
export async function runParticipants(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    db: { type: 'string' },
    name: { type: 'string', multiple: true },
    unname: { type: 'string', multiple: true },
    client: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length !== 1 || !/^\d+$/.test(positionals[0])) throw new UsageError('participants needs one session id');
  const sessionId = Number(positionals[0]);
  const pid = (text: string, what: string) => {
    if (!/^\d+$/.test(text)) throw new UsageError(`${what}: "${text}" is not a participant id (a number from \`affect participants ${sessionId}\`)`);
    return Number(text);
  };
  const names = (values.name ?? []).map((n) => {
    const eq = n.indexOf('=');
    if (eq < 1) throw new UsageError(`--name needs <pid>=<name>, got "${n}"`);
    return { number: pid(n.slice(0, eq), '--name'), name: n.slice(eq + 1) };
  });
  const unnamed = (values.unname ?? []).map((n) => pid(n, '--unname'));
  const client = values.client === undefined ? undefined : values.client === 'none' ? null : pid(values.client, '--client');
  const dbPath = values.db ?? defaultDatabasePath();
  if (!existsSync(dbPath)) {
    writeLine(io.stderr, `affect participants: ${dbPath}: no such database`);
    return 1;
  }
  const { db } = await openCliDatabase(dbPath, io);
  try {
    if (!db.prepare('SELECT 1 FROM sessions WHERE id = ?').get(sessionId)) {
      writeLine(io.stderr, `affect participants: no session with id ${sessionId}`);
      return 1;
    }
    try {
      // The audit log records which participant changed, never the name.
      for (const n of names) {
        setParticipantName(db, sessionId, n.number, n.name);
        appendAudit(db, {
          actor: 'cli',
          action: 'edit',
          objectKind: 'session',
          objectId: sessionId,
          details: { participant: n.number, fields: 'name' },
        });
      }
      for (const n of unnamed) {
        setParticipantName(db, sessionId, n, null);
        appendAudit(db, {
          actor: 'cli',
          action: 'edit',
          objectKind: 'session',
          objectId: sessionId,
          details: { participant: n, fields: 'name-removed' },
        });
      }
      if (client !== undefined) {
        setClientParticipant(db, sessionId, client);
        appendAudit(db, {
          actor: 'cli',
          action: 'edit',
          objectKind: 'session',
          objectId: sessionId,
          details: { participant: client, fields: 'client' },
        });
      }
    } catch (err) {
      if (!(err instanceof ParticipantError)) throw err;
      writeLine(io.stderr, `affect participants: ${err.message}`);
      return 1;
    }
    const people = listParticipants(db, sessionId);
    const described = describedParticipant(db, sessionId);
    const suggestions = faceSuggestions(db, sessionId);
    if (values.json) {
      writeLine(
        io.stdout,
        JSON.stringify({
          session: sessionId,
          summaryDescribes: described,
          participants: people.map((p) => ({
            id: p.number,
            name: p.name,
            client: p.isClient,
            face: p.face && {
              framesWithFace: p.face.framesWithFace,
              majority: p.face.majority,
              box: p.face.box,
              small: p.face.small,
              still: p.face.still,
            },
            voice: p.voice && { speechS: p.voice.speechS, majority: p.voice.majority, link: p.voice.link },
            fused: p.fused,
            suggestion: suggestions.find((s) => s.participant === p.number) ?? null,
          })),
        }),
      );
    } else {
      if (people.length === 0) writeLine(io.stdout, `Session ${sessionId}: no participants (no face and no speech was found)`);
      else writeLine(io.stdout, `Session ${sessionId}: ${people.length} participant(s); the summary describes participant ${described}`);
      for (const p of people)
        writeLine(
          io.stdout,
          describeParticipant(
            p,
            suggestions.find((s) => s.participant === p.number),
          ),
        );
    }
    return 0;
  } finally {
    db.close();
  }
}

function describeParticipant(p: StoredParticipant, suggestion?: { name: string; distance: number; fromSession: number }): string {
  const who = [p.name ? `"${p.name}"` : 'unnamed', p.isClient ? 'the client' : ''].filter(Boolean).join(', ');
  const face = p.face
    ? `face ${p.face.majority ?? '—'} (${p.face.framesWithFace} frames at x ${Math.round(p.face.box.x)}, y ${Math.round(p.face.box.y)}${p.face.small ? ', small' : ''}${p.face.still ? ', did not move: a picture?' : ''})`
    : 'no face';
  const voice = p.voice
    ? `voice ${p.voice.majority ?? '—'} (${p.voice.speechS.toFixed(1)} s of speech${p.voice.link ? `; linked to the face: ${p.voice.link.evidence === 'mouth-speech' ? 'mouth moves with the speech' : 'the only face and the only voice'}, ${Math.round(p.voice.link.confidence * 100)}%` : ''})`
    : 'no voice';
  const fused = p.fused?.label ? `fused ${p.fused.label}` : 'no fused estimate';
  const looks = suggestion
    ? `; looks like "${suggestion.name}" from session ${suggestion.fromSession} (distance ${suggestion.distance.toFixed(2)})`
    : '';
  return `  ${p.number}: ${who} — ${face}; ${voice}; ${fused}${looks}`;
}
