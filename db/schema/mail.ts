import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns.ts";
import { outboxStatusEnum } from "./search.ts";
import { users } from "./users.ts";

/**
 * The mail outbox: a mail is rendered and written here inside the transaction that caused it, and
 * the mailer (app/features/mail/mailer.server.ts) sends it afterwards, retrying with backoff and
 * ending in a dead letter. A slow or down SMTP server never fails or slows a request.
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: id(),
    /** The address at the time of writing (a later change of address does not redirect it). */
    to: text().notNull(),
    /** Whom it is for, when it is for an account (null for mail about an address with no account). */
    userId: integer().references(() => users.id, { onDelete: "set null" }),
    /** What kind of mail ("verify-email", "reset-password", ...), for the health page and tests. */
    template: text().notNull(),
    subject: text().notNull(),
    text: text().notNull(),
    html: text().notNull(),
    /** Issue 21: extra headers (List-Unsubscribe, List-Unsubscribe-Post, List-Id), sent as they are. */
    headers: jsonb().$type<Record<string, string>>().notNull().default({}),
    /** The Message-ID header, fixed when written, so a resend after a crash is the same message. */
    messageId: text().notNull(),
    status: outboxStatusEnum().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    /** Not before this time: a lease while being sent, backoff after a failure. */
    availableAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastError: text(),
    createdAt: createdAt(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("mail_outbox_pending_idx")
      .on(t.availableAt, t.id)
      .where(sql`${t.status} = 'pending'`),
    index("mail_outbox_dead_idx")
      .on(t.id)
      .where(sql`${t.status} = 'dead'`),
    uniqueIndex("mail_outbox_message_id_key").on(t.messageId),
  ],
);
