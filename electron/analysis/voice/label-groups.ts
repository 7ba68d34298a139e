/**
 * Scoring a voice model on a subset of its labels, some merged: `eval voice --labels angry,happy,neutral+calm,sad`
 * makes four classes; a window's probability of a class is the sum of its labels' probabilities, and the file's
 * label is the vote over those classes. This is how a corpus whose label set differs from the model's is scored on
 * the labels both share (e.g. TurEV-DB has "calm" where EMOVO has "neutral").
 */
export interface LabelGroups {
  /** Class names, e.g. ["angry", "neutral+calm"]. */
  names: string[];
  /** For each class, the indices of its labels in the model's label order. */
  members: number[][];
}

export class LabelGroupsError extends Error {}

/** Parse "a,b,c+d" against the model's labels. */
export function parseLabelGroups(spec: string, modelLabels: readonly string[]): LabelGroups {
  const names = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length < 2) throw new LabelGroupsError(`--labels needs at least two classes, got "${spec}"`);
  const seen = new Set<string>();
  const members = names.map((name) =>
    name.split('+').map((label) => {
      const i = modelLabels.indexOf(label);
      if (i < 0) throw new LabelGroupsError(`--labels: "${label}" is not one of the model's labels (${modelLabels.join(', ')})`);
      if (seen.has(label)) throw new LabelGroupsError(`--labels: "${label}" appears twice`);
      seen.add(label);
      return i;
    }),
  );
  return { names, members };
}

/** The class a true label belongs to, or null when it is in none. */
export function groupOfLabel(groups: LabelGroups, modelLabels: readonly string[], label: string): string | null {
  const i = modelLabels.indexOf(label);
  const k = groups.members.findIndex((m) => m.includes(i));
  return k < 0 ? null : groups.names[k];
}

/** A window's probabilities summed per class (null stays null). */
export function groupProbabilities(probs: Float32Array | null, groups: LabelGroups): Float32Array | null {
  if (!probs) return null;
  return Float32Array.from(groups.members, (m) => m.reduce((s, i) => s + probs[i], 0));
}
