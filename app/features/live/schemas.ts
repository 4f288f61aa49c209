import { z } from "zod";
import { normalizeText, optionalText } from "#app/lib/forms.ts";
import { splitHandles } from "#app/features/ideas/schemas.ts";
import { TAG_MAX_LENGTH, TAG_PATTERN } from "#app/features/qa/schemas.ts";

/** The forms of live expert sessions (docs/live-sessions.md); shared by routes, features and the forum. */

export const SESSION_TITLE_MIN = 5;
/** "Live session: " comes before it on the thread it becomes, whose title may be 150 characters. */
export const SESSION_TITLE_MAX = 120;
export const SESSION_DESCRIPTION_MAX = 10_000;
export const LIVE_QUESTION_MAX = 2_000;
export const LIVE_ANSWER_MAX = 10_000;
export const EXPERTS_MAX = 8;

const DATETIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** "2026-03-01T15:00" from a datetime-local field, read as UTC like every date of the app. */
export function utcFromLocal(value: string): Date | null {
  if (!DATETIME_LOCAL.test(value)) return null;
  const date = new Date(`${value}:00Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The value a datetime-local field shows for a date (UTC). */
export function localFromUtc(date: Date): string {
  return date.toISOString().slice(0, 16);
}

const when = (label: string) =>
  z
    .string({ error: `Give the ${label} time.` })
    .trim()
    .transform((value, ctx) => {
      const date = utcFromLocal(value);
      if (!date) {
        ctx.issues.push({ code: "custom", message: `Give the ${label} time as a date and a time (UTC).`, input: value });
        return z.NEVER;
      }
      return date;
    });

export const SessionSchema = z
  .object({
    title: z
      .string({ error: "The title is required." })
      .transform((s) => normalizeText(s).replace(/\s+/g, " "))
      .pipe(
        z
          .string()
          .min(1, "The title is required.")
          .min(SESSION_TITLE_MIN, `The title needs at least ${SESSION_TITLE_MIN} characters.`)
          .max(SESSION_TITLE_MAX, `The title can be at most ${SESSION_TITLE_MAX} characters.`),
      ),
    description: optionalText().pipe(z.string().max(SESSION_DESCRIPTION_MAX, `The description can be at most ${SESSION_DESCRIPTION_MAX.toLocaleString("en")} characters.`)),
    topic: z
      .string({ error: "Give the session's topic (a tag)." })
      .transform((s) => s.trim().replace(/^#/, "").toLowerCase())
      .check((ctx) => {
        if (ctx.value === "") ctx.issues.push({ code: "custom", message: "Give the session's topic (a tag).", input: ctx.value });
        else if (ctx.value.length > TAG_MAX_LENGTH || !TAG_PATTERN.test(ctx.value))
          ctx.issues.push({ code: "custom", message: `Use one tag: up to ${TAG_MAX_LENGTH} lower-case letters, digits and + # . - (starting with a letter or digit).`, input: ctx.value });
      }),
    audience: z.enum(["forum", "internal"], { error: "Choose who the session is for." }),
    space: z
      .string()
      .optional()
      .default("")
      .transform((s) => s.trim()),
    startsAt: when("start"),
    endsAt: when("end"),
    experts: z
      .string({ error: "Name at least one expert." })
      .transform((raw) => splitHandles(raw))
      .check((ctx) => {
        if (ctx.value.length === 0) ctx.issues.push({ code: "custom", message: "Name at least one expert.", input: ctx.value });
        else if (ctx.value.length > EXPERTS_MAX) ctx.issues.push({ code: "custom", message: `Name at most ${EXPERTS_MAX} experts.`, input: ctx.value });
      }),
  })
  .check((ctx) => {
    const { audience, space, startsAt, endsAt } = ctx.value;
    if (audience === "internal" && space === "") ctx.issues.push({ code: "custom", message: "Choose the space whose members take part.", input: space, path: ["space"] });
    if (endsAt.getTime() <= startsAt.getTime()) ctx.issues.push({ code: "custom", message: "The end must come after the start.", input: endsAt, path: ["endsAt"] });
    else if (endsAt.getTime() - startsAt.getTime() > 7 * 24 * 3600 * 1000) ctx.issues.push({ code: "custom", message: "A session lasts a week at most.", input: endsAt, path: ["endsAt"] });
  });
export type SessionInput = z.output<typeof SessionSchema>;

const text = (label: string, max: number) =>
  z
    .string({ error: `${label} is required.` })
    .transform(normalizeText)
    .pipe(
      z
        .string()
        .min(1, `${label} is required.`)
        .max(max, `${label} can be at most ${max.toLocaleString("en")} characters.`),
    );

export const LiveQuestionSchema = z.object({ body: text("Your question", LIVE_QUESTION_MAX) });
export const LiveAnswerSchema = z.object({ body: text("The answer", LIVE_ANSWER_MAX) });
