import { z } from "zod";
import { normalizeText } from "#app/lib/forms.ts";
import { IdSchema } from "#app/lib/ids.ts";
import { MARKDOWN_MAX_LENGTH } from "#app/lib/markdown-limits.ts";

/** The forum desk's forms (docs/forum-desk.md): a public answer, a suggestion, responders and SLAs. */

export const SLA_MIN_HOURS = 1;
export const SLA_MAX_HOURS = 720;
export const TOPIC_MAX = 35;

const markdownBody = (what: string) =>
  z
    .string({ error: `Write ${what}.` })
    .transform(normalizeText)
    .pipe(
      z
        .string()
        .min(1, `Write ${what}.`)
        .max(MARKDOWN_MAX_LENGTH, `Keep it under ${MARKDOWN_MAX_LENGTH.toLocaleString("en-US")} characters.`),
    );

/** "Post anyway: I checked these": a ticked checkbox sends "on". */
const ticked = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true");

export const PublicAnswerSchema = z.object({ body: markdownBody("your answer"), confirmed: ticked });
export const SuggestionSchema = z.object({ body: markdownBody("the answer you suggest") });
export const PostSuggestionSchema = z.object({ suggestionId: IdSchema, confirmed: ticked });
export const DecideSuggestionSchema = z.object({ suggestionId: IdSchema });

const slaHours = z.coerce
  .number({ error: `Enter a whole number of hours from ${SLA_MIN_HOURS} to ${SLA_MAX_HOURS}.` })
  .int(`Enter a whole number of hours from ${SLA_MIN_HOURS} to ${SLA_MAX_HOURS}.`)
  .min(SLA_MIN_HOURS, `Enter a whole number of hours from ${SLA_MIN_HOURS} to ${SLA_MAX_HOURS}.`)
  .max(SLA_MAX_HOURS, `Enter a whole number of hours from ${SLA_MIN_HOURS} to ${SLA_MAX_HOURS}.`);

/** A topic is a tag's name: lower-case, as the forum's threads carry them. */
export const TopicField = z
  .string({ error: "Name a topic (a tag)." })
  .transform((v) => v.trim().replace(/^#/, "").toLowerCase())
  .pipe(z.string().min(1, "Name a topic (a tag).").max(TOPIC_MAX, `A topic has at most ${TOPIC_MAX} characters.`));

export const AddResponderSchema = z.object({
  topic: TopicField,
  person: z
    .string({ error: "Name a colleague by their handle, e.g. @ada.lovelace." })
    .trim()
    .min(1, "Name a colleague by their handle, e.g. @ada.lovelace.")
    .max(200, "That is longer than any handle."),
});
export const RemoveResponderSchema = z.object({ topic: TopicField, userId: IdSchema });
export const TopicSlaSchema = z.object({ topic: TopicField, slaHours });
export const ClearTopicSlaSchema = z.object({ topic: TopicField });
export const DefaultSlaSchema = z.object({ defaultSlaHours: slaHours });

/** What site_settings key "forum_queue" holds. */
export const QueueSettingsSchema = z.object({ defaultSlaHours: z.number().int().min(SLA_MIN_HOURS).max(SLA_MAX_HOURS) });
export type QueueSettings = z.output<typeof QueueSettingsSchema>;
export const DEFAULT_QUEUE_SETTINGS: QueueSettings = { defaultSlaHours: 24 };
