import type { ApiOutput } from '../contract/api.js';
import type { Db } from '../store/db.js';
import { getFrames, getSession, getSessionModels, getWindows } from '../store/sessions-repo.js';
import { ApiError } from '../contract/api.js';
import { speechTurns } from '../store/participants-repo.js';
import { participantViews } from './participant-handlers.js';
import { presentSession } from './session-view.js';

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;
const probsArray = (p: Float32Array | null) => (p ? Array.from(p, (v) => round(v)) : null);

/** A stored session with its participants and their per-frame and per-window estimates, shaped for the review timeline. */
export function sessionDetail(db: Db, id: number): ApiOutput<'sessions.get'> {
  const session = getSession(db, id);
  if (!session) throw new ApiError(`no session with id ${id}`, 'not-found');
  const models = getSessionModels(db, id);
  const media = db
    .prepare('SELECT m.video_codec, m.audio_codec, m.width, m.height, m.format FROM media m JOIN sessions s ON s.media_id = m.id WHERE s.id = ?')
    .get(id) as {
    video_codec: string | null;
    audio_codec: string | null;
    width: number | null;
    height: number | null;
    format: string;
  };
  return {
    ...presentSession(db, session),
    media: {
      hasVideo: media.video_codec !== null,
      hasAudio: media.audio_codec !== null,
      width: media.width,
      height: media.height,
      videoCodec: media.video_codec,
      audioCodec: media.audio_codec,
      format: media.format,
    },
    faceLabels: models.find((m) => m.role === 'face-expression')?.labels ?? [],
    voiceLabels: models.find((m) => m.role === 'voice-emotion')?.labels ?? [],
    frames: getFrames(db, id).map((f) => ({
      participant: f.participant,
      t: round(f.timeS, 3),
      face: f.face !== null,
      label: f.label,
      confidence: f.confidence === null ? null : round(f.confidence),
      probs: probsArray(f.probs),
    })),
    windows: getWindows(db, id).map((w) => ({
      participant: w.participant,
      start: round(w.startS, 3),
      end: round(w.endS, 3),
      voiced: w.voiced,
      label: w.label,
      confidence: w.confidence === null ? null : round(w.confidence),
      probs: probsArray(w.probs),
      inputDistance: w.inputDistance == null ? null : round(w.inputDistance, 3),
    })),
    participants: participantViews(db, id),
    speech: speechTurns(db, id).map((t) => ({ start: round(t.startS, 3), end: round(t.endS, 3), participant: t.participant })),
    models: models.map((m) => ({ role: m.role, id: m.id, version: m.version, sha256: m.sha256, labels: m.labels })),
  };
}
