import type { ApiOutput } from '../contract/api.js';
import { mapSpeakersToParticipants, type MappingTurn } from '../analysis/transcript/speaker-mapping.js';
import { summarizeText } from '../analysis/transcript/text-summary.js';
import type { Db } from '../store/db.js';
import { getTranscript, type StoredTranscript } from '../store/transcripts-repo.js';

type TranscriptOut = NonNullable<ApiOutput<'transcripts.get'>>;

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** A stored transcript as the API gives it: display names, per-speaker and per-participant text summaries, mapping evidence. */
export function presentTranscript(t: StoredTranscript, turns: readonly MappingTurn[]): TranscriptOut {
  const labels = t.model?.labels ?? [];
  const shownName = new Map(t.speakers.map((s) => [s.id, s.name ?? s.label]));
  const fileName = new Map(t.speakers.map((s) => [s.id, s.label]));
  const evidence = mapSpeakersToParticipants(
    t.cues.map((c) => ({ startS: c.startS, endS: c.endS, speaker: c.speakerId === null ? null : fileName.get(c.speakerId)! })),
    turns,
  );
  const participants = [...new Set(t.cues.map((c) => c.participant).filter((p): p is number => p !== null))].sort((a, b) => a - b);
  return {
    id: t.id,
    sessionId: t.sessionId,
    format: t.format,
    fileName: t.fileName,
    encoding: t.encoding,
    importedAt: t.importedAt,
    warnings: t.warnings,
    model: t.model,
    speakers: t.speakers.map((s) => {
      const e = evidence.speakers.find((m) => m.speaker === s.label);
      return {
        id: s.id,
        label: s.label,
        name: s.name,
        participant: s.participant,
        mapping: s.mapping,
        mappingScore: s.mappingScore,
        evidence: { overlaps: e?.overlaps ?? [], why: e?.why ?? null },
        speechS: e?.speechS ?? 0,
        text: summarizeText(
          t.cues.filter((c) => c.speakerId === s.id),
          labels,
        ),
      };
    }),
    cues: t.cues.map((c) => ({
      id: c.id,
      start: r4(c.startS),
      end: r4(c.endS),
      speakerId: c.speakerId,
      speaker: c.speakerId === null ? null : shownName.get(c.speakerId)!,
      participant: c.participant,
      text: c.text,
      label: c.label,
      top: c.top,
      confidence: c.confidence === null ? null : r4(c.confidence),
      line: c.line,
    })),
    text: summarizeText(t.cues, labels),
    byParticipant: participants.map((p) => ({
      participant: p,
      text: summarizeText(
        t.cues.filter((c) => c.participant === p),
        labels,
      ),
    })),
  };
}

/** A session's transcript for the API, or null. */
export function transcriptOf(db: Db, sessionId: number, turns: readonly MappingTurn[]): TranscriptOut | null {
  const t = getTranscript(db, sessionId);
  return t ? presentTranscript(t, turns) : null;
}
