import { fuseTracks } from '../fuse.js';
import type { AnalysisSummary, FaceSummary, ParticipantOutput, ParticipantResult, VoiceFaceLink, VoiceSummary, WindowResult } from '../result.js';
import { aggregateTrack } from '../vote.js';
import { roundProbs, type FaceParticipant } from './face-participants.js';

/**
 * The participants of a recording: face participants (people/face-participants.ts) and speakers (voice-track.ts),
 * a speaker joining the face it is linked to (link-voices.ts); an unlinked speaker is a voice-only participant.
 *
 * Numbering: participant 1 is the MAIN participant, the one the session's top-level summary describes unless another
 * is marked as the client. The order: faces of people on camera (not a small self-view, not a still picture) by frames
 * on screen, then voice-only participants by speech time, then small faces, then still faces (pictures in a slide);
 * ties by speech time, then first appearance. So a one-person recording's person is 1, and in speaker view the large
 * remote tile comes before the self-view thumbnail.
 */
export interface SpeakerVoice {
  id: number;
  speechS: number;
  channel: number | null;
  windows: WindowResult[];
  firstSpeechS: number;
}

export interface AssembleInput {
  faces: FaceParticipant[];
  speakers: SpeakerVoice[];
  links: Map<number, { face: number; link: VoiceFaceLink }>;
  voiceLabels: readonly string[];
  /** Whether the voice model checks its input against its training audio (input distance, in threshold units). */
  voiceInputCheck: boolean;
  /** Windows analysed in the whole recording (every participant's `voice.windows`). */
  windowsTotal: number;
  weights: { face: number; voice: number };
  identityModel: string;
}

export function assembleParticipants(input: AssembleInput): ParticipantResult[] {
  const faceOf = new Map<number, { speaker: SpeakerVoice; link: VoiceFaceLink }>();
  for (const s of input.speakers) {
    const l = input.links.get(s.id);
    if (l) faceOf.set(l.face, { speaker: s, link: l.link });
  }
  const voice = (s: SpeakerVoice, link: VoiceFaceLink | null): NonNullable<ParticipantResult['voice']> => {
    // Uncertain windows (low confidence, or input unlike the training audio) keep their probabilities in the track
    // but take no part in the vote, the mean or the fusion.
    const agg = aggregateTrack(
      input.voiceLabels,
      s.windows.map((w) => (w.label === null ? { label: null, probs: null } : w)),
    );
    const uncertain = s.windows.filter((w) => w.voiced && w.label === null).length;
    const unlike = input.voiceInputCheck ? s.windows.filter((w) => w.inputDistance != null && w.inputDistance > 1).length : 0;
    const v: NonNullable<ParticipantResult['voice']> = {
      windows: input.windowsTotal,
      voicedWindows: s.windows.filter((w) => w.voiced).length,
      windowsUncertain: uncertain,
      ...(input.voiceInputCheck ? { windowsUnlikeTraining: unlike, inputCheckThreshold: 1 } : {}),
      majority: agg.majority,
      distribution: agg.distribution,
      meanProbs: roundProbs(agg.meanProbs),
      speechS: Math.round(s.speechS * 1000) / 1000,
      speaker: s.id,
      channel: s.channel,
      link,
    };
    if (v.voicedWindows === 0) v.reason = 'speech too short or too quiet to classify';
    else if (agg.votes === 0)
      v.reason = unlike
        ? 'every window with speech was uncertain: unlike the audio the model was trained on, or below its confidence threshold'
        : "every window with speech was below the model's confidence threshold";
    return v;
  };
  type Draft = Omit<ParticipantResult, 'id' | 'fused'> & { rank: number; firstS: number };
  const drafts: Draft[] = [];
  for (const f of input.faces) {
    const linked = faceOf.get(f.key);
    drafts.push({
      name: null,
      face: f.summary,
      voice: linked ? voice(linked.speaker, linked.link) : null,
      frames: f.frames,
      windows: linked?.speaker.windows ?? [],
      thumbnail: f.person.thumbnail,
      embedding: { vector: f.person.embedding, count: f.person.embeddingCount, model: input.identityModel },
      rank: f.summary.still ? 3 : f.summary.small ? 2 : 0,
      firstS: f.summary.firstSeenS,
    });
  }
  for (const s of input.speakers)
    if (!input.links.has(s.id))
      drafts.push({
        name: null,
        face: null,
        voice: voice(s, null),
        frames: [],
        windows: s.windows,
        thumbnail: null,
        embedding: null,
        rank: 1,
        firstS: s.firstSpeechS,
      });
  const framesOn = (d: Draft) => d.face?.framesWithFace ?? 0;
  const speech = (d: Draft) => d.voice?.speechS ?? 0;
  drafts.sort((a, b) => a.rank - b.rank || framesOn(b) - framesOn(a) || speech(b) - speech(a) || a.firstS - b.firstS);
  return drafts.map(({ rank: _rank, firstS: _firstS, ...d }, i) => ({ ...d, id: i + 1, fused: fusedOf(d, input.weights) }));
}

