import { z } from "zod";
import { normalizeText, optionalText } from "#app/lib/forms.ts";
import { idField, idParam } from "#app/lib/ids.ts";
import { SubmissionKey } from "#app/features/qa/schemas.ts";

/**
 * The kudos forms (giving, adding points, withdrawing), the admin's forms for company values and
 * allowance rules, and the feeds' query parameters. Shared by the routes and the features; safe
 * for the browser (no server imports).
 */

export const KUDOS_MAX_RECEIVERS = 20;
export const KUDOS_MESSAGE_MAX = 2000;
export const KUDOS_MAX_POINTS_EACH = 1000;
export const KUDOS_NOTE_MAX = 500;
export const KUDOS_DEFAULT_POINTS = 10;

export const VALUE_NAME_MAX = 40;
export const VALUE_EMOJI_MAX = 8;
export const VALUE_DESCRIPTION_MAX = 280;
export const DEPARTMENT_MAX = 80;
export const ALLOWANCE_MAX = 100_000;

/**
 * "@ada.lovelace, Grace Liu; bob@acme.example" → ["@ada.lovelace", "Grace Liu", "bob@acme.example"]:
 * the receivers field without JavaScript takes handles, addresses or full names, separated by
 * commas, semicolons or lines. Duplicates (case aside) count once.
 */
export function splitReceivers(raw: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of raw.split(/[,;\n]+/)) {
    const entry = part.replace(/\s+/g, " ").trim();
    if (entry && !seen.has(entry.toLowerCase())) {
      seen.add(entry.toLowerCase());
      out.push(entry);
    }
  }
  return out;
}

/** A whole number typed into a number field, within [min, max], with one message for anything else. */
const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string({ error: message })
    .trim()
    .regex(/^\d{1,7}$/, message)
    .transform(Number)
    .refine((n) => n >= min && n <= max, message);

/** A checkbox: present ("on") or absent. */
const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true" || v === "1");

/** An optional hidden id ("" or absent: none). */
const optionalId = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === "") return null;
    const id = idParam(v.trim());
    if (Number.isNaN(id)) {
      ctx.issues.push({ code: "custom", message: "That item no longer exists, or you can't see it.", input: v });
      return z.NEVER;
    }
    return id;
  });

export const GiveKudosFormSchema = z.object({
  receivers: z
    .string()
    .optional()
    .transform((raw) => splitReceivers(raw ?? ""))
    .check((ctx) => {
      if (ctx.value.length === 0) ctx.issues.push({ code: "custom", message: "Choose at least one colleague to thank.", input: ctx.value });
      if (ctx.value.length > KUDOS_MAX_RECEIVERS) ctx.issues.push({ code: "custom", message: `Kudos go to at most ${KUDOS_MAX_RECEIVERS} people at once.`, input: ctx.value });
    }),
  valueId: idField("Choose one of the company's values."),
  pointsEach: wholeNumber(0, KUDOS_MAX_POINTS_EACH, `Points each are a whole number from 0 to ${KUDOS_MAX_POINTS_EACH}.`),
  message: z
    .string({ error: "Say what you are thanking them for." })
    .transform(normalizeText)
    .pipe(z.string().min(1, "Say what you are thanking them for.").max(KUDOS_MESSAGE_MAX, `Keep the message under ${KUDOS_MESSAGE_MAX} characters.`)),
  private: checkbox,
  subjectItemId: optionalId,
  submissionKey: SubmissionKey,
});
export type GiveKudosForm = z.output<typeof GiveKudosFormSchema>;

export const AddPointsSchema = z.object({
  pointsEach: wholeNumber(1, KUDOS_MAX_POINTS_EACH, `Add a whole number of points from 1 to ${KUDOS_MAX_POINTS_EACH}.`),
  message: optionalText().pipe(z.string().max(KUDOS_NOTE_MAX, `Keep the note under ${KUDOS_NOTE_MAX} characters.`)),
});

