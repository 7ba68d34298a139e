import { statSync } from 'node:fs';
import path from 'node:path';
import { AnalysisEngine } from '../../analysis/engine.js';
import { CancelledError, MediaInputError } from '../../analysis/media/errors.js';
import { hashFile } from '../../analysis/media/media-hash.js';
import { checkInputFile } from '../../analysis/media/probe.js';
import { ensureClient } from '../../store/clients-repo.js';
import { appendAudit } from '../../store/audit-repo.js';
import { defaultDatabasePath } from '../../store/default-paths.js';
import { summaryWithPeople } from '../../store/participants-repo.js';
import { AlreadyStoredError } from '../../store/analysis-key.js';
import { findAnalysedSession, getSession, saveAnalysis, saveOrReplaceAnalysis } from '../../store/sessions-repo.js';
import { ClientCode } from '../../contract/api.js';
import { formatSummary } from '../format-summary.js';
import { openCliDatabase } from '../open-db.js';
import { parseCommandArgs, UsageError, writeLine, type CliIO } from '../io.js';
import { expandInputs } from '../media-files.js';
import { progressPrinter } from '../progress-line.js';
import { parseShard, shardOf } from '../shard.js';
import { TranscriptError } from '../../analysis/transcript/cue.js';
import { attachToStored, RecordingTranscripts, transcriptLine, transcriptSummary } from '../recording-transcript.js';

/**
 * affect analyze <file|dir|…> [--db <path>] [--fps <n>] [--client <code>] [--speakers <n>] [--json] [--threads <n>]
 *                [--shard i/N] [--force] [--no-store] [--plain] [--face-model <id|dir>] [--voice-model <id|dir>] [--detector <id|dir>]
 * Each file is analysed, then stored in one transaction (with its absolute path). A file already stored with the same
 * content, fps and models is skipped (so a batch started again resumes where it stopped); its stored summary is printed
 * as for a new analysis, so stdout (and --json) always has one summary per file. When another run stores it while this
 * one analyses it, this one says so and stores nothing (a unique key decides). --force analyses again and replaces
 * that session's results in place (same session id; annotations, client and DASS kept).
 * A bad file gets one line on stderr naming it and the problem; the others go on; exit 1 if any failed.
 * --plain: the database stays unencrypted and no passphrase is asked (the demo, public or test data only).
 * Transcripts: --transcript <file> (one recording), else talk.vtt/.srt/.eaf/.txt beside talk.mp4 unless --no-transcript;
 * read and estimated before the analysis (one that cannot be read fails that file, naming the transcript and the line),
 * stored with the session. A recording already stored gets it when it has none.
 */