export function fusedOf(p: Pick<ParticipantResult, 'face' | 'voice'>, weights: { face: number; voice: number }): ParticipantResult['fused'] {
  const faceVotes = p.face ? p.face.framesWithFace - p.face.framesAbstained : 0;
  const voiceVotes = p.voice ? p.voice.voicedWindows - (p.voice.windowsUncertain ?? 0) : 0;
  if (faceVotes + voiceVotes === 0) return null;
  const f = fuseTracks([
    { meanProbs: p.face?.meanProbs ?? {}, votes: faceVotes, weight: weights.face },
    { meanProbs: p.voice?.meanProbs ?? {}, votes: voiceVotes, weight: weights.voice },
  ]);
  return { label: f.label, confidence: f.confidence === null ? null : Math.round(f.confidence * 1e6) / 1e6 };
}

/** What the session knows whoever the summary describes. */
export interface SessionFacts {
  hasVideo: boolean;
  hasAudio: boolean;
  framesAnalysed: number;
  windows: number;
  voicedWindows: number;
  /** Participants with a face / with a voice in the whole recording. */
  anyFace: boolean;
  anyVoice: boolean;
  faceLabels: readonly string[];
  voiceLabels: readonly string[];
}

const zeros = (labels: readonly string[]) => Object.fromEntries(labels.map((l) => [l, 0]));

/**
 * The top-level face, voice and fused of a session summary: those of participant `p` (the client when one is marked,
 * else participant 1), with the reason in words where it has no face or no voice.
 */
export function describe(
  p: Pick<ParticipantResult, 'id' | 'face' | 'voice' | 'fused'> | undefined,
  facts: SessionFacts,
  weights: { face: number; voice: number },
  rule: string,
): Pick<AnalysisSummary, 'face' | 'voice' | 'fused'> {
  let face: FaceSummary;
  if (p?.face) {
    const { framesAnalysed, framesWithFace, framesAbstained, majority, distribution, meanProbs, reason } = p.face;
    face = {
      framesAnalysed,
      framesWithFace,
      framesAbstained,
      majority,
      distribution,
      ...(meanProbs ? { meanProbs } : {}),
      ...(reason ? { reason } : {}),
    };
  } else {
    face = { framesAnalysed: facts.framesAnalysed, framesWithFace: 0, framesAbstained: 0, majority: null, distribution: zeros(facts.faceLabels) };
    if (!facts.hasVideo) face.reason = 'no video stream';
    else if (facts.framesAnalysed === 0) face.reason = 'no video frames could be decoded';
    else if (!facts.anyFace) face.reason = `no face found in ${facts.framesAnalysed} analysed frames`;
    else face.reason = `no face was linked to participant ${p?.id ?? 1}'s voice`;
  }
  let voice: VoiceSummary;
  if (p?.voice) {
    const { windows, voicedWindows, windowsUncertain, windowsUnlikeTraining, inputCheckThreshold, majority, distribution, meanProbs, reason } =
      p.voice;
    voice = {
      windows,
      voicedWindows,
      ...(windowsUncertain !== undefined ? { windowsUncertain } : {}),
      ...(windowsUnlikeTraining !== undefined ? { windowsUnlikeTraining, inputCheckThreshold } : {}),
      majority,
      distribution,
      ...(meanProbs ? { meanProbs } : {}),
      ...(reason ? { reason } : {}),
    };
  } else {
    voice = { windows: facts.windows, voicedWindows: 0, majority: null, distribution: zeros(facts.voiceLabels) };
    if (!facts.hasAudio) voice.reason = 'no audio stream';
    else if (facts.windows === 0) voice.reason = 'no audio could be decoded';
    else if (!facts.anyVoice) voice.reason = 'no speech detected (the audio is silent or too quiet)';
    else voice.reason = `no voice was linked to participant ${p?.id ?? 1}'s face`;
  }
  const fused = p?.fused ?? null;
  return { face, voice, fused: { label: fused?.label ?? null, confidence: fused?.confidence ?? null, rule, weights } };
}

/** A participant as `affect analyze --json` prints it. */
export function participantOutput(p: Pick<ParticipantResult, 'id' | 'name' | 'face' | 'voice' | 'fused'>): ParticipantOutput {
  return {
    id: p.id,
    name: p.name,
    face: p.face ? { framesWithFace: p.face.framesWithFace, majority: p.face.majority, distribution: p.face.distribution, box: p.face.box } : null,
    voice: p.voice ? { speechS: p.voice.speechS, majority: p.voice.majority, distribution: p.voice.distribution } : null,
    fused: p.fused,
  };
}