export const WithdrawSchema = z.object({
  reason: z
    .string({ error: "Say why it is withdrawn: the people it concerned see the reason." })
    .transform(normalizeText)
    .pipe(z.string().min(3, "Say why it is withdrawn: the people it concerned see the reason.").max(KUDOS_NOTE_MAX, `Keep the reason under ${KUDOS_NOTE_MAX} characters.`)),
});

// ---------------------------------------------------------------------------------------------
// Company values and allowance rules (admins)

export const ValueSchema = z.object({
  name: z
    .string({ error: "Name the value." })
    .transform((s) => s.replace(/\s+/g, " ").trim())
    .pipe(z.string().min(1, "Name the value.").max(VALUE_NAME_MAX, `A value's name is at most ${VALUE_NAME_MAX} characters.`)),
  emoji: optionalText().refine((s) => [...s].length <= VALUE_EMOJI_MAX, `An emoji is at most ${VALUE_EMOJI_MAX} characters.`),
  description: optionalText().pipe(z.string().max(VALUE_DESCRIPTION_MAX, `Keep the description under ${VALUE_DESCRIPTION_MAX} characters.`)),
});
export type ValueInput = z.output<typeof ValueSchema>;

export const ALLOWANCE_ROLES = ["member", "moderator", "hr", "admin"] as const;
export type AllowanceRole = (typeof ALLOWANCE_ROLES)[number];
export const ROLE_LABELS: Record<AllowanceRole, string> = { member: "Members", moderator: "Moderators", hr: "HR", admin: "Admins" };

const points = wholeNumber(0, ALLOWANCE_MAX, `Points are a whole number from 0 to ${ALLOWANCE_MAX.toLocaleString("en")}.`);

export const AllowanceRuleSchema = z.discriminatedUnion("scope", [
  z.object({ scope: z.literal("default"), points }),
  z.object({ scope: z.literal("role"), role: z.enum(ALLOWANCE_ROLES, { error: "Choose a role." }), points }),
  z.object({
    scope: z.literal("department"),
    department: z
      .string({ error: "Name the department." })
      .transform((s) => s.replace(/\s+/g, " ").trim())
      .pipe(z.string().min(1, "Name the department.").max(DEPARTMENT_MAX, `A department is at most ${DEPARTMENT_MAX} characters.`)),
    points,
  }),
]);
export type AllowanceRuleInput = z.output<typeof AllowanceRuleSchema>;

// ---------------------------------------------------------------------------------------------
// Feeds

/** Which kudos a feed shows: all the reader may see, those given to, or by, the person it is about. */
export const FEED_SHOWS = ["all", "received", "given"] as const;
export type FeedShow = (typeof FEED_SHOWS)[number];

export type KudosFeedParams = { show: FeedShow; value?: number | undefined; item?: number | undefined };

/** `?show=received|given&value=<id>&item=<itemId>`: anything malformed is dropped, never an error. */
export function kudosFeedParams(url: URL, defaultShow: FeedShow = "all"): KudosFeedParams {
  const show = url.searchParams.get("show");
  const value = idParam(url.searchParams.get("value") ?? "");
  const item = idParam(url.searchParams.get("item") ?? "");
  return {
    show: (FEED_SHOWS as readonly string[]).includes(show ?? "") ? (show as FeedShow) : defaultShow,
    value: Number.isNaN(value) ? undefined : value,
    item: Number.isNaN(item) ? undefined : item,
  };
}

/** `base?show=…&value=…&item=…&page=…`, leaving out the defaults so plain URLs stay plain. */
export function kudosFeedHref(base: string, params: Partial<KudosFeedParams> & { page?: number }, defaultShow: FeedShow = "all"): string {
  const search = new URLSearchParams();
  if (params.show && params.show !== defaultShow) search.set("show", params.show);
  if (params.value) search.set("value", String(params.value));
  if (params.item) search.set("item", String(params.item));
  if (params.page && params.page > 1) search.set("page", String(params.page));
  const query = search.toString();
  return query ? `${base}?${query}` : base;
}
