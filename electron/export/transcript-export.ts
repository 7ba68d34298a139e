import { EMOTION_LABELS } from '../contract/shared/labels.js';
import { ESTIMATE_NOTE } from '../analysis/result.js';
import { summarizeText } from '../analysis/transcript/text-summary.js';
import type { Db } from '../store/db.js';
import { getTranscript, type StoredTranscript } from '../store/transcripts-repo.js';
import type { EafTier } from './eaf.js';
import type { Cell, Table } from './tables.js';
import { clientCodeOf } from './targets.js';

/**
 * Transcripts as files: a table (CSV) and JSON with one row per cue (times, speaker, participant, text, the text
 * model's estimate), and ELAN tiers (one per speaker). The words are the user's data: these exports carry them; the
 * PDF report can leave them out (report-transcript.ts).
 */

/** ELAN tiers of transcripts carry this ANNOTATOR, so importing the file as annotations leaves them out. */
export const TRANSCRIPT_ANNOTATOR = 'transcript';

const r6 = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : Math.round(x * 1e6) / 1e6);

export const TRANSCRIPT_COLUMNS = [
  'session_id',
  'client_code',
  'cue',
  'start_s',
  'end_s',
  'speaker',
  'speaker_in_file',
  'participant',
  'text',
  'text_label',
  'text_confidence',
  'text_top',
  ...EMOTION_LABELS.map((l) => `text_p_${l}`),
  'text_model',
  'transcript_file',
] as const;

function speakerNames(t: StoredTranscript) {
  return new Map(t.speakers.map((s) => [s.id, { shown: s.name ?? s.label, inFile: s.label }]));
}

const modelName = (t: StoredTranscript) => (t.model ? `${t.model.id}@${t.model.version}` : null);

/** One row per cue of the sessions' transcripts (sessions without one give no rows). */
export function transcriptTable(db: Db, sessionIds: readonly number[]): Table {
  const rows: Cell[][] = [];
  for (const id of sessionIds) {
    const t = getTranscript(db, id);
    if (!t) continue;
    const code = clientCodeOf(db, id);
    const names = speakerNames(t);
    const labels = t.model?.labels ?? [];
    for (const c of t.cues) {
      const who = c.speakerId === null ? null : names.get(c.speakerId)!;
      rows.push([
        id,
        code,
        c.seq + 1,
        r6(c.startS),
        r6(c.endS),
        who?.shown ?? null,
        who?.inFile ?? null,
        c.participant,
        c.text,
        c.label,
        r6(c.confidence),
        c.top,
        ...EMOTION_LABELS.map((l) => (c.probs && labels.includes(l) ? r6(c.probs[labels.indexOf(l)]) : null)),
        modelName(t),
        t.fileName,
      ]);
    }
  }
  return { header: [...TRANSCRIPT_COLUMNS], rows };
}

/** JSON: per session, the transcript's source, speakers (with their text summary) and cues. */
export function transcriptJson(db: Db, sessionIds: readonly number[]): string {
  const sessions = sessionIds.flatMap((id) => {
    const t = getTranscript(db, id);
    if (!t) return [];
    const names = speakerNames(t);
    const labels = t.model?.labels ?? [];
    return [
      {
        sessionId: id,
        clientCode: clientCodeOf(db, id),
        transcript: {
          file: t.fileName,
          format: t.format,
          encoding: t.encoding,
          importedAt: t.importedAt,
          sha256: t.sha256,
          warnings: t.warnings,
          textModel: t.model,
        },
        speakers: t.speakers.map((s) => ({
          inFile: s.label,
          name: s.name ?? s.label,
          participant: s.participant,
          mapping: s.mapping,
          mappingScore: s.mappingScore,
          text: summarizeText(
            t.cues.filter((c) => c.speakerId === s.id),
            labels,
          ),
        })),
        text: summarizeText(t.cues, labels),
        cues: t.cues.map((c) => ({
          cue: c.seq + 1,
          startS: r6(c.startS),
          endS: r6(c.endS),
          speaker: c.speakerId === null ? null : names.get(c.speakerId)!.shown,
          participant: c.participant,
          text: c.text,
          estimate: {
            label: c.label,
            confidence: r6(c.confidence),
            top: c.top,
            probabilities: c.probs ? Object.fromEntries(labels.map((l, k) => [l, r6(c.probs![k])])) : null,
          },
        })),
      },
    ];
  });
  return (
    JSON.stringify(
      { note: ESTIMATE_NOTE, textNote: 'Text estimates are of the words alone; they are not part of the fused estimate.', sessions },
      null,
      2,
    ) + '\n'
  );
}

/**
 * A session's transcript as ELAN tiers: one per speaker (TIER_ID and PARTICIPANT = the speaker's name; ANNOTATOR =
 * "transcript"), the cues without a speaker on a tier "transcript". A tier id already taken (an annotation track of
 * the same name) gets " (transcript)" added.
 */
export function transcriptTiers(db: Db, sessionId: number, taken: ReadonlySet<string>): EafTier[] {
  const t = getTranscript(db, sessionId);
  if (!t) return [];
  const names = speakerNames(t);
  const bySpeaker = new Map<number | null, StoredTranscript['cues']>();
  for (const c of t.cues) bySpeaker.set(c.speakerId, [...(bySpeaker.get(c.speakerId) ?? []), c]);
  const used = new Set(taken);
  return [...bySpeaker].map(([speakerId, cues]) => {
    const name = speakerId === null ? TRANSCRIPT_ANNOTATOR : names.get(speakerId)!.shown;
    let id = name;
    while (used.has(id)) id = `${id} (transcript)`;
    used.add(id);
    return {
      id,
      annotator: TRANSCRIPT_ANNOTATOR,
      ...(speakerId === null ? {} : { participant: name }),
      spans: cues.map((c) => ({ start: c.startS, end: c.endS, label: c.text })),
    };
  });
}
