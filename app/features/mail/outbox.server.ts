import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { mailOutbox } from "#db/schema/index.ts";

/** A rendered mail, ready to be written to the mail outbox. */
export interface MailMessage {
  to: string;
  /** The account it is for, when there is one. */
  userId?: number | null;
  /** What kind of mail ("verify-email", "reset-password", ...). */
  template: string;
  subject: string;
  text: string;
  html: string;
}

/** The LISTEN/NOTIFY channel that wakes the mailer; notifications are delivered at commit. */
export const MAIL_CHANNEL = "commons_mail";

/** The domain of generated Message-IDs. */
const MESSAGE_ID_DOMAIN = "commons.mail";

/**
 * Writes mails to the outbox inside the caller's transaction: if the write rolls back, no mail
 * goes out. The mailer sends them after commit. Each gets its Message-ID now, so a resend after a
 * crash between sending and marking is recognisably the same message.
 */
export async function enqueueMail(tx: Tx | Db, ...messages: MailMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await tx.insert(mailOutbox).values(
    messages.map((m) => ({
      to: m.to,
      userId: m.userId ?? null,
      template: m.template,
      subject: m.subject,
      text: m.text,
      html: m.html,
      messageId: `<${randomBytes(16).toString("hex")}@${MESSAGE_ID_DOMAIN}>`,
    })),
  );
  await tx.execute(sql`select pg_notify(${MAIL_CHANNEL}, '')`);
}
