import { z } from "zod";
import { optionalText } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { EVENT_TYPES, type EventType } from "./events.ts";

/** The forms of Admin → Integrations → Outgoing webhooks and Private addresses allowed. */

/** What an endpoint can choose: every event but the chat-only "still unanswered". */
export const ENDPOINT_EVENT_TYPES: readonly EventType[] = EVENT_TYPES.filter((t) => t !== "question.unanswered");

export const URL_MAX = 2000;
export const DESCRIPTION_MAX = 500;
export const NOTE_MAX = 300;

/** A checkbox group sends nothing, one value, or several: always a list here. */
const list = (value: unknown) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]);

export const EndpointFormSchema = z.object({
  url: z.string({ error: "Enter the endpoint's address." }).trim().min(1, "Enter the endpoint's address.").max(URL_MAX, `At most ${URL_MAX} characters.`),
  description: optionalText().pipe(z.string().max(DESCRIPTION_MAX, `At most ${DESCRIPTION_MAX} characters.`)),
  /** A space's id, or "" for every open space. */
  space: z
    .string()
    .optional()
    .default("")
    .refine((v) => v === "" || !Number.isNaN(idParam(v)), "Choose a space from the list.")
    .transform((v) => (v === "" ? null : Number(v))),
  events: z.preprocess(
    list,
    z
      .array(z.enum(ENDPOINT_EVENT_TYPES as [EventType, ...EventType[]], { error: "Choose events from the list." }))
      .min(1, "Choose at least one event.")
      .transform((events) => ENDPOINT_EVENT_TYPES.filter((t) => events.includes(t))),
  ),
});
export type EndpointInput = z.output<typeof EndpointFormSchema>;

export const AllowlistEntrySchema = z.object({
  pattern: z.string({ error: "Enter a host name, an address or a range." }).trim().min(1, "Enter a host name, an address or a range.").max(300, "At most 300 characters."),
  note: optionalText().pipe(z.string().max(NOTE_MAX, `At most ${NOTE_MAX} characters.`)),
});
export type AllowlistEntryInput = z.output<typeof AllowlistEntrySchema>;