export async function runAnalyze(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    db: { type: 'string' },
    fps: { type: 'string' },
    client: { type: 'string' },
    speakers: { type: 'string' },
    json: { type: 'boolean', default: false },
    threads: { type: 'string' },
    shard: { type: 'string' },
    force: { type: 'boolean', default: false },
    'no-store': { type: 'boolean', default: false },
    plain: { type: 'boolean', default: false },
    'face-model': { type: 'string' },
    'voice-model': { type: 'string' },
    detector: { type: 'string' },
    transcript: { type: 'string' },
    'no-transcript': { type: 'boolean', default: false },
    'text-model': { type: 'string' },
  });
  if (positionals.length === 0) throw new UsageError('analyze needs at least one file or directory');
  const fps = values.fps === undefined ? 2 : Number(values.fps);
  if (!(fps > 0 && fps <= 60)) throw new UsageError(`--fps must be a number in (0, 60], got "${values.fps}"`);
  const speakers = values.speakers === undefined ? undefined : Number(values.speakers);
  if (speakers !== undefined && !(Number.isInteger(speakers) && speakers >= 1 && speakers <= 31))
    throw new UsageError(`--speakers must be a whole number from 1 to 31, got "${values.speakers}"`);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) throw new UsageError(`--threads must be a positive integer`);
  if (values.client !== undefined && !ClientCode.safeParse(values.client).success)
    throw new UsageError(
      `--client "${values.client.replace(/[\p{Cc}\p{Cf}]/gu, '?')}" is not a client code: 1–64 printable characters, no control or formatting characters`,
    );
  let shard;
  try {
    shard = values.shard === undefined ? null : parseShard(values.shard);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }

  if (values.transcript !== undefined && values['no-transcript']) throw new UsageError('give --transcript or --no-transcript, not both');
  const expanded = expandInputs(positionals);
  if (values.transcript !== undefined && expanded.files.length !== 1)
    throw new UsageError(
      `--transcript goes with one recording (${expanded.files.length} given); for several, put each transcript beside its recording with the same name (talk.mp4, talk.vtt)`,
    );
  const transcripts = new RecordingTranscripts({
    explicit: values.transcript ?? null,
    sidecars: !values['no-transcript'],
    textModel: values['text-model'],
  });
  for (const dir of expanded.emptyDirs) writeLine(io.stderr, `affect: ${dir}: is a directory with no audio or video files in it`);
  const files = shard ? expanded.files.filter((f) => shardOf(f.path, f.root, shard.count) === shard.index) : expanded.files;
  if (files.length === 0) {
    if (shard && expanded.files.length > 0)
      writeLine(io.stderr, `affect: shard ${shard.index}/${shard.count} has no files (of ${expanded.files.length})`);
    return expanded.files.length > 0 ? 0 : 1;
  }
  const dbPath = values.db ?? defaultDatabasePath();
  const db = values['no-store'] ? null : (await openCliDatabase(dbPath, io, { plain: values.plain })).db;
  const engine = await AnalysisEngine.create({
    threads,
    faceExpression: values['face-model'],
    voiceEmotion: values['voice-model'],
    faceDetector: values.detector,
  });
  if (!values.json)
    writeLine(
      io.stderr,
      `ffmpeg: ${engine.ffmpeg.ffmpeg} (${engine.ffmpeg.source})${db ? `; database: ${dbPath}` : ''}${shard ? `; shard ${shard.index}/${shard.count}: ${files.length} of ${expanded.files.length} files` : ''}`,
    );
  const modelShas = engine.models.map((m) => m.sha256);
  // Overall progress for a batch is weighted by file size (durations are unknown until each file is probed).
  const sizes = files.map((f) => {
    try {
      return statSync(f.path).size;
    } catch {
      return 0;
    }
  });
  const totalBytes = sizes.reduce((a, b) => a + b, 0) || 1;
  let doneBytes = 0;
  const batchStart = performance.now();
  let failures = expanded.emptyDirs.length;
  let skipped = 0;
  try {
    const clientId = db && values.client ? ensureClient(db, values.client).id : null;
    for (const [i, { path: given }] of files.entries()) {
      const file = path.resolve(given);
      const label = files.length > 1 ? `[${i + 1}/${files.length}] ${given}` : given;
      const progress = progressPrinter(io.stderr, io.interactive, label);
      try {
        checkInputFile(file);
        const mediaSha256 = await hashFile(file, io.signal);
        const transcript = await transcripts.prepare(file, engine.ffmpeg, io.signal, (p) => progress.print(p));
        const existing = db && !values.force ? findAnalysedSession(db, mediaSha256, fps, modelShas, speakers) : null;
        if (existing !== null) {
          skipped++;
          writeLine(
            io.stderr,
            `${label}: already analysed as session ${existing} (same content, fps and models); not analysed again — the stored summary follows; use --force to analyse again`,
          );
          if (transcript) writeLine(io.stderr, `${label}: ${attachToStored(db!, existing, transcript)}`);
          const stored = summaryWithPeople(db!, existing, getSession(db!, existing)!.summary);
          writeLine(io.stdout, values.json ? JSON.stringify(stored) : formatSummary(stored));
          continue;
        }
        const result = await engine.analyze(file, {
          fps,
          speakers,
          mediaSha256,
          signal: io.signal,
          onProgress: (p) => {
            if (files.length === 1) return progress.print(p);
            const overall = (doneBytes + p.fraction * sizes[i]) / totalBytes;
            const elapsed = (performance.now() - batchStart) / 1000;
            // In a batch the percentage and ETA are the whole batch's; the detail says where this file is.
            progress.print({
              ...p,
              fraction: overall,
              etaS: overall > 0.01 ? (elapsed / overall) * (1 - overall) : null,
              detail: `(batch; this file ${Math.floor(p.fraction * 100)}%)`,
            });
          },
        });
        progress.end();
        try {
          if (db)
            result.summary.session.id = db.transaction(() => {
              const id = values.force ? saveOrReplaceAnalysis(db, result, { clientId }).sessionId : saveAnalysis(db, result, { clientId });
              appendAudit(db, { actor: 'cli', action: 'import', objectKind: 'session', objectId: id });
              if (transcript) {
                const note = attachToStored(db, id, transcript);
                if (values.force && !note.startsWith('transcript')) writeLine(io.stderr, `${label}: ${note}`);
              }
              return id;
            })();
        } catch (err) {
          if (!(err instanceof AlreadyStoredError)) throw err;
          // Another run stored this recording while this one analysed it: say so, store nothing, print what is stored.
          skipped++;
          writeLine(io.stderr, `${label}: ${err.reason}`);
          const stored = getSession(db!, err.sessionId)!.summary;
          writeLine(io.stdout, values.json ? JSON.stringify(stored) : formatSummary(stored));
          continue;
        }
        if (values.json)
          writeLine(io.stdout, JSON.stringify(transcript ? { ...result.summary, transcript: transcriptSummary(transcript) } : result.summary));
        else writeLine(io.stdout, formatSummary(result.summary) + (transcript ? `\n${transcriptLine(transcript)}` : ''));
      } catch (err) {
        progress.end();
        if (err instanceof CancelledError) throw err;
        if (err instanceof TranscriptError) {
          failures++;
          writeLine(
            io.stderr,
            `affect: ${label}: the transcript ${err.message}; nothing was analysed or stored for this recording (correct the transcript, or --no-transcript to analyse without it)`,
          );
          continue;
        }
        if (!(err instanceof MediaInputError)) throw err;
        failures++;
        writeLine(io.stderr, `affect: ${err.message}`);
      } finally {
        doneBytes += sizes[i];
      }
    }
  } finally {
    db?.close();
    await engine.close();
    await transcripts.close();
  }
  if (files.length > 1) writeLine(io.stderr, `affect: ${files.length - failures - skipped} analysed, ${skipped} already done, ${failures} failed`);
  return failures > 0 ? 1 : 0;
}
