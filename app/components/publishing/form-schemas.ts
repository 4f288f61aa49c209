import { z } from "zod";
import { textField } from "#app/features/qa/schemas.ts";
import { type FormResult, formFailure, normalizeText, submittedValues } from "#app/lib/forms.ts";
import { IdSchema, idParam, isRowId } from "#app/lib/ids.ts";
import {
  BODY_MAX,
  DEFAULT_GENERIC_LABEL,
  GENERIC_LABEL_MAX,
  GENERIC_LABEL_PATTERN,
  REASON_MAX,
  REASON_MIN,
  TITLE_MAX,
  TITLE_MIN,
  UNPUBLISH_REASON_MAX,
  partBodyField,
  partIncludedField,
} from "#app/features/publishing/rules.ts";

/**
 * The publishing pages' forms (app/routes/publications, app/routes/admin/publishing.tsx). They
 * check the shape and the limits people can fix before anything reaches the workflow, so each
 * message lands beside its field; the workflow (app/features/publishing) checks the rules again
 * and has the last word.
 */

export { GENERIC_LABEL_MAX, REASON_MAX, TITLE_MAX, UNPUBLISH_REASON_MAX };

export const ProposeSchema = z.object({ questionId: IdSchema });

export const RedactFlagSchema = z.object({ flagId: IdSchema });

/** A written reason, normalized: required, `min` to `max` characters. */
const reason = (what: string, min: number, max: number) =>
  z
    .string()
    .optional()
    .default("")
    .transform(normalizeText)
    .pipe(z.string().min(1, `Write ${what}.`).min(min, `Write ${what} in at least ${min} characters.`).max(max, `Keep it to ${max} characters.`));

export const AcceptFlagSchema = z.object({ flagId: IdSchema, reason: reason("why this may be published as it is", REASON_MIN, REASON_MAX) });

export const UnpublishSchema = z.object({ reason: reason("why it comes off the forum", 1, UNPUBLISH_REASON_MAX) });

export const ApproveSchema = z.object({ revision: z.coerce.number().int().positive() });

export const ConsentSchema = z
  .object({
    choice: z.enum(["named", "generic", "omit"], { error: "Choose how you would like to appear." }),
    genericLabel: z
      .string()
      .optional()
      .default("")
      .transform((s) => s.trim().replace(/\s+/g, " ")),
  })
  .check((ctx) => {
    const { choice, genericLabel } = ctx.value;
    if (choice !== "generic" || genericLabel === "") return;
    if (genericLabel.length > GENERIC_LABEL_MAX || !GENERIC_LABEL_PATTERN.test(genericLabel)) {
      ctx.issues.push({ code: "custom", path: ["genericLabel"], message: `Use up to ${GENERIC_LABEL_MAX} letters, spaces and hyphens, like “engineer”.`, input: genericLabel });
    }
  })
  .transform(({ choice, genericLabel }) => (choice === "generic" ? { choice, genericLabel: genericLabel || DEFAULT_GENERIC_LABEL } : { choice }));

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** "2026-12-31" → the start of that day in UTC; "" → null. */
export function expiryDate(value: string): Date | null | "invalid" {
  const s = value.trim();
  if (s === "") return null;
  if (!DATE.test(s)) return "invalid";
  const date = new Date(`${s}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== s ? "invalid" : date;
}

/** The date input's value for a stored expiry (UTC). */
export function expiryValue(expiresAt: Date | string | null): string {
  return expiresAt ? new Date(expiresAt).toISOString().slice(0, 10) : "";
}

const DraftTitle = textField("The title", TITLE_MIN, TITLE_MAX).transform((s) => s.replace(/\s+/g, " "));

/** What the editor's fields are called (the workflow's field errors use the same names). */
export const bodyField = partBodyField;
export const includedField = partIncludedField;

export type DraftInput = { revision: number; title: string; expiresAt: Date | null; parts: { id: number; body: string; included: boolean }[] };

/**
 * The editor's form: `revision`, `title`, `expiresAt` and, for each `partId`, `part-<id>-body` and a
 * checkbox `part-<id>-included`. Hand-read rather than one schema, as the parts are as many as the draft has.
 */
export function parseDraftForm(form: FormData): FormResult<DraftInput> {
  const values = submittedValues(form);
  const fieldErrors: Record<string, string> = {};
  const revision = Number(form.get("revision"));
  const title = DraftTitle.safeParse(form.get("title") ?? "");
  if (!title.success) fieldErrors.title = title.error.issues[0]!.message;
  const expires = expiryDate(String(form.get("expiresAt") ?? ""));
  if (expires === "invalid") fieldErrors.expiresAt = "Use a date like 2026-12-31, or leave it empty.";
  const ids = form.getAll("partId").map(idParam);
  const parts: DraftInput["parts"] = [];
  for (const id of ids) {
    if (!isRowId(id)) return formFailure(values, {}, "The form is out of date: reload the page and try again.");
    const body = textField("The text", 1, BODY_MAX).safeParse(form.get(bodyField(id)) ?? "");
    if (!body.success) fieldErrors[bodyField(id)] = body.error.issues[0]!.message;
    else parts.push({ id, body: body.data, included: form.get(includedField(id)) !== null });
  }
  if (!Number.isInteger(revision) || revision < 1 || ids.length === 0) return formFailure(values, fieldErrors, "The form is out of date: reload the page and try again.");
  if (Object.keys(fieldErrors).length > 0 || !title.success || expires === "invalid") return formFailure(values, fieldErrors);
  return { ok: true, data: { revision, title: title.data, expiresAt: expires, parts }, values };
}

// ---------------------------------------------------------------- the admin page

/** One entry a line; blank lines and surrounding spaces dropped. */
export function lines(text: string): string[] {
  return text
    .split(/\r\n?|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

export const SettingsFormSchema = z.object({
  internalHosts: z.string().optional().default("").transform(lines),
  internalIpRanges: z.string().optional().default("").transform(lines),
});

export const TermSchema = z.object({
  kind: z.enum(["customer", "codename"], { error: "Choose a list." }),
  term: z.string().optional().default("").transform(normalizeText),
});
