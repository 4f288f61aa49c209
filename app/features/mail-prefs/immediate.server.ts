import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { users } from "#db/schema/index.ts";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { enqueueMail, type MailMessage } from "#app/features/mail/outbox.server.ts";
import { renderMail } from "#app/features/mail/render.server.tsx";
import type { NotificationKind } from "#app/features/social/registry.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { kudosNotificationMails } from "#app/features/recognition/kudos-mail.server.ts";
import { CATEGORY_INFO, DIRECTLY_MAILED_KINDS, KIND_CATEGORY } from "./categories.ts";
import { mailEntries, type MailEntry } from "./describe.server.ts";
import { preferencesOfMany } from "./preferences.server.ts";
import { mailSettingsLink, signingKey, unsubscribeHeaders } from "./unsubscribe.server.ts";
import { intArray } from "#db/sql-params.ts";

/**
 * Notifications mailed as they happen. Each round claims a batch of notifications nobody has
 * looked at yet (`mail_handled_at is null`, a partial index) with FOR UPDATE SKIP LOCKED, so
 * instances share the work, and in that one transaction writes the mails and marks every claimed
 * row handled, mailed or not: a crash rolls both back, and the next round does them again.
 *
 * A row is mailed when its person is an active employee with a proven address, wants its category
 * "immediately", and may still see it (describe.server.ts; a kudos notification, while the kudos
 * is live and they receive it: its mail, with the message and points, is kudos-mail.server.ts's).
 * Rows older than a day are marked
 * without mail (a mailer that was stopped for a week would otherwise send old news), and so are
 * the kinds whose feature writes its own mail (DIRECTLY_MAILED_KINDS). Digests read notifications
 * by time, not by this mark.
 */

export const IMMEDIATE_BATCH = 100;
const MAX_AGE_MS = 24 * 3600 * 1000;

type Claimed = { id: number; user_id: number; kind: NotificationKind; created_at: Date | string };

export async function mailNotificationsOnce(db: Db, options: { batchSize?: number; now?: Date } = {}): Promise<{ claimed: number; mailed: number }> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const rows = await tx.execute<Claimed>(sql`
      select id, user_id, kind, created_at from notifications
       where mail_handled_at is null
       order by id
       limit ${options.batchSize ?? IMMEDIATE_BATCH}
       for update skip locked`);
    if (rows.length === 0) return { claimed: 0, mailed: 0 };
    const ids = rows.map((r) => Number(r.id));
    await tx.execute(sql`update notifications set mail_handled_at = now() where id = any(${intArray(ids)})`);

    const fresh = rows.filter((r) => now.getTime() - new Date(r.created_at).getTime() <= MAX_AGE_MS && !DIRECTLY_MAILED_KINDS.has(r.kind));
    const mails = fresh.length ? await immediateMails(tx, fresh) : [];
    await enqueueMail(tx, ...mails);
    return { claimed: rows.length, mailed: mails.length };
  });
}

async function immediateMails(tx: Tx, rows: readonly Claimed[]): Promise<MailMessage[]> {
  const people = await tx
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, kind: users.kind, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(and(inArray(users.id, [...new Set(rows.map((r) => Number(r.user_id)))]), eq(users.kind, "employee"), isNull(users.deactivatedAt), isNotNull(users.emailVerifiedAt)));
  const prefs = await preferencesOfMany(
    tx,
    people.map((p) => p.id),
  );
  const key = await signingKey(tx);
  const mails: MailMessage[] = [];
  const kudos: number[] = [];
  for (const person of people) {
    const wanted = rows.filter((r) => Number(r.user_id) === person.id && prefs.get(person.id)?.[KIND_CATEGORY[r.kind]] === "immediately");
    kudos.push(...wanted.filter((r) => r.kind === "kudos").map((r) => Number(r.id)));
    const described = wanted.filter((r) => r.kind !== "kudos").map((r) => Number(r.id));
    if (described.length === 0) continue;
    for (const entry of await mailEntries(tx, person, { ids: described })) mails.push(notificationMail(person, entry, unsubscribeHeaders(key, person.id, entry.category)));
  }
  // Kudos mails, for everyone at once; their preference was checked above, so they go as they are, with the kudos category's link.
  for (const { category: _, ...mail } of await kudosNotificationMails(tx, kudos)) mails.push({ ...mail, headers: { ...mail.headers, ...unsubscribeHeaders(key, mail.userId!, "kudos") } });
  return mails;
}

/** One notification as a mail: what happened, the page's title, a link to it. */
export function notificationMail(person: Actor & { email: string; name: string }, entry: MailEntry, headers: Record<string, string>): MailMessage {
  const info = CATEGORY_INFO[entry.category];
  return renderMail({
    to: person.email,
    userId: person.id,
    template: `notification-${entry.kind}`,
    subject: `${entry.lead} “${entry.title}”`,
    reason: `You get this because you chose to hear about “${info.label}” by mail as it happens.`,
    greeting: `Hello ${person.name},`,
    paragraphs: [`${entry.lead} “${entry.title}”.`],
    action: { label: "Open it on Commons", url: appUrl(entry.path) },
    manage: mailSettingsLink(),
    headers,
  });
}
