import { z } from "zod";
import { idField } from "#app/lib/ids.ts";

/** Form schemas of routing (docs/routing.md): a space's answer deadline, "Ask this person", the dashboard's window. */

/** Thirty working days: past that a deadline stops meaning anything. */
export const DEADLINE_MAX_HOURS = 720;

/** A space's answer deadline in working hours; an empty field turns routing off (null). */
export const AnswerDeadlineSchema = z.object({
  answerDeadlineHours: z
    .string({ error: "Enter a number of working hours, or leave it empty to turn routing off." })
    .optional()
    .transform((value, ctx) => {
      const text = (value ?? "").trim();
      if (text === "") return null;
      const hours = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isInteger(hours)) ctx.addIssue({ code: "custom", message: "Enter a whole number of working hours, or leave it empty to turn routing off." });
      else if (hours < 1) ctx.addIssue({ code: "custom", message: "At least 1 working hour, or leave it empty to turn routing off." });
      else if (hours > DEADLINE_MAX_HOURS) ctx.addIssue({ code: "custom", message: `At most ${DEADLINE_MAX_HOURS} working hours (30 working days).` });
      else return hours;
      return z.NEVER;
    }),
});
export type AnswerDeadlineInput = z.output<typeof AnswerDeadlineSchema>;

/** "Ask this person": whom (the page filled it in). */
export const AskExpertSchema = z.object({
  userId: idField("Choose a person to ask."),
});

/** The dashboard's windows, in days. */
export const ROUTING_WINDOWS = [30, 90] as const;
export type RoutingWindow = (typeof ROUTING_WINDOWS)[number];

/** `?days=`: one of the windows, else the first (a bad link is no error). */
export function windowParam(value: string | null): RoutingWindow {
  return ROUTING_WINDOWS.find((d) => String(d) === value) ?? ROUTING_WINDOWS[0];
}
