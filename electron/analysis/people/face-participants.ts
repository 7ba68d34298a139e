import type { FaceTrackResult, FaceObservation } from '../face-track.js';
import type { Box } from '../image.js';
import type { FaceSummary, FrameResult } from '../result.js';
import { smoothProbabilities } from '../smoothing.js';
import { aggregateTrack, argmax } from '../vote.js';
import type { Participant } from './people-tracker.js';

/**
 * A face participant's own expression track: one FrameResult per analysed frame (face null where the participant is
 * not on screen), smoothed and abstained per participant exactly as the single-face track was (a frame without this
 * participant's face breaks the smoothing run), its vote and distribution, and its mouth-activity series for linking
 * a voice to it.
 */
export interface FaceParticipant {
  /** PeopleTracker's participant id (renumbered later, participants.ts). */
  key: number;
  frames: FrameResult[];
  summary: FaceSummary & { box: Box; firstSeenS: number; lastSeenS: number; small: boolean; still: boolean };
  /** Mouth activity at each frame where it was measured (since the same track's previous frame). */
  mouth: Array<{ t: number; activity: number }>;
  person: Participant;
}

export interface ExpressionRules {
  labels: readonly string[];
  abstainBelow: number;
  smoothRadius: number;
}

/**
 * A face is still (a picture in a shared slide, not a person on camera) when the pixels of its region hardly ever
 * change: 90 % of its frames change by less than this many grey levels (people/stillness.ts). Measured on the test
 * layouts (tests/participants.test.ts prints them): a photo in a slide changes by ~0 (compression leaves it alone),
 * a person on camera by several grey levels in most frames; a frozen video tile (the talking-tiles test) is still while
 * frozen but moves in its other frames, so it is not called still.
 */
export const STILL_MOTION = 1;
/** A still face needs this many measured frames before it is called still. */
const STILL_MIN_FRAMES = 6;

export function faceParticipants(track: FaceTrackResult, rules: ExpressionRules): FaceParticipant[] {
  const n = track.frameTimes.length;
  const byParticipant = new Map<number, Map<number, FaceObservation>>();
  for (const obs of track.observations) {
    const pid = track.people.participantOfTrack.get(obs.trackId);
    if (pid === undefined) continue; // a stray short track: nobody's
    let frames = byParticipant.get(pid);
    if (!frames) byParticipant.set(pid, (frames = new Map()));
    const other = frames.get(obs.frame);
    if (!other || other.score < obs.score) frames.set(obs.frame, obs);
  }
  return track.people.participants.map((person) => {
    const seen = byParticipant.get(person.id) ?? new Map<number, FaceObservation>();
    const raw: Array<Float32Array | null> = [];
    const frames: FrameResult[] = [];
    const mouth: FaceParticipant['mouth'] = [];
    const motion: number[] = [];
    for (let i = 0; i < n; i++) {
      const obs = seen.get(i);
      raw.push(obs && obs.probs.length ? obs.probs : null);
      frames.push({
        index: i,
        timeS: track.frameTimes[i],
        face: obs ? { box: obs.box, score: obs.score } : null,
        label: null,
        confidence: null,
        probs: null,
      });
      if (obs && obs.mouth !== null) mouth.push({ t: track.frameTimes[i], activity: obs.mouth });
      if (obs && obs.motion !== null) motion.push(obs.motion);
    }
    const smoothed = smoothProbabilities(raw, rules.smoothRadius);
    frames.forEach((f, i) => {
      const p = smoothed[i];
      f.probs = p;
      if (!p) return;
      const top = argmax(p);
      f.confidence = p[top];
      f.label = p[top] >= rules.abstainBelow ? rules.labels[top] : null;
    });
    const agg = aggregateTrack(rules.labels, frames);
    const framesWithFace = frames.filter((f) => f.face).length;
    motion.sort((a, b) => a - b);
    const still = motion.length >= STILL_MIN_FRAMES && motion[Math.floor(0.9 * (motion.length - 1))] < STILL_MOTION;
    const summary: FaceParticipant['summary'] = {
      framesAnalysed: n,
      framesWithFace,
      framesAbstained: frames.filter((f) => f.face && f.label === null).length,
      majority: agg.majority,
      distribution: agg.distribution,
      meanProbs: roundProbs(agg.meanProbs),
      box: roundBox(person.medianBox),
      firstSeenS: person.firstSeenS,
      lastSeenS: person.lastSeenS,
      small: person.small,
      still,
    };
    if (agg.votes === 0) summary.reason = "every face frame was below the model's confidence threshold";
    return { key: person.id, frames, summary, mouth, person };
  });
}

export const roundProbs = (p: Record<string, number>) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Math.round(v * 1e6) / 1e6]));
const roundBox = (b: Box): Box => ({
  x: Math.round(b.x * 10) / 10,
  y: Math.round(b.y * 10) / 10,
  width: Math.round(b.width * 10) / 10,
  height: Math.round(b.height * 10) / 10,
});
