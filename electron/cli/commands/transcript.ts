import { CancelledError } from '../../analysis/media/errors.js';
import { DEFAULT_MODEL_IDS, resolveModelDir } from '../../analysis/models/registry.js';
import { TextEmotionModel } from '../../analysis/text/text-model.js';
import { formatTimestamp, TranscriptError, type TranscriptFormat } from '../../analysis/transcript/cue.js';
import { prepareTranscript } from '../../analysis/transcript/prepare.js';
import { presentTranscript } from '../../api/transcript-view.js';
import { appendAudit } from '../../store/audit-repo.js';
import type { Db } from '../../store/db.js';
import { defaultDatabasePath } from '../../store/default-paths.js';
import { getSession } from '../../store/sessions-repo.js';
import { speechTurns } from '../../store/participants-repo.js';
import { getTranscript, mapSpeaker, renameSpeaker, saveTranscript, searchTranscripts, TranscriptExistsError } from '../../store/transcripts-repo.js';
import { parseCommandArgs, UsageError, writeLine, type CliIO } from '../io.js';
import { openCliDatabase } from '../open-db.js';
import { progressPrinter } from '../progress-line.js';

const FORMATS: readonly TranscriptFormat[] = ['webvtt', 'srt', 'timestamped-text', 'eaf'];
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`);

/** A positive integer argument, or a usage error naming it. */
function idArg(value: string | undefined, what: string): number {
  const n = Number(value);
  if (!value || !Number.isInteger(n) || n <= 0) throw new UsageError(`${what} must be a positive integer${value ? `, got "${value}"` : ''}`);
  return n;
}

/** Fails (exit 1, one line) unless the session exists. */
function needSession(db: Db, id: number, io: CliIO): boolean {
  if (getSession(db, id)) return true;
  writeLine(io.stderr, `affect transcript: no session with id ${id}`);
  return false;
}

/**
 * affect transcript attach <session-id> <file> [--replace] [--format webvtt|srt|timestamped-text|eaf] [--tier <id>…] [--text-model <id|dir>] [--json] [--db <path>]
 * affect transcript show <session-id> [--json] [--db <path>]
 * affect transcript search client:<code> <words…> [--limit <n>] [--json] [--db <path>]
 * affect transcript speaker <session-id> <name in the file> [--name <name> | --clear-name] [--participant <n> | --unmap] [--db <path>]
 * attach: read, check against the recording, estimate each line (progress; Ctrl-C cancels), store in one transaction.
 * A transcript that cannot be read exits 1 with one line naming the file and the line; nothing is stored.
 * (Removing a transcript: `affect erase transcript <session-id>`.)
 */
export async function runTranscript(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseCommandArgs(rest, {
    db: { type: 'string' },
    json: { type: 'boolean', default: false },
    replace: { type: 'boolean', default: false },
    format: { type: 'string' },
    tier: { type: 'string', multiple: true },
    'text-model': { type: 'string' },
    limit: { type: 'string' },
    name: { type: 'string' },
    'clear-name': { type: 'boolean', default: false },
    participant: { type: 'string' },
    unmap: { type: 'boolean', default: false },
  });
  if (sub !== 'attach' && sub !== 'show' && sub !== 'search' && sub !== 'speaker')
    throw new UsageError('transcript needs: attach | show | search | speaker');
  if (values.format !== undefined && !FORMATS.includes(values.format as TranscriptFormat))
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const dbPath = values.db ?? defaultDatabasePath();

  if (sub === 'attach') {
    if (positionals.length !== 2) throw new UsageError('transcript attach needs <session-id> <file>');
    const sessionId = idArg(positionals[0], 'the session id');
    const file = positionals[1];
    const model = await TextEmotionModel.load(resolveModelDir(values['text-model'] ?? DEFAULT_MODEL_IDS.textEmotion), { threads: 1 });
    const { db } = await openCliDatabase(dbPath, io, { mustExist: true });
    const progress = progressPrinter(io.stderr, io.interactive, file);
    try {
      const session = getSession(db, sessionId);
      if (!session) return (needSession(db, sessionId, io), 1);
      const existing = getTranscript(db, sessionId);
      if (existing && !values.replace) throw new TranscriptExistsError(sessionId, existing.fileName);
      const prepared = await prepareTranscript(file, {
        durationS: session.durationS,
        model,
        format: values.format as TranscriptFormat | undefined,
        tiers: values.tier,
        signal: io.signal,
        onProgress: (p) => progress.print(p),
      });
      progress.end();
      const { transcriptId } = db.transaction(() => {
        const saved = saveTranscript(db, sessionId, prepared, { replace: values.replace, turns: speechTurns(db, sessionId) });
        appendAudit(db, {
          actor: 'cli',
          action: 'attach',
          objectKind: 'transcript',
          objectId: saved.transcriptId,
          details: {
            sessionId,
            cues: prepared.transcript.cues.length,
            speakers: prepared.transcript.speakers.length,
            format: prepared.transcript.format,
            replace: saved.replaced,
          },
        });
        return saved;
      })();
      const shown = presentTranscript(getTranscript(db, sessionId)!, speechTurns(db, sessionId));
      if (values.json) writeLine(io.stdout, JSON.stringify(shown));
      else writeLine(io.stdout, `transcript ${transcriptId} attached to session ${sessionId}: ${describe(shown)}`);
      for (const w of prepared.transcript.warnings) writeLine(io.stderr, `affect transcript: ${file}: ${w}`);
      return 0;
    } catch (err) {
      progress.end();
      if (err instanceof TranscriptError || err instanceof TranscriptExistsError) {
        writeLine(io.stderr, `affect transcript: ${err.message}${err instanceof TranscriptExistsError ? ' (--replace)' : ''}; nothing was stored`);
        return 1;
      }
      if (err instanceof CancelledError) {
        writeLine(io.stderr, `affect transcript: ${file}: cancelled; nothing was stored`);
        return 130;
      }
      throw err;
    } finally {
      db.close();
      await model.release();
    }
  }

  const { db } = await openCliDatabase(dbPath, io, { mustExist: true });
  try {
    if (sub === 'show') {
      if (positionals.length !== 1) throw new UsageError('transcript show needs <session-id>');
      const sessionId = idArg(positionals[0], 'the session id');
      if (!needSession(db, sessionId, io)) return 1;
      const t = getTranscript(db, sessionId);
      if (!t) {
        writeLine(
          io.stderr,
          `affect transcript: session ${sessionId} has no transcript (attach one with \`affect transcript attach ${sessionId} <file>\`)`,
        );
        return 1;
      }
      const shown = presentTranscript(t, speechTurns(db, sessionId));
      if (values.json) writeLine(io.stdout, JSON.stringify(shown));
      else printTranscript(io, shown);
      return 0;
    }
    if (sub === 'search') {
      const [target, ...words] = positionals;
      if (!target?.startsWith('client:') || words.length === 0)
        throw new UsageError('transcript search needs client:<code> and the words to look for');
      const code = target.slice('client:'.length).trim();
      const client = db.prepare('SELECT id FROM clients WHERE code = ?').get(code) as { id: number } | undefined;
      if (!client) {
        writeLine(io.stderr, `affect transcript: no client with code "${code}"`);
        return 1;
      }
      const limit = values.limit === undefined ? 200 : idArg(values.limit, '--limit');
      const r = searchTranscripts(db, client.id, words.join(' '), { limit });
      appendAudit(db, {
        actor: 'cli',
        action: 'search',
        objectKind: 'client',
        objectId: client.id,
        details: { hits: r.total, sessions: r.sessions },
      });
      if (values.json) writeLine(io.stdout, JSON.stringify(r));
      else {
        for (const h of r.hits)
          writeLine(
            io.stdout,
            `session ${h.sessionId} (${h.date.slice(0, 10)}) ${formatTimestamp(h.startS)}  ${h.speaker ?? '—'}: ${h.parts.map((p) => (p.match ? `[${p.text}]` : p.text)).join('')}`,
          );
        writeLine(
          io.stderr,
          `${r.total} line${r.total === 1 ? '' : 's'} in ${r.sessions} session${r.sessions === 1 ? '' : 's'}${r.total > r.hits.length ? ` (first ${r.hits.length} shown; --limit)` : ''}`,
        );
      }
      return r.total > 0 ? 0 : 1;
    }
    // speaker
    if (positionals.length !== 2) throw new UsageError('transcript speaker needs <session-id> "<name in the file>"');
    const sessionId = idArg(positionals[0], 'the session id');
    if (!needSession(db, sessionId, io)) return 1;
    if (values.name !== undefined && values['clear-name']) throw new UsageError('give --name or --clear-name, not both');
    if (values.participant !== undefined && values.unmap) throw new UsageError('give --participant or --unmap, not both');
    const t = getTranscript(db, sessionId);
    const speaker = t?.speakers.find((s) => s.label === positionals[1] || s.name === positionals[1]);
    if (!t || !speaker) {
      writeLine(
        io.stderr,
        `affect transcript: session ${sessionId} has no transcript speaker "${positionals[1]}"${t ? ` (speakers: ${t.speakers.map((s) => s.label).join(', ')})` : ''}`,
      );
      return 1;
    }
    const fields: string[] = [];
    db.transaction(() => {
      if (values.name !== undefined || values['clear-name']) {
        renameSpeaker(db, speaker.id, values['clear-name'] ? null : values.name!);
        fields.push('speaker-name');
      }
      if (values.participant !== undefined || values.unmap) {
        mapSpeaker(db, speaker.id, values.unmap ? null : idArg(values.participant, '--participant'));
        fields.push('speaker-participant');
      }
      if (!fields.length) throw new UsageError('transcript speaker needs --name, --clear-name, --participant or --unmap');
      appendAudit(db, {
        actor: 'cli',
        action: 'edit',
        objectKind: 'transcript',
        objectId: t.id,
        details: { sessionId, speakerId: speaker.id, fields: fields.join(',') },
      });
    })();
    printTranscript(io, presentTranscript(getTranscript(db, sessionId)!, speechTurns(db, sessionId)), { speakersOnly: true });
    return 0;
  } finally {
    db.close();
  }
}

