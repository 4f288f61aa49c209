import type { Db, Tx } from "#db/client.server.ts";
import type { MailMessage } from "#app/features/mail/message.ts";
import { preferencesOfMany } from "./preferences.server.ts";
import { signingKey, unsubscribeHeaders } from "./unsubscribe.server.ts";

/**
 * What `enqueueMail` does with mails that name a notification category (a routed question, kudos:
 * features that write their own "immediately" mail): keeps those whose person wants that category
 * immediately and gives them the category's one-click unsubscribe headers. Mails without a
 * category pass untouched, without a query (the public forum's process, which may not read these
 * tables, only ever sends those).
 */
export async function applyMailPreferences(db: Db | Tx, messages: readonly MailMessage[]): Promise<MailMessage[]> {
  const categorised = messages.filter((m) => m.category !== undefined);
  if (categorised.length === 0) return [...messages];
  const people = categorised.flatMap((m) => (m.userId ? [m.userId] : []));
  const prefs = await preferencesOfMany(db, people);
  const key = await signingKey(db);
  return messages.flatMap((m) => {
    if (m.category === undefined) return [m];
    if (!m.userId) return [];
    if (prefs.get(m.userId)?.[m.category] !== "immediately") return [];
    return [{ ...m, headers: { ...m.headers, ...unsubscribeHeaders(key, m.userId, m.category) } }];
  });
}
