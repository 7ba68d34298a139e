/**
 * The self-care exercises and their levels: plain data, no Node or DOM import, so the service (which checks runs and
 * unlocks levels) and the renderer (which runs the exercises) read the same definitions. The level design and its
 * sources are written down in data/selfcare/LEVELS.md; change both together.
 */

export const EXERCISE_IDS = ['breathing', 'pmr', 'grounding', 'follow-light'] as const;
export type ExerciseId = (typeof EXERCISE_IDS)[number];

/** Breathing patterns: the share of each breath spent breathing in (the rest is breathing out; no holds). */
export const BREATH_PATTERNS = {
  even: { inShare: 0.5, label: 'Even (in as long as out)' },
  'longer-out': { inShare: 0.4, label: 'Longer out (2 : 3)' },
  'much-longer-out': { inShare: 0.3, label: 'Much longer out (3 : 7)' },
} as const;
export type BreathPattern = keyof typeof BREATH_PATTERNS;

export interface BreathingLevel {
  level: number;
  title: string;
  breathsPerMin: number;
  lengthS: number;
}

export interface MuscleGroup {
  name: string;
  /** How to tense it (shown, and spoken when the client asks for a voice). */
  tense: string;
}

export interface PmrLevel {
  level: number;
  title: string;
  groups: readonly MuscleGroup[];
  /** Seconds of gentle tension per group; 0 = release by recall, without tensing. */
  tenseS: number;
  releaseS: number;
}

export interface GroundingLevel {
  level: number;
  title: string;
  /** tick: the client ticks each thing noticed; type: the client types a word or two for each. */
  entry: 'tick' | 'type';
  /** Seconds of slow breathing (6 a minute, even) to close with; 0 = none. */
  closingBreathS: number;
}

export interface FollowLightLevel {
  level: number;
  title: string;
  /** The light's path: x = sin(a·ωt + phase), y = sin(b·ωt), scaled into the play area. */
  path: { a: number; b: number; phase: number };
  /** Seconds for the light to go once round its path (larger = slower). */
  periodS: number;
  /** Radius of the light, as a share of the play area's smaller side. */
  radius: number;
  /** Seconds on the light that fill the meter and complete the level (the meter never drains). */
  goalS: number;
}

interface ExerciseBase<L> {
  id: ExerciseId;
  title: string;
  /** What it is for, in supportive, non-diagnostic words (shown to the client before starting). */
  purpose: string;
  /** How to do it. */
  how: string;
  /** Things to keep in mind (stop at any time, no pain, …). */
  care: string;
  levels: readonly L[];
}

export type BreathingExercise = ExerciseBase<BreathingLevel> & { id: 'breathing' };
export type PmrExercise = ExerciseBase<PmrLevel> & { id: 'pmr' };
export type GroundingExercise = ExerciseBase<GroundingLevel> & { id: 'grounding' };
export type FollowLightExercise = ExerciseBase<FollowLightLevel> & { id: 'follow-light' };
export type Exercise = BreathingExercise | PmrExercise | GroundingExercise | FollowLightExercise;

const STOP_ANY_TIME = 'You can stop at any moment; nothing is lost and the levels you have opened stay open.';

export const BREATHING: BreathingExercise = {
  id: 'breathing',
  title: 'Slow breathing',
  purpose: 'For settling the body. Breathing slowly and gently, with the breath out a little longer, helps many people feel calmer.',
  how: 'Breathe in while the circle grows and out while it shrinks. Breathe gently, through the nose if that is comfortable; there is no need to breathe deeply.',
  care: `If you feel light-headed or short of air, go back to breathing normally. ${STOP_ANY_TIME}`,
  levels: [
    { level: 1, title: '6 breaths a minute, 2 minutes', breathsPerMin: 6, lengthS: 120 },
    { level: 2, title: '6 breaths a minute, 3 minutes', breathsPerMin: 6, lengthS: 180 },
    { level: 3, title: '5.5 breaths a minute, 4 minutes', breathsPerMin: 5.5, lengthS: 240 },
    { level: 4, title: '5 breaths a minute, 5 minutes', breathsPerMin: 5, lengthS: 300 },
    { level: 5, title: '4.5 breaths a minute, 7 minutes', breathsPerMin: 4.5, lengthS: 420 },
    { level: 6, title: '4.5 breaths a minute, 10 minutes', breathsPerMin: 4.5, lengthS: 600 },
  ],
};

