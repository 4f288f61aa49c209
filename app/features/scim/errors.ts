import SCIMMY from "scimmy";

/**
 * A SCIM error (RFC 7644 §3.12): its status, its `scimType` and a detail the identity provider's
 * admin can act on. The router answers it as scimmy's ErrorResponse message.
 */
export type ScimError = InstanceType<typeof SCIMMY.Types.Error>;

export function scimError(status: number, scimType: string | null, detail: string): ScimError {
  return new SCIMMY.Types.Error(status, scimType as string, detail);
}

export const notFound = (what: string, id: string) => scimError(404, null, `${what} ${id} not found`);
export const invalidValue = (detail: string) => scimError(400, "invalidValue", detail);
export const uniqueness = (detail: string) => scimError(409, "uniqueness", detail);

export function isScimError(error: unknown): error is ScimError {
  return error instanceof SCIMMY.Types.Error;
}

// Control characters (tabs and line breaks included) have no place in a name, a title or an address.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001F\u007F]/;

/**
 * One line of plain text from the identity provider (a name, a title, a department), trimmed; null
 * when absent or blank. Longer than `max` or holding control characters: a 400 naming the attribute.
 */
export function textAttribute(name: string, value: unknown, max = 100): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw invalidValue(`Attribute '${name}' must be a string`);
  const text = value.trim();
  if (!text) return null;
  if (text.length > max) throw invalidValue(`Attribute '${name}' can be at most ${max} characters`);
  if (CONTROL.test(text)) throw invalidValue(`Attribute '${name}' must be a single line of plain text`);
  return text;
}
