import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { mailOutbox } from "#db/schema/index.ts";
import { applyMailPreferences } from "#app/features/mail-prefs/apply.server.ts";
import type { MailMessage } from "./message.ts";

export type { MailMessage };

/** The LISTEN/NOTIFY channel that wakes the mailer; notifications are delivered at commit. */
export const MAIL_CHANNEL = "commons_mail";

/** The domain of generated Message-IDs. */
const MESSAGE_ID_DOMAIN = "commons.mail";

/**
 * Writes mails to the outbox inside the caller's transaction: if the write rolls back, no mail
 * goes out. The mailer sends them after commit. Each gets its Message-ID now, so a resend after a
 * crash between sending and marking is recognisably the same message. A mail with a `category`
 * is written only for a person who wants that category immediately, with its unsubscribe headers.
 */
export async function enqueueMail(tx: Tx | Db, ...all: MailMessage[]): Promise<void> {
  const messages = await applyMailPreferences(tx, all);
  if (messages.length === 0) return;
  await tx.insert(mailOutbox).values(
    messages.map((m) => ({
      to: m.to,
      userId: m.userId ?? null,
      template: m.template,
      subject: m.subject,
      text: m.text,
      html: m.html,
      headers: m.headers ?? {},
      messageId: `<${randomBytes(16).toString("hex")}@${MESSAGE_ID_DOMAIN}>`,
    })),
  );
  await tx.execute(sql`select pg_notify(${MAIL_CHANNEL}, '')`);
}
