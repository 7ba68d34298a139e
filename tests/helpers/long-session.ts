import path from 'node:path';
import type { AnalysisEngine } from '../../electron/analysis/engine.js';
import { resolveFfmpeg } from '../../electron/analysis/media/ffmpeg-path.js';
import { hashFile } from '../../electron/analysis/media/media-hash.js';
import { probeMedia } from '../../electron/analysis/media/probe.js';
import type { AnalysisResult, FrameResult, WindowResult } from '../../electron/analysis/result.js';
import { aggregateTrack } from '../../electron/analysis/vote.js';
import type { Db } from '../../electron/store/db.js';
import { saveAnalysis, type SaveOptions } from '../../electron/store/sessions-repo.js';
import { ffmpeg, SAMPLE } from './media-fixtures.js';

/**
 * A 60-minute recording made cheaply, and its analysis stored through the store:
 * - the recording: the bundled sample scaled to 256 px wide at 4 fps with mono AAC, looped to 60:00 by stream copy
 *   (about 45 MB), with a container creation date, so the review plays a real hour-long file;
 * - the results: the REAL engine's analysis of one 19.7 s loop (at 2 fps), repeated at each loop's offset, so the
 *   lanes hold an hour of real estimates without analysing an hour (minutes of CPU on a shared machine).
 */
export async function storeHourLongSession(
  db: Db,
  dir: string,
  engine: AnalysisEngine,
  opts: SaveOptions = {},
): Promise<{ id: number; file: string }> {
  const clip = path.join(dir, 'loop.mp4');
  const file = path.join(dir, 'session-60min.mp4');
  ffmpeg(
    '-i',
    SAMPLE,
    '-vf',
    'scale=256:-2,fps=4',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-crf',
    '30',
    '-g',
    '8',
    '-ac',
    '1',
    '-c:a',
    'aac',
    '-b:a',
    '32k',
    clip,
  );
  ffmpeg('-stream_loop', '200', '-i', clip, '-c', 'copy', '-t', '3600', '-metadata', 'creation_time=2026-11-20T09:30:00Z', file);
  const ff = resolveFfmpeg();
  const [clipInfo, media] = [await probeMedia(clip, ff), await probeMedia(file, ff)];
  const one = await engine.analyze(clip, { fps: 2 });
  const loop = clipInfo.durationS;
  const faceLabels = one.models.find((m) => m.role === 'face-expression')!.labels;
  const voiceLabels = one.models.find((m) => m.role === 'voice-emotion')!.labels;
  // Each participant's frames and windows repeated at each loop's offset; its summaries recomputed over the hour.
  const participants = one.participants.map((p) => {
    const frames: FrameResult[] = [];
    const windows: WindowResult[] = [];
    for (let k = 0; k * loop < media.durationS; k++) {
      for (const f of p.frames) if (f.timeS + k * loop < media.durationS) frames.push({ ...f, index: frames.length, timeS: f.timeS + k * loop });
      for (const w of p.windows)
        if (w.endS + k * loop <= media.durationS + 1e-6)
          windows.push({ ...w, index: windows.length, startS: w.startS + k * loop, endS: w.endS + k * loop });
    }
    const faceAgg = aggregateTrack(faceLabels, frames);
    const voiceAgg = aggregateTrack(voiceLabels, windows);
    return {
      ...p,
      frames,
      windows,
      face: p.face && {
        ...p.face,
        framesAnalysed: frames.length,
        framesWithFace: frames.filter((f) => f.face).length,
        framesAbstained: frames.filter((f) => f.face && !f.label).length,
        majority: faceAgg.majority,
        distribution: faceAgg.distribution,
        meanProbs: faceAgg.meanProbs,
        lastSeenS: frames.filter((f) => f.face).pop()?.timeS ?? p.face.lastSeenS,
      },
      voice: p.voice && {
        ...p.voice,
        windows: windows.length,
        voicedWindows: windows.filter((w) => w.voiced).length,
        majority: voiceAgg.majority,
        distribution: voiceAgg.distribution,
        meanProbs: voiceAgg.meanProbs,
        speechS: p.voice.speechS * Math.floor(media.durationS / loop),
      },
    };
  });
  const main = participants[0];
  const result: AnalysisResult = {
    ...one,
    file,
    media,
    mediaSha256: await hashFile(file),
    frameTimes: (main?.frames ?? []).map((f) => f.timeS),
    participants,
    speech: [],
    summary: {
      ...one.summary,
      session: { id: null, file, durationS: media.durationS },
      face: main?.face
        ? {
            ...one.summary.face,
            ...pick(main.face, ['framesAnalysed', 'framesWithFace', 'framesAbstained', 'majority', 'distribution', 'meanProbs']),
          }
        : one.summary.face,
      voice: main?.voice
        ? { ...one.summary.voice, ...pick(main.voice, ['windows', 'voicedWindows', 'majority', 'distribution', 'meanProbs']) }
        : one.summary.voice,
      warnings: [],
    },
  };
  return { id: saveAnalysis(db, result, opts), file };
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;
}
