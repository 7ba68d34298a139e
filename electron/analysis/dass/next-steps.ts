import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EXERCISE_IDS } from '../../contract/shared/selfcare/catalog.js';
import { DASS21_DATA_DIR } from './items.js';
import { BANDS, SUBSCALES, type Answer, type Band, type DassScore } from '../../contract/shared/dass-score.js';

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
    /** true: an item of note (itemsOfNote below, e.g. item 21 at 2 or 3) was endorsed; false: none was. */
    anyItemOfNote: z.boolean().optional(),
  })
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'a rule needs at least one condition');

const SuggestionSchema = z
  .object({
    kind: z.string().min(1),
    title: z.string().min(1),
    description: z.string(),
    /** The app's self-care exercise this suggestion opens (kind "exercise"). */
    exercise: z.enum(EXERCISE_IDS).optional(),
  })
  .strict();

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
  .object({
    name: z.string().min(1),
    phone: z.string().optional(),
    email: z.string().optional(),
    address: z.string().optional(),
    notes: z.string().optional(),
  })
  .strict();

const HelplineSchema = z
  .object({
    country: z.string().regex(/^[A-Z]{2}$/),
    name: z.string().min(1),
    number: z.string().min(1),
    notes: z.string().optional(),
    source: z.string().min(1),
  })
  .strict();

export const NextStepsTableSchema = z
  .object({
    version: z.literal(1),
    about: z.string(),
    rules: z.array(RuleSchema).min(1),
    itemsOfNote: z.array(
      z.object({ item: z.number().int().min(1).max(21), minAnswer: z.number().int().min(0).max(3), message: z.string().min(1) }).strict(),
    ),
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

export interface NextStep {
  kind: string;
  title: string;
  detail: string;
  exercise?: (typeof EXERCISE_IDS)[number];
}

export interface NextSteps {
  /** Rules whose conditions hold, in table order. */
  rules: NextStepsRule[];
  /** Some matched rule asks for the clinician's review, or an item of note was endorsed, or a band is moderate or worse. */
  clinicianReview: boolean;
  itemsOfNote: ItemOfNote[];
  referralContacts: NextStepsTable['referralContacts'];
  helplines: NextStepsTable['helplines'];
  /**
   * Everything to show, in order: review rules (with their suggestions), then referral contacts and helplines, then
   * the other rules. With a safety concern (an item of note endorsed, or a band moderate or worse) exercises never
   * come first; with an item of note they are not offered at all.
   */
  steps: NextStep[];
}

const rank = (b: Band) => BANDS.indexOf(b);

function holds(when: NextStepsRule['when'], score: DassScore, itemOfNote: boolean): boolean {
  const bands = SUBSCALES.map((s) => score[s].band).filter((b): b is Band => b !== null);
  const unscored = SUBSCALES.some((s) => score[s].score === null);
  if (when.allScored !== undefined && when.allScored === unscored) return false;
  if (when.anyUnscored !== undefined && when.anyUnscored !== unscored) return false;
  if (when.anyItemOfNote !== undefined && when.anyItemOfNote !== itemOfNote) return false;
  if (when.anyBandAtLeast !== undefined && !bands.some((b) => rank(b) >= rank(when.anyBandAtLeast!))) return false;
  if (when.allBandsAtMost !== undefined && (bands.length === 0 || !bands.every((b) => rank(b) <= rank(when.allBandsAtMost!)))) return false;
  return true;
}

/** Shown when the table itself asks for no review although the safety rules below need one (an edited table). */
const SAFETY_REVIEW: NextStep = {
  kind: 'review',
  title: 'Review this result with the client first',
  detail:
    'A subscale is in the moderate range or higher, or item 21 was endorsed. Talk with the client before suggesting anything else; the helplines are listed below.',
};

/**
 * Evaluates the table for one scored administration (answers are needed for the items of note). The table is the
 * user's to edit, but not the safety rules, which are enforced here: with item 21 (any item of note) endorsed,
 * exercises are never offered; with a subscale moderate or worse, or an item of note, the clinician's review and the
 * helplines come before anything else.
 */
export function evaluateNextSteps(table: NextStepsTable, score: DassScore, answers: readonly Answer[]): NextSteps {
  const itemsOfNote = table.itemsOfNote.flatMap((n) => {
    const a = answers[n.item - 1];
    return a !== null && a !== undefined && a >= n.minAnswer ? [{ item: n.item, answer: a, message: n.message }] : [];
  });
  const rules = table.rules.filter((r) => holds(r.when, score, itemsOfNote.length > 0));
  const moderateOrWorse = SUBSCALES.some((s) => score[s].band !== null && rank(score[s].band!) >= rank('moderate'));
  const safetyConcern = moderateOrWorse || itemsOfNote.length > 0;
  const referralContacts = safetyConcern || rules.some((r) => r.showReferralContacts) ? table.referralContacts : [];
  const helplines = safetyConcern || rules.some((r) => r.showHelplines) ? table.helplines : [];

  const ruleSteps = (r: NextStepsRule): NextStep[] => [
    { kind: r.clinicianReview ? 'review' : 'info', title: r.title, detail: r.message },
    ...r.suggestions
      .filter((x) => itemsOfNote.length === 0 || (x.kind !== 'exercise' && x.exercise === undefined))
      .map((x) => ({ kind: x.kind, title: x.title, detail: x.description, ...(x.exercise ? { exercise: x.exercise } : {}) })),
  ];
  const reviewRules = rules.filter((r) => r.clinicianReview);
  const steps: NextStep[] = [
    ...(safetyConcern && reviewRules.length === 0 ? [SAFETY_REVIEW] : []),
    ...reviewRules.flatMap(ruleSteps),
    ...referralContacts.map((c) => ({ kind: 'referral', title: c.name, detail: [c.phone, c.email, c.address, c.notes].filter(Boolean).join(' — ') })),
    ...helplines.map((h) => ({ kind: 'helpline', title: `${h.name} (${h.country})`, detail: [h.number, h.notes].filter(Boolean).join(' — ') })),
    ...rules.filter((r) => !r.clinicianReview).flatMap(ruleSteps),
  ];
  return {
    rules,
    clinicianReview: rules.some((r) => r.clinicianReview) || safetyConcern,
    itemsOfNote,
    referralContacts,
    helplines,
    steps,
  };
}