type Shown = ReturnType<typeof presentTranscript>;

function describe(t: Shown): string {
  return `${t.fileName} (${t.format}, ${t.encoding}), ${t.cues.length} lines, ${t.speakers.length} speaker${t.speakers.length === 1 ? '' : 's'}; text: ${t.text.majority ? `${t.text.majority} in ${pct(t.text.distribution[t.text.majority])} of ${t.text.labelled} lines with an estimate` : `no estimate (${t.text.reason})`}`;
}

function printTranscript(io: CliIO, t: Shown, { speakersOnly = false } = {}): void {
  writeLine(io.stdout, `session ${t.sessionId}: ${describe(t)}${t.model ? `; text model ${t.model.id} ${t.model.version}` : ''}`);
  for (const s of t.speakers) {
    const mapped =
      s.participant !== null
        ? `participant ${s.participant} (${s.mapping === 'user' ? 'by hand' : `by overlap, ${pct(s.mappingScore)}`})`
        : `not mapped${s.mapping === 'user' ? ' (by hand)' : s.evidence.why ? ` (${s.evidence.why})` : ''}`;
    writeLine(
      io.stdout,
      `  ${s.name ?? s.label}${s.name ? ` (in the file: ${s.label})` : ''} → ${mapped}; ${s.text.lines} lines; text: ${s.text.majority ?? `no estimate (${s.text.reason})`}`,
    );
  }
  if (speakersOnly) return;
  for (const c of t.cues)
    writeLine(
      io.stdout,
      `  ${formatTimestamp(c.start).padStart(9)}  ${c.speaker ?? '—'}: ${c.text}  [${c.label ?? 'uncertain'}${c.confidence !== null ? ` ${pct(c.confidence)}` : ''}]`,
    );
  writeLine(io.stdout, 'Text estimates are of the words alone: expression estimates, not a diagnosis.');
}
