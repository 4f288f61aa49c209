import { z } from "zod";
import { optionalText } from "#app/lib/forms.ts";
import { MARKDOWN_MAX_LENGTH } from "#app/lib/markdown-limits.ts";
import { BODY_MIN, editComment, SubmissionKey, TagsField, textField, title } from "#app/features/qa/schemas.ts";
import { idParam } from "#app/lib/ids.ts";

/** Form schemas for campaigns and ideas; shared by routes and features. */

export const IDEA_STATUSES = ["submitted", "under_review", "accepted", "in_progress", "implemented", "declined", "merged"] as const;
export type IdeaStatus = (typeof IDEA_STATUSES)[number];

export const STATUS_LABELS: Record<IdeaStatus, string> = {
  submitted: "Submitted",
  under_review: "Under review",
  accepted: "Accepted",
  in_progress: "In progress",
  implemented: "Implemented",
  declined: "Declined",
  merged: "Merged",
};

/** The statuses a sponsor sets by hand ("merged" comes only with a merge, "submitted" only with a new idea). */
export const SETTABLE_STATUSES = ["under_review", "accepted", "in_progress", "implemented", "declined"] as const;

/** What evaluators score when the sponsor names no criteria. */
export const DEFAULT_CRITERIA = ["Impact", "Feasibility"];

export const CATEGORIES_MAX = 12;
export const CRITERIA_MAX = 6;
export const LABEL_MAX = 40;
export const HANDLES_MAX = 20;
export const REASON_MIN = 10;
export const REASON_MAX = 2_000;

/** "Benefits, Travel\nPayroll" → ["Benefits", "Travel", "Payroll"]: commas or lines separate labels. */
export function splitLabels(raw: string): string[] {
  const seen = new Set<string>();
  const labels: string[] = [];
  for (const part of raw.split(/[,\n]+/)) {
    const label = part.replace(/\s+/g, " ").trim();
    if (label && !seen.has(label.toLowerCase())) {
      seen.add(label.toLowerCase());
      labels.push(label);
    }
  }
  return labels;
}

const labels = (what: string, max: number) =>
  z
    .string()
    .optional()
    .transform((raw) => splitLabels(raw ?? ""))
    .check((ctx) => {
      if (ctx.value.length > max) ctx.issues.push({ code: "custom", message: `Use at most ${max} ${what}.`, input: ctx.value });
      if (ctx.value.some((l) => l.length > LABEL_MAX)) ctx.issues.push({ code: "custom", message: `Each of the ${what} can be at most ${LABEL_MAX} characters.`, input: ctx.value });
    });

/** "@ada.lovelace, @bob@acme.example" → ["ada.lovelace", "bob@acme.example"]. */
export function splitHandles(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(/[\s,;]+/)
        .map((h) => h.replace(/^@/, "").toLowerCase())
        .filter(Boolean),
    ),
  ];
}

const handles = (max: number) =>
  z
    .string()
    .optional()
    .transform((raw) => splitHandles(raw ?? ""))
    .check((ctx) => {
      if (ctx.value.length > max) ctx.issues.push({ code: "custom", message: `Name at most ${max} people.`, input: ctx.value });
    });

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A day from a date input ("2026-12-01"), read as the start of that day in UTC. */
const day = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .regex(DATE, `${label} must be a date like 2026-12-31.`)
    .transform((s, ctx) => {
      const date = new Date(`${s}T00:00:00Z`);
      if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== s) {
        ctx.issues.push({ code: "custom", message: `${label} is not a real date.`, input: s });
        return z.NEVER;
      }
      return date;
    });

export const CampaignSchema = z
  .object({
    space: z.string({ error: "Choose a space." }).trim().min(1, "Choose a space.").max(100),
    title,
    brief: textField("The brief", BODY_MIN, MARKDOWN_MAX_LENGTH),
    categories: labels("categories", CATEGORIES_MAX),
    criteria: labels("criteria", CRITERIA_MAX),
    /** The first day ideas are taken. */
    startsOn: day("The start date"),
    /** The last day ideas and votes are taken: the campaign closes at the end of it (UTC). */
    endsOn: day("The end date"),
    voteBudget: z
      .string()
      .optional()
      .transform((s) => (s ?? "").trim())
      .pipe(z.union([z.literal(""), z.string().regex(/^\d{1,3}$/, "The vote budget is a whole number from 1 to 100, or empty for no limit.")]))
      .transform((s) => (s === "" ? null : Number(s)))
      .refine((n) => n === null || (n >= 1 && n <= 100), "The vote budget is a whole number from 1 to 100, or empty for no limit."),
    evaluators: handles(HANDLES_MAX),
    submissionKey: SubmissionKey,
  })
  .check((ctx) => {
    const { startsOn, endsOn } = ctx.value;
    if (endsOn < startsOn) ctx.issues.push({ code: "custom", path: ["endsOn"], message: "The end date cannot come before the start date.", input: endsOn });
  });
