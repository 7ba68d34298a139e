import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { EMOTION_LABELS } from '../../electron/contract/shared/labels.js';
import { resolveFfmpeg } from '../../electron/analysis/media/ffmpeg-path.js';
import { hashFile } from '../../electron/analysis/media/media-hash.js';
import { probeMedia } from '../../electron/analysis/media/probe.js';
import { ESTIMATE_NOTE, type AnalysisResult, type FrameResult, type ParticipantResult, type WindowResult } from '../../electron/analysis/result.js';
import type { Db } from '../../electron/store/db.js';
import { saveAnalysis, type SaveOptions } from '../../electron/store/sessions-repo.js';
import { REPO_ROOT } from './paths.js';

export const SAMPLE_MP4 = path.join(REPO_ROOT, 'data/samples/sample.mp4');

/** The face model's label order in these fixtures (no `calm`, like FER-2013 models). */
export const FIXTURE_FACE_LABELS = EMOTION_LABELS.filter((l) => l !== 'calm');

/** The shipped models are present, so `affect analyze` can produce a real stored session. */
export const SHIPPED_MODELS_PRESENT = ['face-cnn', 'voice-spectrogram-cnn', 'blazeface-front-128'].every((id) =>
  existsSync(path.join(REPO_ROOT, 'native-models', id, 'model.onnx')),
);

function oneHotish(labels: readonly string[], top: string, confidence: number): Float32Array {
  const rest = (1 - confidence) / (labels.length - 1);
  return Float32Array.from(labels, (l) => (l === top ? confidence : rest));
}

/**
 * Stores a session for a REAL recording (probed and hashed with ffmpeg, so its media row, duration and
 * frame times are real) whose per-frame and per-window results are a SCRIPTED pattern given by the caller,
 * not model output: for tests of storage, exports and reports when the shipped models are not needed.
 * `faceAt(t)` / `voiceAt(t)` give the label at a time (null = no face / unvoiced). Each call is its own
 * scripted "analysis" (its scripted face model has a sha256 of its own), so one database can hold several
 * sessions of one recording without tripping the one-analysis-per-content-fps-models rule.
 */
let scripted = 0;

export async function storeScriptedSession(
  db: Db,
  file: string,
  script: { fps?: number; faceAt: (t: number) => string | null; voiceAt: (t: number) => string | null },
  opts: SaveOptions = {},
): Promise<number> {
  const ff = resolveFfmpeg();
  const media = await probeMedia(file, ff);
  const faceSha = createHash('sha256').update(`scripted-face ${process.pid} ${++scripted}`).digest('hex');
  const fps = script.fps ?? 2;
  const frames: FrameResult[] = [];
  for (let i = 0; i / fps < media.durationS; i++) {
    const t = i / fps;
    const label = script.faceAt(t);
    frames.push({
      index: i,
      timeS: t,
      face: label ? { box: { x: 10, y: 20, width: 100, height: 120 }, score: 0.9 } : null,
      label,
      confidence: label ? 0.7 : null,
      probs: label ? oneHotish(FIXTURE_FACE_LABELS, label, 0.7) : null,
    });
  }
  const windows: WindowResult[] = [];
  for (let i = 0; i === 0 || i + 3 <= media.durationS; i++) {
    const label = script.voiceAt(i + 1.5);
    windows.push({
      index: i,
      startS: i,
      endS: Math.min(i + 3, media.durationS),
      voiced: label !== null,
      label,
      confidence: label ? 0.6 : null,
      probs: label ? oneHotish(EMOTION_LABELS, label, 0.6) : null,
    });
  }
  const count = (xs: Array<string | null>) => {
    const d: Record<string, number> = {};
    const got = xs.filter((x): x is string => x !== null);
    for (const x of got) d[x] = (d[x] ?? 0) + 1 / got.length;
    const majority = got.length ? Object.entries(d).sort((a, b) => b[1] - a[1])[0][0] : null;
    return { d, majority };
  };
  const face = count(frames.map((f) => f.label));
  const voice = count(windows.map((w) => w.label));
  const faceSummary = {
    framesAnalysed: frames.length,
    framesWithFace: frames.filter((f) => f.face).length,
    framesAbstained: 0,
    majority: face.majority,
    distribution: face.d,
  };
  const voiceSummary = {
    windows: windows.length,
    voicedWindows: windows.filter((w) => w.voiced).length,
    majority: voice.majority,
    distribution: voice.d,
  };
  const fused = { label: face.majority ?? voice.majority, confidence: 0.5 };
  // One participant, face and voice (as a one-person recording is analysed).
  const participant: ParticipantResult = {
    id: 1,
    name: null,
    face: faceSummary.framesWithFace
      ? {
          ...faceSummary,
          box: { x: 10, y: 20, width: 100, height: 120 },
          firstSeenS: frames.find((f) => f.face)!.timeS,
          lastSeenS: frames.filter((f) => f.face).pop()!.timeS,
          small: false,
          still: false,
        }
      : null,
    voice: voiceSummary.voicedWindows
      ? {
          ...voiceSummary,
          speechS: windows.filter((w) => w.voiced).length,
          speaker: 0,
          channel: null,
          link: { confidence: 1, evidence: 'one-face-one-voice', correlation: null },
        }
      : null,
    fused,
    frames: faceSummary.framesWithFace ? frames : [],
    windows: voiceSummary.voicedWindows ? windows : [],
    thumbnail: null,
    embedding: null,
  };
  const participants = participant.face || participant.voice ? [participant] : [];
  const result: AnalysisResult = {
    file,
    media,
    mediaSha256: await hashFile(file),
    settings: { fps, maxSide: 640, smoothRadius: 0, engineVersion: 'scripted-test-fixture' },
    models: [
      {
        role: 'face-expression',
        id: 'scripted-face',
        version: '0.0.0-test',
        sha256: faceSha,
        task: 'face-expression',
        labels: [...FIXTURE_FACE_LABELS],
      },
      {
        role: 'voice-emotion',
        id: 'scripted-voice',
        version: '0.0.0-test',
        sha256: '1'.repeat(64),
        task: 'voice-emotion',
        labels: [...EMOTION_LABELS],
      },
    ],
    frameTimes: frames.map((f) => f.timeS),
    participants,
    speech: [],
    summary: {
      session: { id: null, file, durationS: media.durationS },
      face: faceSummary,
      voice: voiceSummary,
      fused: { ...fused, rule: 'scripted test fixture', weights: { face: 0.6, voice: 0.4 } },
      models: [
        { id: 'scripted-face', version: '0.0.0-test', sha256: faceSha },
        { id: 'scripted-voice', version: '0.0.0-test', sha256: '1'.repeat(64) },
      ],
      warnings: [],
      elapsedS: 0,
      note: ESTIMATE_NOTE,
    },
  };
  return saveAnalysis(db, result, opts);
}