/** Bernstein & Borkovec (1973), the 16 groups of the first training sessions (dominant side first). */
const GROUPS_16: readonly MuscleGroup[] = [
  { name: 'Stronger hand and forearm', tense: 'Make a fist with the hand you write with.' },
  { name: 'Stronger upper arm', tense: 'Bend that arm and press the elbow down against the chair.' },
  { name: 'Other hand and forearm', tense: 'Make a fist with your other hand.' },
  { name: 'Other upper arm', tense: 'Bend that arm and press the elbow down against the chair.' },
  { name: 'Forehead', tense: 'Lift your eyebrows as high as they go.' },
  { name: 'Eyes and nose', tense: 'Squint your eyes and wrinkle your nose.' },
  { name: 'Jaw and lower cheeks', tense: 'Bite your teeth together gently and pull the corners of your mouth back.' },
  { name: 'Neck and throat', tense: 'Pull your chin towards your chest while holding it back, so it hardly moves.' },
  { name: 'Chest, shoulders and upper back', tense: 'Take a breath, hold it, and pull your shoulder blades back and together.' },
  { name: 'Stomach', tense: 'Make your stomach hard and firm.' },
  { name: 'Stronger thigh', tense: 'Press the upper leg muscles against each other, lifting the foot a little.' },
  { name: 'Stronger calf', tense: 'Pull your toes up towards your face.' },
  { name: 'Stronger foot', tense: 'Point the toes and curl them gently (not so far that it cramps).' },
  { name: 'Other thigh', tense: 'Press the upper leg muscles against each other, lifting the foot a little.' },
  { name: 'Other calf', tense: 'Pull your toes up towards your face.' },
  { name: 'Other foot', tense: 'Point the toes and curl them gently (not so far that it cramps).' },
];

/** Bernstein & Borkovec's 7-group abbreviation. */
const GROUPS_7: readonly MuscleGroup[] = [
  { name: 'Stronger arm', tense: 'Make a fist and bend the arm, pressing the elbow down.' },
  { name: 'Other arm', tense: 'Make a fist and bend the arm, pressing the elbow down.' },
  { name: 'Face', tense: 'Lift your eyebrows, squint, wrinkle your nose and bite gently.' },
  { name: 'Neck and throat', tense: 'Pull your chin towards your chest while holding it back.' },
  { name: 'Chest, shoulders, back and stomach', tense: 'Take a breath, hold it, pull your shoulder blades together and make your stomach firm.' },
  { name: 'Stronger leg', tense: 'Lift the leg a little, pull the toes up and tighten the thigh.' },
  { name: 'Other leg', tense: 'Lift the leg a little, pull the toes up and tighten the thigh.' },
];

/** Bernstein & Borkovec's 4-group abbreviation (also the groups relaxed by recall). */
const GROUPS_4: readonly MuscleGroup[] = [
  { name: 'Both arms and hands', tense: 'Make fists and bend both arms, pressing the elbows down.' },
  { name: 'Face and neck', tense: 'Scrunch the face gently and pull the chin towards the chest while holding it back.' },
  { name: 'Chest, shoulders, back and stomach', tense: 'Take a breath, hold it, pull your shoulder blades together and make your stomach firm.' },
  { name: 'Both legs and feet', tense: 'Lift both legs a little and pull the toes up.' },
];

export const PMR: PmrExercise = {
  id: 'pmr',
  title: 'Muscle relaxation',
  purpose:
    'For noticing tension in the body and letting it go. Tightening a group of muscles and then releasing it makes the difference easier to feel.',
  how: 'Follow the words on the screen: gently tighten the muscles named, hold, then let go all at once and notice how they feel as they loosen.',
  care: `Tighten only gently, never to the point of pain, and skip any part that is injured or sore. ${STOP_ANY_TIME}`,
  levels: [
    { level: 1, title: '16 muscle groups (about 10 minutes)', groups: GROUPS_16, tenseS: 7, releaseS: 30 },
    { level: 2, title: '7 muscle groups (about 4½ minutes)', groups: GROUPS_7, tenseS: 7, releaseS: 30 },
    { level: 3, title: '4 muscle groups (about 2½ minutes)', groups: GROUPS_4, tenseS: 7, releaseS: 30 },
    { level: 4, title: '4 groups by recall, without tightening (3 minutes)', groups: GROUPS_4, tenseS: 0, releaseS: 45 },
  ],
};

