import { type FieldErrors, type FormFailure, formFailure } from "./forms.ts";

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
