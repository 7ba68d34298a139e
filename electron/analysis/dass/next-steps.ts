import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DASS21_DATA_DIR } from './items.js';
import { BANDS, SUBSCALES, type Answer, type Band, type DassScore } from './score.js';

const BandSchema = z.enum(BANDS);

const ConditionSchema = z
  .object({
    /** Some scored subscale is in this band or a more severe one. */
    anyBandAtLeast: BandSchema.optional(),
    /** Every scored subscale is in this band or a less severe one. */
    allBandsAtMost: BandSchema.optional(),
    /** true: all three subscales have a score. */
    allScored: z.boolean().optional(),
    /** true: at least one subscale has no score (two or more answers missing). */
    anyUnscored: z.boolean().optional(),
  })
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'a rule needs at least one condition');

const SuggestionSchema = z.object({ kind: z.string().min(1), title: z.string().min(1), description: z.string() }).strict();

const RuleSchema = z
  .object({
    id: z.string().min(1),
    when: ConditionSchema,
    title: z.string().min(1),
    message: z.string().min(1),
    clinicianReview: z.boolean(),
    showReferralContacts: z.boolean().optional(),
    showHelplines: z.boolean().optional(),
    suggestions: z.array(SuggestionSchema),
  })
  .strict();

const ContactSchema = z
  .object({ name: z.string().min(1), phone: z.string().optional(), email: z.string().optional(), address: z.string().optional(), notes: z.string().optional() })
  .strict();

const HelplineSchema = z
  .object({ country: z.string().regex(/^[A-Z]{2}$/), name: z.string().min(1), number: z.string().min(1), notes: z.string().optional(), source: z.string().min(1) })
  .strict();

export const NextStepsTableSchema = z
  .object({
    version: z.literal(1),
    about: z.string(),
    rules: z.array(RuleSchema).min(1),
    itemsOfNote: z.array(z.object({ item: z.number().int().min(1).max(21), minAnswer: z.number().int().min(0).max(3), message: z.string().min(1) }).strict()),
    referralContacts: z.array(ContactSchema),
    helplines: z.array(HelplineSchema),
    helplinesNote: z.string().optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    const ids = new Set<string>();
    for (const r of t.rules) {
      if (ids.has(r.id)) ctx.addIssue({ code: 'custom', message: `rule id "${r.id}" is used twice` });
      ids.add(r.id);
    }
  });
export type NextStepsTable = z.infer<typeof NextStepsTableSchema>;
export type NextStepsRule = NextStepsTable['rules'][number];

export const NEXT_STEPS_FILE = path.join(DASS21_DATA_DIR, 'next-steps.json');

/** Loads and validates the rule table; errors name the file and the offending field. */
export function loadNextSteps(file = NEXT_STEPS_FILE): NextStepsTable {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  const parsed = NextStepsTableSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export interface ItemOfNote {
  item: number;
  answer: number;
  message: string;
}

export interface NextSteps {
  /** Rules whose conditions hold, in table order. */
  rules: NextStepsRule[];
  /** Some matched rule asks for the clinician's review, or an item of note was endorsed. */
  clinicianReview: boolean;
  itemsOfNote: ItemOfNote[];
  referralContacts: NextStepsTable['referralContacts'];
  helplines: NextStepsTable['helplines'];
}

const rank = (b: Band) => BANDS.indexOf(b);

function holds(when: NextStepsRule['when'], score: DassScore): boolean {
  const bands = SUBSCALES.map((s) => score[s].band).filter((b): b is Band => b !== null);
  const unscored = SUBSCALES.some((s) => score[s].score === null);
  if (when.allScored !== undefined && when.allScored === unscored) return false;
  if (when.anyUnscored !== undefined && when.anyUnscored !== unscored) return false;
  if (when.anyBandAtLeast !== undefined && !bands.some((b) => rank(b) >= rank(when.anyBandAtLeast!))) return false;
  if (when.allBandsAtMost !== undefined && (bands.length === 0 || !bands.every((b) => rank(b) <= rank(when.allBandsAtMost!)))) return false;
  return true;
}

/** Evaluates the table for one scored administration (answers are needed for the items of note). */
export function evaluateNextSteps(table: NextStepsTable, score: DassScore, answers: readonly Answer[]): NextSteps {
  const rules = table.rules.filter((r) => holds(r.when, score));
  const itemsOfNote = table.itemsOfNote.flatMap((n) => {
    const a = answers[n.item - 1];
    return a !== null && a !== undefined && a >= n.minAnswer ? [{ item: n.item, answer: a, message: n.message }] : [];
  });
  return {
    rules,
    clinicianReview: rules.some((r) => r.clinicianReview) || itemsOfNote.length > 0,
    itemsOfNote,
    referralContacts: rules.some((r) => r.showReferralContacts) ? table.referralContacts : [],
    helplines: rules.some((r) => r.showHelplines) ? table.helplines : [],
  };
}
