import { data } from "react-router";
import { type FieldErrors, type FormFailure, formFailure } from "./forms.ts";

// The status a typed error answers with, under a registered symbol rather than found by
// `instanceof`: build/start/server.js (which converts these, server/route-errors.ts) and the React
// Router build (whose features throw them) each bundle a copy of this module.
const HTTP_STATUS = Symbol.for("commons.httpStatus");

/**
 * Something that does not exist, or that the actor may not see: the two answer alike on purpose
 * (a 404), so a hidden space or item gives nothing away. The message is for logs and tests; the
 * 404 page says the same whatever it is.
 */
export class NotFoundError extends Error {
  readonly [HTTP_STATUS] = 404;

  constructor(message = "Not found") {
    super(message);
    this.name = "NotFoundError";
  }
}

/**
 * Something the actor can see but may not do (edit someone's post, score an idea they own): a 403
 * whose message the error page shows them, so it says who may do it.
 */
export class ForbiddenError extends Error {
  readonly [HTTP_STATUS] = 403;

  constructor(message = "You don't have permission to do that.") {
    super(message);
    this.name = "ForbiddenError";
  }
}

/**
 * The HTTP answer for a NotFoundError or ForbiddenError that escaped a loader or action (its
 * message as the data, for the error boundary), or undefined for anything else.
 */
export function errorResponse(error: unknown) {
  const status = error instanceof Error ? (error as { [HTTP_STATUS]?: unknown })[HTTP_STATUS] : undefined;
  if (status !== 404 && status !== 403) return undefined;
  return data((error as Error).message, { status });
}

/**
 * A request the user can fix ("that slug is taken", "you are the last admin"): features throw it,
 * route actions turn it into a form failure that keeps the user's input. Anything else that is
 * thrown is a bug or an outage and reaches the error boundary.
 */
export class InputError extends Error {
  readonly fieldErrors: FieldErrors;
  readonly formError: string | undefined;

  constructor(message: string, fieldErrors: FieldErrors = {}) {
    super(message);
    this.name = "InputError";
    this.fieldErrors = fieldErrors;
    // A message tied to a field shows there; otherwise it shows at the top of the form.
    this.formError = Object.keys(fieldErrors).length > 0 ? undefined : message;
  }

  static field(field: string, message: string): InputError {
    return new InputError(message, { [field]: message });
  }
}

/**
 * Runs a feature call for a form action: an InputError becomes a form failure carrying the
 * user's input back; anything else propagates to the error boundary.
 */
export async function attempt<T>(values: Record<string, string>, run: () => Promise<T>): Promise<{ ok: true; result: T; values: Record<string, string> } | FormFailure> {
  try {
    return { ok: true, result: await run(), values };
  } catch (error) {
    if (error instanceof InputError) return formFailure(values, error.fieldErrors, error.formError);
    throw error;
  }
}
