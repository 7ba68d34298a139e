import path from 'node:path';
import type { ResolvedFfmpeg } from '../analysis/media/ffmpeg-path.js';
import { probeMedia } from '../analysis/media/probe.js';
import { DEFAULT_MODEL_IDS, resolveModelDir } from '../analysis/models/registry.js';
import type { ProgressListener } from '../analysis/progress.js';
import { TextEmotionModel } from '../analysis/text/text-model.js';
import { prepareTranscript, type PreparedTranscript } from '../analysis/transcript/prepare.js';
import { findSidecarTranscript } from '../analysis/transcript/read-transcript.js';
import { summarizeText } from '../analysis/transcript/text-summary.js';
import { appendAudit } from '../store/audit-repo.js';
import type { Db } from '../store/db.js';
import { speechTurns } from '../store/participants-repo.js';
import { getTranscript, saveTranscript } from '../store/transcripts-repo.js';

/**
 * `affect analyze` and transcripts: the transcript of each recording (given with --transcript, else the file beside it
 * with the same base name unless --no-transcript), read and estimated BEFORE the analysis so that one that cannot be
 * read fails at once; stored in the session's transaction.
 */
export class RecordingTranscripts {
  private model: Promise<TextEmotionModel> | null = null;

  constructor(private readonly opts: { explicit: string | null; sidecars: boolean; textModel?: string }) {}

  /** The transcript file for a recording, or null. */
  fileFor(recording: string): string | null {
    return this.opts.explicit ?? (this.opts.sidecars ? findSidecarTranscript(recording) : null);
  }

  /** Read, check against the recording's length and estimate (throws TranscriptError naming the file and line). */
  async prepare(
    recording: string,
    ffmpeg: ResolvedFfmpeg,
    signal: AbortSignal | undefined,
    onProgress: ProgressListener,
  ): Promise<PreparedTranscript | null> {
    const file = this.fileFor(recording);
    if (!file) return null;
    this.model ??= TextEmotionModel.load(resolveModelDir(this.opts.textModel ?? DEFAULT_MODEL_IDS.textEmotion), { threads: 1 });
    const media = await probeMedia(recording, ffmpeg, signal);
    return prepareTranscript(file, { durationS: media.durationS, model: await this.model, signal, onProgress });
  }

  async close(): Promise<void> {
    await this.model?.then((m) => m.release()).catch(() => undefined);
  }
}

/** Store a prepared transcript for a session (inside the caller's transaction) with its audit entry. */
function storeRecordingTranscript(db: Db, sessionId: number, p: PreparedTranscript): void {
  const { transcriptId } = saveTranscript(db, sessionId, p, { turns: speechTurns(db, sessionId) });
  appendAudit(db, {
    actor: 'cli',
    action: 'attach',
    objectKind: 'transcript',
    objectId: transcriptId,
    details: { sessionId, cues: p.transcript.cues.length, speakers: p.transcript.speakers.length, format: p.transcript.format, replace: false },
  });
}

/** A recording already stored: it gets the transcript when it has none; otherwise a line saying why not. */
export function attachToStored(db: Db, sessionId: number, p: PreparedTranscript): string {
  const existing = getTranscript(db, sessionId);
  if (existing)
    return existing.sha256 === p.sha256
      ? `session ${sessionId} has this transcript already`
      : `session ${sessionId} keeps its transcript ${existing.fileName}; \`affect transcript attach ${sessionId} ${p.fileName} --replace\` replaces it`;
  db.transaction(() => storeRecordingTranscript(db, sessionId, p))();
  return `transcript ${p.fileName} attached to session ${sessionId}`;
}

/** The transcript in `affect analyze`'s output: a JSON object, or a line for the text summary. */
export function transcriptSummary(p: PreparedTranscript) {
  const labels = p.model?.labels ?? [];
  const text = summarizeText(
    p.transcript.cues.map((c, i) => ({ text: c.text, label: p.estimates?.[i].label ?? null, probs: p.estimates?.[i].probabilities ?? null })),
    labels,
  );
  return {
    file: path.basename(p.fileName),
    format: p.transcript.format,
    lines: p.transcript.cues.length,
    speakers: p.transcript.speakers,
    warnings: p.transcript.warnings,
    text,
  };
}

export function transcriptLine(p: PreparedTranscript): string {
  const s = transcriptSummary(p);
  const share = s.text.majority ? Math.round((s.text.distribution[s.text.majority] ?? 0) * 100) : 0;
  return `  Text:  ${s.text.majority ? `${s.text.majority} in ${share}% of ${s.text.labelled} lines with an estimate` : `— (${s.text.reason})`}  (transcript ${s.file}: ${s.lines} lines, ${s.speakers.length} speakers; not fused)`;
}
