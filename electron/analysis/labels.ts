/**
 * The one label vocabulary used everywhere: engine, store, CLI, UI.
 * Every label is an *expression estimate*, never a diagnosis.
 */
export const EMOTION_LABELS = [
  'neutral',
  'calm',
  'happy',
  'sad',
  'angry',
  'fearful',
  'disgust',
  'surprised',
] as const;

export type EmotionLabel = (typeof EMOTION_LABELS)[number];

export function isEmotionLabel(value: string): value is EmotionLabel {
  return (EMOTION_LABELS as readonly string[]).includes(value);
}

/** FER2013 folder names → project labels (see shared/datasets/README.md). */
export const FER2013_TO_LABEL: Readonly<Record<string, EmotionLabel>> = {
  angry: 'angry',
  disgust: 'disgust',
  fear: 'fearful',
  happy: 'happy',
  neutral: 'neutral',
  sad: 'sad',
  surprise: 'surprised',
};

export const LABEL_TO_FER2013: Readonly<Partial<Record<EmotionLabel, string>>> = Object.fromEntries(
  Object.entries(FER2013_TO_LABEL).map(([folder, label]) => [label, folder]),
);

/** Colours per label (UI and PDF report), chosen to stay distinguishable for common colour-vision deficiencies. */
export const LABEL_COLORS: Readonly<Record<string, string>> = {
  neutral: '#8c8c8c',
  calm: '#6baed6',
  happy: '#f2b701',
  sad: '#3969ac',
  angry: '#e73f74',
  fearful: '#7f3c8d',
  disgust: '#11a579',
  surprised: '#e68310',
};
