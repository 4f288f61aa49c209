import { z } from "zod";
import type { Privilege, ReputationRules } from "./rules.server.ts";

/**
 * The admin form for reputation rules: one flat field per number, each required and whole (an
 * empty box is an error, not a silent 0), turned into the nested `ReputationRules`.
 */

const whole = (label: string, min: number, max: number) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .regex(/^-?\d{1,7}$/, `${label} must be a whole number.`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `${label} must be at least ${min.toLocaleString("en")}.`)
        .max(max, `${label} must be at most ${max.toLocaleString("en")}.`),
    );

export const WEIGHT_FIELDS = [
  { key: "questionUpvoted", label: "Question voted up", hint: "To the asker." },
  { key: "answerUpvoted", label: "Answer voted up", hint: "To the answerer." },
  { key: "postDownvoted", label: "Post voted down", hint: "To the author (usually negative)." },
  { key: "downvoteCast", label: "Voting an answer down", hint: "To the voter (usually negative)." },
  { key: "answerAccepted", label: "Answer accepted", hint: "To the answerer." },
  { key: "acceptGiven", label: "Accepting an answer", hint: "To the asker who accepts." },
  { key: "ideaAccepted", label: "Idea accepted", hint: "To each owner of the idea." },
  { key: "ideaImplemented", label: "Idea implemented", hint: "To each owner, on top of the accept." },
  { key: "articleUpvoted", label: "Article voted up", hint: "To the article's author." },
  { key: "articleDownvoted", label: "Article voted down", hint: "To the article's author (usually negative)." },
  { key: "editApproved", label: "Suggested edit approved", hint: "To the suggester." },
  { key: "pageVerified", label: "Wiki page verified", hint: "To the owner who verifies it." },
  { key: "answerPromoted", label: "Answer promoted to the wiki", hint: "To the answer's author." },
] as const satisfies ReadonlyArray<{ key: keyof ReputationRules["weights"]; label: string; hint: string }>;

export const THRESHOLD_FIELDS = [
  { key: "voteDown", label: "Vote down" },
  { key: "createTag", label: "Create new tags" },
  { key: "close", label: "Close and reopen questions" },
  { key: "editOthers", label: "Edit other people's posts" },
  { key: "promoteAnswer", label: "Promote an answer to the wiki" },
] as const satisfies ReadonlyArray<{ key: Privilege; label: string }>;

const weight = (label: string) => whole(label, -1000, 1000);
const threshold = (label: string) => whole(`The threshold to ${label.toLowerCase()}`, 0, 1_000_000);

type WeightKey = (typeof WEIGHT_FIELDS)[number]["key"];
type ThresholdKey = (typeof THRESHOLD_FIELDS)[number]["key"];

export const RulesFormSchema = z
  .object({
    ...(Object.fromEntries(WEIGHT_FIELDS.map((f) => [f.key, weight(f.label)])) as Record<WeightKey, ReturnType<typeof weight>>),
    dailyCap: whole("The daily cap", 0, 1_000_000),
    ...(Object.fromEntries(THRESHOLD_FIELDS.map((f) => [f.key, threshold(f.label)])) as Record<ThresholdKey, ReturnType<typeof threshold>>),
  })
  .transform((v): ReputationRules => ({
    weights: Object.fromEntries(WEIGHT_FIELDS.map((f) => [f.key, v[f.key]])) as ReputationRules["weights"],
    dailyCap: v.dailyCap,
    thresholds: Object.fromEntries(THRESHOLD_FIELDS.map((f) => [f.key, v[f.key]])) as ReputationRules["thresholds"],
  }));

/** The form's field values for a set of rules. */
export function rulesFormValues(rules: ReputationRules): Record<string, string> {
  return Object.fromEntries(Object.entries({ ...rules.weights, dailyCap: rules.dailyCap, ...rules.thresholds }).map(([k, v]) => [k, String(v)]));
}
