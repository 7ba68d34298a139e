import { unionSeconds } from '../coverage.js';

/**
 * Who in the transcript is who in the recording: transcript speakers (names as the call tool wrote them) are mapped to
 * the session's participants (numbered by the per-person analysis) by how much of each speaker's talking time falls
 * inside each participant's diarized speech turns. Pure: cues and turns in, a mapping with its evidence out.
 *
 * A speaker is mapped to the participant whose turns cover the largest share of the speaker's cue time, only when the
 * evidence is strong enough: at least `minSpeechS` seconds of cues, a share of at least `minShare`, and a lead of at
 * least `minLead` over the next participant. Otherwise the speaker stays unmapped and `why` says which test failed, so
 * the user can decide. Several speakers may map to one participant (one person joining from two devices); a speaker maps
 * to one participant at most. Cues without a speaker name are mapped one by one with the same tests on the cue alone.
 */

export interface MappingCue {
  startS: number;
  endS: number;
  speaker: string | null;
}

export interface MappingTurn {
  startS: number;
  endS: number;
  participant: number;
}

export interface MappingRules {
  /** Smallest share of the speaker's cue time inside the chosen participant's turns (default 0.5). */
  minShare?: number;
  /** Smallest lead of that share over the next participant's (default 0.2). */
  minLead?: number;
  /** Least cue time a speaker needs before they are mapped (default 3 s). */
  minSpeechS?: number;
}

export interface ParticipantOverlap {
  participant: number;
  /** Seconds of the speaker's cues inside this participant's turns. */
  overlapS: number;
  /** overlapS / the speaker's cue time. */
  share: number;
}

export interface SpeakerMapping {
  speaker: string;
  /** The participant, or null when the evidence is weak (see why). */
  participant: number | null;
  /** The chosen (or best, when unmapped) participant's share; 0 without any overlap. */
  score: number;
  /** Seconds covered by the speaker's cues (overlapping cues counted once). */
  speechS: number;
  /** Every participant the speaker overlaps, best first. */
  overlaps: ParticipantOverlap[];
  why: string | null;
}

export interface CueMapping {
  /** Index into the cues given. */
  cue: number;
  participant: number | null;
  score: number;
}

export interface TranscriptMapping {
  speakers: SpeakerMapping[];
  /** Cues without a speaker name, each mapped on its own. */
  unnamedCues: CueMapping[];
}

type Span = readonly [number, number];

/** Sorted, non-overlapping spans covering the same time. */
export function unionOf(spans: readonly Span[]): Span[] {
  const sorted = spans.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Seconds where two unions of spans overlap (both sorted and disjoint). */
export function overlapSeconds(a: readonly Span[], b: readonly Span[]): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i][0], b[j][0]);
    const hi = Math.min(a[i][1], b[j][1]);
    if (hi > lo) s += hi - lo;
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return s;
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

function decide(spans: Span[], byParticipant: Map<number, Span[]>, rules: Required<MappingRules>, minSpeechS: number) {
  const speechS = unionSeconds(spans);
  const overlaps: ParticipantOverlap[] = [...byParticipant]
    .map(([participant, turns]) => {
      const overlapS = overlapSeconds(spans, turns);
      return { participant, overlapS: round(overlapS, 3), share: speechS > 0 ? round(overlapS / speechS) : 0 };
    })
    .filter((o) => o.overlapS > 0)
    .sort((x, y) => y.share - x.share || x.participant - y.participant);
  const best = overlaps[0];
  const lead = best ? best.share - (overlaps[1]?.share ?? 0) : 0;
  let why: string | null = null;
  if (byParticipant.size === 0) why = 'no diarized speech turns in this session';
  else if (!best) why = 'no participant speaks while this speaker talks';
  else if (speechS < minSpeechS) why = `only ${speechS.toFixed(1)} s of speech (at least ${minSpeechS} s needed)`;
  else if (best.share < rules.minShare)
    why = `participant ${best.participant}'s turns cover only ${Math.round(best.share * 100)}% of it (at least ${Math.round(rules.minShare * 100)}% needed)`;
  else if (lead < rules.minLead)
    why = `participants ${best.participant} and ${overlaps[1].participant} overlap it about equally (${Math.round(best.share * 100)}% and ${Math.round(overlaps[1].share * 100)}%)`;
  return { participant: why === null ? best.participant : null, score: best?.share ?? 0, speechS: round(speechS, 3), overlaps, why };
}

/** Map transcript speakers (and unnamed cues) to participants by overlap with diarized speech turns. */
export function mapSpeakersToParticipants(cues: readonly MappingCue[], turns: readonly MappingTurn[], rules: MappingRules = {}): TranscriptMapping {
  const r: Required<MappingRules> = { minShare: rules.minShare ?? 0.5, minLead: rules.minLead ?? 0.2, minSpeechS: rules.minSpeechS ?? 3 };
  const byParticipant = new Map<number, Span[]>();
  for (const t of turns) {
    const list = byParticipant.get(t.participant) ?? [];
    list.push([t.startS, t.endS]);
    byParticipant.set(t.participant, list);
  }
  for (const [p, list] of byParticipant) byParticipant.set(p, unionOf(list));

  const bySpeaker = new Map<string, Span[]>();
  const unnamedCues: CueMapping[] = [];
  cues.forEach((c, i) => {
    if (c.speaker === null) {
      // A cue on its own: its length is all the evidence there is, so the minimum speech does not apply.
      const d = decide(unionOf([[c.startS, c.endS]]), byParticipant, r, 0);
      unnamedCues.push({ cue: i, participant: d.participant, score: d.score });
      return;
    }
    const list = bySpeaker.get(c.speaker) ?? [];
    list.push([c.startS, c.endS]);
    bySpeaker.set(c.speaker, list);
  });
  const speakers = [...bySpeaker].map(([speaker, spans]) => ({ speaker, ...decide(unionOf(spans), byParticipant, r, r.minSpeechS) }));
  return { speakers, unnamedCues };
}
