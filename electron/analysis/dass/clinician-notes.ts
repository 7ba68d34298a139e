import type { Answer, DassScore } from './score.js';

// TEMPORARY bridge until next-steps.ts (rule table in data/dass21/next-steps.json) is wired in.
export interface ClinicianNotes {
  itemsOfNote: Array<{ item: number; text: string; answer: number }>;
  nextSteps: Array<{ kind: string; title: string; detail: string }>;
}

export function clinicianNotes(_score: DassScore, _answers: readonly Answer[]): ClinicianNotes {
  return { itemsOfNote: [], nextSteps: [] };
}
