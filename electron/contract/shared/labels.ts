/**
 * The one label vocabulary used everywhere: engine, store, CLI, UI.
 * Every label is an *expression estimate*, never a diagnosis.
 */
export const EMOTION_LABELS = ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'] as const;

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

/**
 * Colours per label (UI and PDF report): the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), chosen to
 * stay distinguishable with the common colour-vision deficiencies, plus grey for neutral. Frames where the model was
 * uncertain are not a label: they are drawn hatched in UNCERTAIN_COLOR, never as a grey that could be read as neutral.
 * Text on a label colour uses labelTextColor (contrast at least 4.5:1).
 */
export const LABEL_COLORS: Readonly<Record<string, string>> = {
  neutral: '#8a8a8a',
  calm: '#56b4e9',
  happy: '#e69f00',
  sad: '#0072b2',
  angry: '#d55e00',
  fearful: '#cc79a7',
  disgust: '#009e73',
  surprised: '#f0e442',
};

export const UNCERTAIN_COLOR = '#5c6570';

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** Black or white, whichever reads better on the label's colour. */
export function labelTextColor(label: string): string {
  const bg = LABEL_COLORS[label] ?? '#8a8a8a';
  return contrastRatio(bg, '#000000') >= contrastRatio(bg, '#ffffff') ? '#000000' : '#ffffff';
}
