import { z } from "zod";
import { normalizeText } from "#app/lib/forms.ts";

/** Form schemas of anonymous questions: the space setting, a relay message, a break-glass reason. */

export const RELAY_MIN = 3;
export const RELAY_MAX = 2000;
/** The database's check asks for 10 characters; a reason is shown to the asker, so it has a ceiling too. */
export const REASON_MIN = 10;
export const REASON_MAX = 1000;

/** The admin space page's switch: a checked box sends "on", an unchecked one nothing. */
export const AnonymousSettingSchema = z.object({
  anonymousQuestions: z
    .enum(["on"], { error: "Tick the box or leave it empty." })
    .optional()
    .transform((v) => v === "on"),
});

/** A moderator's message to the asker: plain text, shown as text. */
export const RelaySchema = z.object({
  body: z
    .string({ error: "Write a message." })
    .transform(normalizeText)
    .pipe(
      z
        .string()
        .min(1, "Write a message.")
        .min(RELAY_MIN, `The message needs at least ${RELAY_MIN} characters.`)
        .max(RELAY_MAX, `The message can be at most ${RELAY_MAX.toLocaleString("en")} characters.`),
    ),
});
export type RelayInput = z.output<typeof RelaySchema>;

/** Why a moderator looks up who asked: the asker reads it afterwards. */
export const BreakGlassSchema = z.object({
  reason: z
    .string({ error: "Say why you need to know who asked." })
    .transform(normalizeText)
    .pipe(
      z
        .string()
        .min(1, "Say why you need to know who asked.")
        .min(REASON_MIN, `The reason needs at least ${REASON_MIN} characters: the asker will read it.`)
        .max(REASON_MAX, `The reason can be at most ${REASON_MAX.toLocaleString("en")} characters.`),
    ),
});
export type BreakGlassInput = z.output<typeof BreakGlassSchema>;
