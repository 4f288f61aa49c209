import { z } from "zod";
import { EVIDENCE_KINDS, type EvidenceKind } from "./model.ts";

/**
 * Admin → Expertise's form: one flat field per number, each required (an empty box is an error,
 * not a silent default), turned into the nested settings `saveExpertiseSettings` stores. The
 * bounds are those of `ExpertiseSettingsSchema`, worded for the form.
 */

export const WEIGHT_FIELDS: ReadonlyArray<{ kind: EvidenceKind; label: string; hint: string }> = [
  { kind: "answer", label: "Answer", hint: "Each answer on a question in the topic." },
  { kind: "accepted_answer", label: "Accepted answer", hint: "On top of the answer, when someone else's question accepted it." },
  { kind: "answer_vote", label: "Answer upvote", hint: "Per net upvote on an answer." },
  { kind: "wiki_edit", label: "Approved page edit", hint: "A suggested edit approved on a page in the topic." },
  { kind: "page_owned", label: "Page owned", hint: "A page in the topic the person owns." },
  { kind: "page_verified", label: "Page verified", hint: "A page in the topic they own and verified." },
  { kind: "idea_accepted", label: "Idea accepted", hint: "An idea of theirs accepted or in progress." },
  { kind: "idea_implemented", label: "Idea implemented", hint: "An idea of theirs implemented." },
  { kind: "kudos", label: "Kudos", hint: "Public kudos received for something in the topic." },
  { kind: "declared", label: "Declared skill", hint: "Added once to the ranking for a topic they say they know." },
];

export const weightField = <K extends EvidenceKind>(kind: K): `weight_${K}` => `weight_${kind}`;

const number = (label: string, min: number, max: number, options: { whole?: boolean } = {}) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .regex(options.whole ? /^-?\d{1,6}$/ : /^-?\d{1,6}(\.\d{1,4})?$/, options.whole ? `${label} must be a whole number.` : `${label} must be a number, like 2 or 0.5.`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `${label} must be at least ${min.toLocaleString("en")}.`)
        .max(max, `${label} must be at most ${max.toLocaleString("en")}.`),
    );

export const ExpertiseFormSchema = z
  .object({
    halfLifeDays: number("The half-life", 7, 3650, { whole: true }),
    confidenceK: number("The confidence constant", 0.1, 100),
    smeThreshold: number("The SME threshold", 1, 10_000),
    similarityWeight: number("The similarity weight", 0, 10),
    expertsPerRound: number("Experts per round", 1, 10, { whole: true }),
    weeklyLimit: number("The weekly limit", 1, 100, { whole: true }),
    answerReputation: number("The reputation for a routed answer", 0, 100, { whole: true }),
    ...(Object.fromEntries(WEIGHT_FIELDS.map((f) => [weightField(f.kind), number(`The weight of “${f.label}”`, 0, 100)])) as Record<`weight_${EvidenceKind}`, ReturnType<typeof number>>),
  })
  .transform((v) => ({
    halfLifeDays: v.halfLifeDays,
    confidenceK: v.confidenceK,
    smeThreshold: v.smeThreshold,
    similarityWeight: v.similarityWeight,
    weights: Object.fromEntries(EVIDENCE_KINDS.map((k) => [k, v[weightField(k)]])) as Record<EvidenceKind, number>,
    routing: { expertsPerRound: v.expertsPerRound, weeklyLimit: v.weeklyLimit, answerReputation: v.answerReputation },
  }));

/** The form's field values for stored settings. */
export function expertiseFormValues(s: z.output<typeof ExpertiseFormSchema>): Record<string, string> {
  return {
    halfLifeDays: String(s.halfLifeDays),
    confidenceK: String(s.confidenceK),
    smeThreshold: String(s.smeThreshold),
    similarityWeight: String(s.similarityWeight),
    expertsPerRound: String(s.routing.expertsPerRound),
    weeklyLimit: String(s.routing.weeklyLimit),
    answerReputation: String(s.routing.answerReputation),
    ...Object.fromEntries(EVIDENCE_KINDS.map((k) => [weightField(k), String(s.weights[k])])),
  };
}
