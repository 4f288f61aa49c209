import { z } from "zod";

/**
 * The one way to read a row id: from a URL segment, a query parameter or a form field. An id is
 * 1 to 10 digits and a positive PostgreSQL integer; anything else is no id, which the features
 * answer with a 404 (never a query error).
 */

const INT4_MAX = 2_147_483_647;
const DIGITS = /^\d{1,10}$/;

/** True for a value that can be a row id (a positive Postgres integer): anything else is a 404, never a query error. */
export function isRowId(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0 && value <= INT4_MAX;
}

/** The id in `value` (a route param, `searchParams.get(…)`, `form.get(…)`), or NaN for anything that is not one. */
export function idParam(value: unknown): number {
  if (typeof value !== "string" || !DIGITS.test(value)) return Number.NaN;
  const id = Number(value);
  return isRowId(id) ? id : Number.NaN;
}

/** A form field holding an id (or a number, from code), by the same rule, with `message` when it is missing or not one. */
export function idField(message: string) {
  return z.coerce
    .string({ error: message })
    .trim()
    .refine((value) => isRowId(idParam(value)), { error: message })
    .transform(Number);
}

/** A form field holding an id (a hidden field the page filled in). */
export const IdSchema = idField("That is not a valid id: reload the page and try again.");