export const GROUNDING_SENSES = [
  { count: 5, sense: 'see', prompt: 'things you can see' },
  { count: 4, sense: 'feel', prompt: 'things you can feel or touch' },
  { count: 3, sense: 'hear', prompt: 'things you can hear' },
  { count: 2, sense: 'smell', prompt: 'things you can smell (or two smells you like)' },
  { count: 1, sense: 'taste', prompt: 'thing you can taste (or a taste you like)' },
] as const;

export const GROUNDING: GroundingExercise = {
  id: 'grounding',
  title: '5-4-3-2-1 grounding',
  purpose: 'For coming back to the here and now when thoughts are racing or feelings run high, by noticing what is around you with each sense.',
  how: 'Look, listen and feel around you. Notice five things you can see, four you can feel, three you can hear, two you can smell and one you can taste.',
  care: `Take your time; any small thing counts. What you type stays on this screen and is not saved. ${STOP_ANY_TIME}`,
  levels: [
    { level: 1, title: 'Notice and tick each thing', entry: 'tick', closingBreathS: 0 },
    { level: 2, title: 'Name each thing in a word or two', entry: 'type', closingBreathS: 0 },
    { level: 3, title: 'Name each thing, then one minute of slow breathing', entry: 'type', closingBreathS: 60 },
  ],
};

export const FOLLOW_LIGHT: FollowLightExercise = {
  id: 'follow-light',
  title: 'Follow the light',
  purpose: 'A calm focus game: keeping your eyes and your ring on a slowly drifting light gives the mind one gentle thing to do.',
  how: 'Move the ring with the mouse, a finger or the arrow keys and keep it on the light. The meter fills while you are on the light; it never empties.',
  care: `There is no way to lose: the meter waits while you are off the light. ${STOP_ANY_TIME}`,
  levels: [
    { level: 1, title: 'A slow circle', path: { a: 1, b: 1, phase: Math.PI / 2 }, periodS: 40, radius: 0.09, goalS: 30 },
    { level: 2, title: 'A wide oval, a little quicker', path: { a: 1, b: 1, phase: Math.PI / 3 }, periodS: 32, radius: 0.08, goalS: 40 },
    { level: 3, title: 'A figure of eight', path: { a: 1, b: 2, phase: 0 }, periodS: 30, radius: 0.07, goalS: 45 },
    { level: 4, title: 'A looping path', path: { a: 3, b: 2, phase: Math.PI / 2 }, periodS: 40, radius: 0.06, goalS: 60 },
    { level: 5, title: 'A winding path, smaller light', path: { a: 3, b: 4, phase: Math.PI / 4 }, periodS: 44, radius: 0.05, goalS: 75 },
  ],
};

export const EXERCISES: readonly Exercise[] = [BREATHING, PMR, GROUNDING, FOLLOW_LIGHT];

export function exerciseById(id: string): Exercise {
  const e = EXERCISES.find((x) => x.id === id);
  if (!e) throw new Error(`no self-care exercise "${id}" (known: ${EXERCISE_IDS.join(', ')})`);
  return e;
}

/** A level of an exercise; throws naming both when it does not exist. */
export function levelOf<E extends Exercise>(exercise: E, level: number): E['levels'][number] {
  const l = exercise.levels.find((x) => x.level === level);
  if (!l) throw new Error(`${exercise.title} has levels 1–${exercise.levels.length}, not ${level}`);
  return l;
}

/** Seconds of one PMR step cycle per group, and the whole level. */
export function pmrLengthS(l: PmrLevel): number {
  return l.groups.length * (l.tenseS + l.releaseS);
}

/**
 * The least a run must last to count as completed: the full length for timed exercises, the meter's goal for the
 * game, the closing breath for grounding. The service refuses a "completed" run shorter than this.
 */
export function minimumLengthS(exercise: Exercise, level: number): number {
  switch (exercise.id) {
    case 'breathing':
      return levelOf(exercise, level).lengthS;
    case 'pmr':
      return pmrLengthS(levelOf(exercise, level));
    case 'grounding':
      return levelOf(exercise, level).closingBreathS;
    case 'follow-light':
      return levelOf(exercise, level).goalS;
  }
}
