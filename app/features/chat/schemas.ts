import { z } from "zod";
import { CHAT_EVENT_TYPES, type EventType } from "#app/features/webhooks/events.ts";
import { idField } from "#app/lib/ids.ts";

/** The chat platforms a connection can post to, as people read them. */
export const PLATFORM_LABELS = { slack: "Slack", teams: "Microsoft Teams" } as const;
export type ChatPlatformName = keyof typeof PLATFORM_LABELS;

/** What admins read beside each event's box (shorter than the webhooks' labels: the hours have their own field). */
export const CHAT_EVENT_LABELS: Partial<Record<EventType, string>> = {
  "question.created": "A question is asked",
  "question.unanswered": "A question is still unanswered after the hours below",
  "idea.status_changed": "An idea's status changes",
  "kudos.given": "Someone gives kudos",
};

export const UNANSWERED_HOURS_MAX = 168;
export const LABEL_MAX = 80;
const URL_MAX = 2000;

/** "" when the box is empty; the form sends the text typed. */
const optionalHours = z
  .string()
  .optional()
  .default("")
  .transform((v) => v.trim())
  .refine((v) => v === "" || /^\d{1,3}$/.test(v), { error: `Hours must be a whole number from 1 to ${UNANSWERED_HOURS_MAX}, or empty.` })
  .transform((v) => (v === "" ? null : Number(v)))
  .refine((v) => v === null || (v >= 1 && v <= UNANSWERED_HOURS_MAX), { error: `Hours must be a whole number from 1 to ${UNANSWERED_HOURS_MAX}, or empty.` });

/** One box per event: a single ticked box arrives as a string, several as an array. */
const events = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .refine((list) => list.every((e) => (CHAT_EVENT_TYPES as readonly string[]).includes(e)), { error: "Choose events from the list." })
  .refine((list) => list.length > 0, { error: "Choose at least one event to post." })
  .transform((list) => CHAT_EVENT_TYPES.filter((e) => list.includes(e)));

const webhookUrl = z
  .string({ error: "Paste the incoming webhook's URL." })
  .trim()
  .max(URL_MAX, { error: `A webhook URL is at most ${URL_MAX} characters.` })
  .refine((v) => /^https?:\/\//i.test(v) && URL.canParse(v), { error: "Paste the whole URL, starting with https://." });

const shared = {
  label: z
    .string()
    .optional()
    .default("")
    .transform((v) => v.replace(/\s+/g, " ").trim())
    .refine((v) => v.length <= LABEL_MAX, { error: `A label is at most ${LABEL_MAX} characters.` }),
  events,
  unansweredHours: optionalHours,
};

/** The hours and the "still unanswered" box go together: one without the other does nothing. */
function hoursMatchEvents(value: { events: EventType[]; unansweredHours: number | null }, ctx: z.RefinementCtx) {
  const wants = value.events.includes("question.unanswered");
  if (wants && value.unansweredHours === null) ctx.addIssue({ code: "custom", path: ["unansweredHours"], message: "Say after how many hours a question counts as unanswered (1 to 168)." });
  if (!wants && value.unansweredHours !== null) ctx.addIssue({ code: "custom", path: ["unansweredHours"], message: "Tick “still unanswered” above too, or leave the hours empty." });
}

/** Adding a connection: the space, the platform and the URL are chosen once. */
export const NewConnectionSchema = z
  .object({
    space: idField("Choose the space whose messages this channel gets."),
    platform: z.enum(["slack", "teams"], { error: "Choose Slack or Microsoft Teams." }),
    url: webhookUrl,
    ...shared,
  })
  .superRefine(hoursMatchEvents);
export type NewConnectionInput = z.output<typeof NewConnectionSchema>;

/** Editing one: the URL may be replaced (empty keeps the current one, which the page never shows). */
export const EditConnectionSchema = z
  .object({
    url: z
      .string()
      .optional()
      .default("")
      .transform((v) => v.trim())
      .pipe(z.union([z.literal(""), webhookUrl])),
    ...shared,
  })
  .superRefine(hoursMatchEvents);
export type EditConnectionInput = z.output<typeof EditConnectionSchema>;

/**
 * A webhook URL as lists show it: the host and the last four characters. The rest is the secret
 * that lets anyone post to the channel.
 */
export function maskUrl(url: string): string {
  let host = "";
  try {
    host = new URL(url).host;
  } catch {
    // A stored URL is always parsed first; if one is not, show only its end.
  }
  return `${host}/…${url.slice(-4)}`;
}

/**
 * The ticked events as a form failure carries them back: every box, comma-separated (the failure's
 * values keep one string per field, which would hold only the last box).
 */
export function tickedEvents(form: FormData): string {
  return form
    .getAll("events")
    .filter((v): v is string => typeof v === "string")
    .join(",");
}
