import { data } from "react-router";
import { z } from "zod";

/**
 * One zod schema per form, used on the server (and on the client where it helps). A failed parse
 * returns field messages plus the values the user typed, so the form comes back intact.
 */
export type FieldErrors = Partial<Record<string, string>>;
export type FormFailure = { ok: false; fieldErrors: FieldErrors; formError?: string; values: Record<string, string> };
export type FormResult<T> = { ok: true; data: T; values: Record<string, string> } | FormFailure;

/** Typed text as stored: every line break "\n" (browsers send "\r\n"), no blank space around it. */
export function normalizeText(text: string): string {
  return text.replace(/\r\n?/g, "\n").trim();
}

/** An optional text field (details, a note): missing reads as "", and the text is normalized. */
export function optionalText() {
  return z.string().optional().default("").transform(normalizeText);
}

/** The submitted text fields (files and secrets excluded) to send back on error. */
export function submittedValues(formData: FormData, omit: readonly string[] = ["password", "newPassword", "currentPassword", "confirmPassword"]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (typeof value === "string" && !omit.includes(key)) values[key] = value;
  }
  return values;
}

export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): FormResult<z.output<S>> {
  const raw: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key);
    raw[key] = all.length > 1 ? all : all[0];
  }
  const values = submittedValues(formData);
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data, values };
  const fieldErrors: FieldErrors = {};
  let formError: string | undefined;
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join(".");
    if (!key) formError ??= issue.message;
    else fieldErrors[key] ??= issue.message;
  }
  return { ok: false, fieldErrors, ...(formError ? { formError } : {}), values };
}

/** A failure built by hand, for checks the schema cannot make (e.g. "email already taken"). */
export function formFailure(values: Record<string, string>, fieldErrors: FieldErrors, formError?: string): FormFailure {
  return { ok: false, fieldErrors, ...(formError ? { formError } : {}), values };
}

/**
 * The submitted form, or a 400 with a plain message when the body cannot be read as a form (a
 * forged or truncated multipart body). NUL characters, which PostgreSQL cannot store in text and
 * no one types, are removed from every value.
 */
export async function readForm(request: Request): Promise<FormData> {
  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    throw data("The form could not be read. Reload the page and try again.", { status: 400 });
  }
  const clean = new FormData();
  for (const [key, value] of formData) clean.append(key.replaceAll("\0", ""), typeof value === "string" ? value.replaceAll("\0", "") : value);
  return clean;
}

/** A list's `?page=`: a whole number from 1 to 100,000, else the first page (a bad link is no error). */
export function pageParam(url: URL): number {
  const page = Number(url.searchParams.get("page") ?? "1");
  return Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1;
}