export type CampaignInput = z.output<typeof CampaignSchema>;

export const IdeaSchema = z.object({
  title,
  body: textField("The description", BODY_MIN, MARKDOWN_MAX_LENGTH),
  category: z
    .string()
    .optional()
    .default("")
    .transform((s) => s.trim()),
  tags: TagsField,
  coOwners: handles(5),
  submissionKey: SubmissionKey,
});
export type IdeaInput = z.output<typeof IdeaSchema>;

export const EditIdeaSchema = z.object({
  title,
  body: textField("The description", BODY_MIN, MARKDOWN_MAX_LENGTH),
  category: z
    .string()
    .optional()
    .default("")
    .transform((s) => s.trim()),
  tags: TagsField,
  comment: editComment,
});
export type EditIdeaInput = z.output<typeof EditIdeaSchema>;

export const StatusSchema = z
  .object({
    status: z.enum(SETTABLE_STATUSES, { error: "Choose a status." }),
    reason: optionalText().pipe(z.string().max(REASON_MAX, `The reason can be at most ${REASON_MAX.toLocaleString("en")} characters.`)),
  })
  .check((ctx) => {
    if (ctx.value.status === "declined" && ctx.value.reason.length < REASON_MIN) {
      ctx.issues.push({
        code: "custom",
        path: ["reason"],
        message: `Tell the owners and voters why it was declined (at least ${REASON_MIN} characters): everyone who voted will read it.`,
        input: ctx.value.reason,
      });
    }
  });
export type StatusInput = z.output<typeof StatusSchema>;

export const MergeSchema = z.object({
  targetId: z
    .string({ error: "Choose the idea to merge into." })
    // "#42", as ideas are shown, or "42"; read by the one id parser.
    .transform((s, ctx) => {
      const id = idParam(s.trim().replace(/^#/, ""));
      if (Number.isNaN(id)) ctx.issues.push({ code: "custom", message: "Give the number of the idea to merge into, like 42.", input: s });
      return id;
    }),
  reason: optionalText().pipe(z.string().max(REASON_MAX)),
});
export type MergeInput = z.output<typeof MergeSchema>;

export const InviteSchema = z.object({ coOwners: handles(5).refine((h) => h.length > 0, "Name a colleague by their handle, like @ada.lovelace.") });

export type ScoreInput = Record<string, number>;

/**
 * Why the viewer cannot vote on an idea right now, or null when they can: the same rules the
 * server enforces (votes.server.ts), said before the click on the list and on the idea's page.
 */
export function voteBlockReason(phase: "upcoming" | "open" | "closed" | "archived", status: IdeaStatus, owned: boolean): string | null {
  if (phase === "upcoming") return "Voting opens when the campaign starts.";
  if (phase !== "open") return "The campaign is closed: votes are frozen.";
  if (status === "declined" || status === "merged" || status === "implemented") return "This idea takes no more votes.";
  if (owned) return "You can't vote for your own idea.";
  return null;
}

/** Statuses at or past "accepted": the owners hold the accept reward, and the text is the sponsor's to change. */
export const ACCEPTED_OR_LATER: ReadonlySet<IdeaStatus> = new Set(["accepted", "in_progress", "implemented"]);

/**
 * Why an owner (who is not the sponsor or a moderator) may not edit the idea, or null when they
 * may: once accepted, the text is what was decided on, so later changes go through the sponsor.
 */
export function ownerEditBlockReason(status: IdeaStatus): string | null {
  return ACCEPTED_OR_LATER.has(status) ? "This idea has been accepted, so its text is what was decided on: ask the campaign's sponsor to change it, or add a comment." : null;
}
