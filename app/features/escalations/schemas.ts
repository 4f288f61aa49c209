import { z } from "zod";
import { SubmissionKey, TagsField } from "#app/features/qa/schemas.ts";
import { normalizeText } from "#app/lib/forms.ts";
import { SEVERITIES } from "./model.ts";

/** The forms of an escalation's page, one per intent. */

export const OUTCOME_MAX = 1000;

export const AssignSchema = z.object({
  /** A colleague's handle ("@ada.lovelace"); empty takes the escalation off anyone's hands. */
  assignee: z
    .string()
    .optional()
    .default("")
    .transform((s) => s.trim())
    .pipe(z.string().max(200, "That is longer than any handle.")),
});

export const SeveritySchema = z.object({ severity: z.enum(SEVERITIES, { error: "Choose a severity." }) });

export const StatusSchema = z.object({ status: z.enum(["open", "investigating"], { error: "Choose open or investigating." }) });

export const OpenQuestionSchema = z.object({
  space: z.string({ error: "Choose a space." }).trim().min(1, "Choose a space.").max(100),
  tags: TagsField,
  submissionKey: SubmissionKey,
});

/** What customers read on the thread: plain text, never markdown or HTML. */
export const ResolveSchema = z.object({
  outcome: z
    .string({ error: "Say what was done: customers read it on the thread." })
    .transform(normalizeText)
    .pipe(
      z
        .string()
        .min(1, "Say what was done: customers read it on the thread.")
        .min(10, "Say a little more: at least 10 characters.")
        .max(OUTCOME_MAX, `At most ${OUTCOME_MAX.toLocaleString("en")} characters.`),
    ),
});

export const ESCALATION_FILTERS = ["open", "investigating", "resolved", "dismissed", "mine"] as const;
export type EscalationFilter = (typeof ESCALATION_FILTERS)[number];

export function filterOf(value: string | null, fallback: EscalationFilter): EscalationFilter {
  return (ESCALATION_FILTERS as readonly string[]).includes(value ?? "") ? (value as EscalationFilter) : fallback;
}

/** Rows per page of the escalation queue. */
export const PAGE_SIZE = 25;

/** The dashboard's window switch: the last 30 or 90 days. */
export const WINDOWS = [30, 90] as const;
export type DashboardWindow = (typeof WINDOWS)[number];

export function windowOf(value: string | null): DashboardWindow {
  return value === "90" ? 90 : 30;
}
