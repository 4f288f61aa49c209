import { data } from "react-router";
import type { Db } from "#db/client.server.ts";
import { formFailure, parseForm, readForm } from "#app/lib/forms.ts";
import type { RateLimited } from "./accounts.server.ts";
import { EmailOnlySchema } from "./schemas.ts";

/**
 * The action of a form that asks for a mailed link (forgot password, a new confirmation link):
 * the address is parsed, `send` mails the link or does nothing, and the page answers the same
 * either way ({ sent }), so it does not tell who has an account. A rate limit comes back on the
 * form with the typed address, and is logged with the client's address.
 */
export async function requestMailedLink(
  request: Request,
  context: { db: Db; clientAddress: string; log: { warn: (obj: object, msg: string) => void } },
  send: (db: Db, email: string, options: { clientAddress: string }) => Promise<{ ok: true } | RateLimited>,
  refused: string,
) {
  const parsed = parseForm(EmailOnlySchema, await readForm(request));
  if (!parsed.ok) return data(parsed, { status: 400 });
  const result = await send(context.db, parsed.data.email, { clientAddress: context.clientAddress });
  if (!result.ok) {
    context.log.warn({ clientAddress: context.clientAddress, retryAfterMinutes: result.retryAfterMinutes }, refused);
    return data(formFailure(parsed.values, {}, result.message), { status: result.status });
  }
  return { sent: parsed.data.email };
}
