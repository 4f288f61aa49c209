import { and, desc, eq, inArray, sql } from "drizzle-orm";
import nodemailer from "nodemailer";
import type { Db } from "#db/client.server.ts";
import { startListenWorker } from "#db/listen-worker.ts";
import { type QueueHealth, queueHealth, retryDeadRows } from "#db/outbox-queue.ts";
import { mailOutbox } from "#db/schema/index.ts";
import { MAIL_CHANNEL } from "./outbox.server.ts";

/**
 * The mailer: takes due rows from the mail outbox, sends each through SMTP with its stored
 * Message-ID, and marks it sent as soon as the server has accepted it. It never runs inside a
 * request, so a slow or down SMTP server delays mail and nothing else.
 *
 * Claiming is one short transaction that pushes the rows' `available_at` a lease into the future
 * (`FOR UPDATE SKIP LOCKED`): several instances share the work, and the rows of an instance that
 * crashed come back when the lease runs out. The only window for a duplicate is a crash between
 * the server's "250 accepted" and the update that follows; the resend then carries the same
 * Message-ID, which mail clients use to show it once.
 */

/** What the mailer needs of a nodemailer transport (tests pass a real one, to a real server). */
export interface MailTransport {
  sendMail: (mail: { from: string; to: string; subject: string; text: string; html: string; messageId: string; headers?: Record<string, string> }) => Promise<unknown>;
  close: () => void;
}

export interface MailerOptions {
  /** The From header (MAIL_FROM). */
  from: string;
  batchSize?: number;
  maxAttempts?: number;
  /** How long a claim holds its rows. A send is only started in the first half of it. */
  leaseMs?: number;
  /** The first retry's delay; each later one doubles, up to 30 minutes. */
  backoffBaseMs?: number;
}

export interface MailerResult {
  claimed: number;
  sent: number;
  failed: number;
  dead: number;
}

/**
 * Twelve attempts: the delays after the first nine failures add up to 42.6 minutes (5 s doubling
 * to 21 min), so ten attempts made a mail dead after 43 minutes of SMTP outage, short of the hour
 * an outage may last (issue 23). The tenth and eleventh failures wait the 30-minute cap each, so
 * the twelfth attempt comes 102.6 minutes after the first: an outage of an hour and a half loses
 * nothing (tests/integration/fault-mail-outage.test.ts).
 */
const DEFAULTS = { batchSize: 20, maxAttempts: 12, leaseMs: 120_000, backoffBaseMs: 5_000 };

/** 5 s, 10 s, 20 s … capped at 30 minutes: twelve attempts span 102.6 minutes of SMTP outage. */
export function mailBackoffMs(attempts: number, baseMs = DEFAULTS.backoffBaseMs): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
}

/**
 * A nodemailer SMTP transport for SMTP_URL (smtp:// upgrades with STARTTLS when offered, smtps://
 * is TLS from the start; user:pass in the URL authenticates). Timeouts are short so that a server
 * that accepts connections and then stalls cannot hold a claim past its lease.
 *
 * One pooled connection, reused from mail to mail (nodemailer opens a new one after 100 messages,
 * or when the server closed it): a connection per mail (TCP, greeting, EHLO, STARTTLS, QUIT) took
 * 117 ms a mail against MailDev and a pooled one 12 ms. In the soak, the first badge run after a
 * generated company queued 6,650 mails, which a connection per mail sent at about 2 a second.
 * The mailer sends one mail at a time, so one connection is all it uses.
 */
export function createMailTransport(smtpUrl: string): MailTransport {
  return nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 1,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

interface Claimed {
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
  attempts: number;
}

async function claim(db: Db, batchSize: number, leaseMs: number): Promise<Claimed[]> {
  const rows = await db.execute<{ id: number; to: string; subject: string; text: string; html: string; message_id: string; headers: Record<string, string> | null; attempts: number }>(sql`
    update ${mailOutbox} set available_at = now() + make_interval(secs => ${leaseMs / 1000})
    where id in (
      select id from ${mailOutbox}
      where status = 'pending' and available_at <= now()
      order by available_at, id
      limit ${batchSize}
      for update skip locked
    )
    returning id, "to", subject, text, html, message_id, headers, attempts`);
  return rows
    .map((r) => ({ id: Number(r.id), to: r.to, subject: r.subject, text: r.text, html: r.html, messageId: r.message_id, headers: r.headers ?? {}, attempts: Number(r.attempts) }))
    .sort((a, b) => a.id - b.id);
}

/** The server could not be reached or talked to (as opposed to refusing this one message). */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && ["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ETLS", "EAUTH", "EPROTOCOL"].includes(code);
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return (typeof code === "string" ? `${code}: ` : "") + error.message;
  }
  return String(error);
}

/**
 * One batch: claim, send each, mark each. `shouldStop` is checked before every send, so stopping
 * waits for at most the mail being sent; the batch's unsent rows are handed back at once.
 */
export async function runMailerOnce(db: Db, transport: MailTransport, options: MailerOptions, shouldStop: () => boolean = () => false): Promise<MailerResult> {
  const o = { ...DEFAULTS, ...options };
  const claimedAt = Date.now();
  const rows = await claim(db, o.batchSize, o.leaseMs);
  const result: MailerResult = { claimed: rows.length, sent: 0, failed: 0, dead: 0 };

  const fail = async (row: Claimed, error: string) => {
    const attempts = row.attempts + 1;
    const dead = attempts >= o.maxAttempts;
    await db
      .update(mailOutbox)
      .set({
        attempts,
        status: dead ? "dead" : "pending",
        availableAt: sql`now() + make_interval(secs => ${mailBackoffMs(attempts, o.backoffBaseMs) / 1000})`,
        lastError: error.slice(0, 2000),
      })
      .where(and(eq(mailOutbox.id, row.id), eq(mailOutbox.status, "pending")));
    if (dead) result.dead += 1;
    else result.failed += 1;
  };

  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (shouldStop() || Date.now() - claimedAt > o.leaseMs / 2) {
      // Not started: back to the queue now rather than after the lease.
      await db
        .update(mailOutbox)
        .set({ availableAt: sql`now()` })
        .where(
          and(
            inArray(
              mailOutbox.id,
              rows.slice(i).map((r) => r.id),
            ),
            eq(mailOutbox.status, "pending"),
          ),
        );
      break;
    }
    try {
      await transport.sendMail({ from: o.from, to: row.to, subject: row.subject, text: row.text, html: row.html, messageId: row.messageId, headers: row.headers });
    } catch (error) {
      if (isConnectionError(error)) {
        // The server is down or unreachable: the rest of the batch would fail the same way, slowly.
        for (const rest of rows.slice(i)) await fail(rest, errorText(error));
        break;
      }
      await fail(row, errorText(error));
      continue;
    }
    await db
      .update(mailOutbox)
      .set({ status: "done", sentAt: sql`now()`, lastError: null })
      .where(eq(mailOutbox.id, row.id));
    result.sent += 1;
  }
  return result;
}

/** Runs batches until none is due, a batch fails, or `shouldStop` says so. */
export async function runMailerUntilIdle(db: Db, transport: MailTransport, options: MailerOptions, shouldStop: () => boolean = () => false): Promise<MailerResult> {
  const total: MailerResult = { claimed: 0, sent: 0, failed: 0, dead: 0 };
  while (!shouldStop()) {
    const r = await runMailerOnce(db, transport, options, shouldStop);
    total.claimed += r.claimed;
    total.sent += r.sent;
    total.failed += r.failed;
    total.dead += r.dead;
    if (r.claimed === 0 || r.failed + r.dead > 0) break;
  }
  return total;
}

export interface MailerLog {
  info: (obj: object, msg: string) => void;
  warn: (obj: object, msg: string) => void;
}

/**
 * Starts the mailer in this process: wakes on NOTIFY (a dedicated connection LISTENs on
 * MAIL_CHANNEL, notified when an enqueuing transaction commits) and polls every `pollMs` for
 * retries that came due and notifications it missed. Returns stop(), which lets the mail being
 * sent finish and hands the rest of its batch back.
 */
export function startMailer(db: Db, options: MailerOptions & { transport: MailTransport; databaseUrl: string; log: MailerLog; pollMs?: number }): () => Promise<void> {
  const stop = startListenWorker({
    databaseUrl: options.databaseUrl,
    channel: MAIL_CHANNEL,
    pollMs: options.pollMs ?? 5000,
    name: "mailer",
    log: options.log,
    work: async (stopped) => {
      const r = await runMailerUntilIdle(db, options.transport, options, stopped);
      if (r.failed + r.dead > 0) options.log.warn({ sent: r.sent, failed: r.failed, dead: r.dead }, "mailer: sending failed, will retry");
    },
  });
  return async () => {
    await stop();
    options.transport.close();
  };
}

/** Puts dead mail (all, or the given rows) back in the queue with a fresh count of attempts. */
export async function retryDeadMail(db: Db, ids?: number[]): Promise<number> {
  const moved = await retryDeadRows(db, mailOutbox, ids);
  if (moved > 0) await db.execute(sql`select pg_notify(${MAIL_CHANNEL}, '')`);
  return moved;
}

export type MailHealth = QueueHealth;

export function mailHealth(db: Db): Promise<MailHealth> {
  return queueHealth(db, mailOutbox);
}

export interface DeadMail {
  id: number;
  to: string;
  template: string;
  subject: string;
  attempts: number;
  lastError: string | null;
  /** When it was written (the request that caused it). */
  createdAt: Date;
}

export const DEAD_MAIL_PAGE_SIZE = 20;

/** Dead letters, newest first, a page at a time (for the admin page). */
export async function deadMailPage(db: Db, page: number): Promise<{ rows: DeadMail[]; total: number; offset: number; pageSize: number }> {
  const offset = (Math.max(1, page) - 1) * DEAD_MAIL_PAGE_SIZE;
  const [rows, total] = await Promise.all([
    db
      .select({
        id: mailOutbox.id,
        to: mailOutbox.to,
        template: mailOutbox.template,
        subject: mailOutbox.subject,
        attempts: mailOutbox.attempts,
        lastError: mailOutbox.lastError,
        createdAt: mailOutbox.createdAt,
      })
      .from(mailOutbox)
      .where(eq(mailOutbox.status, "dead"))
      .orderBy(desc(mailOutbox.id))
      .limit(DEAD_MAIL_PAGE_SIZE)
      .offset(offset),
    db.$count(mailOutbox, eq(mailOutbox.status, "dead")),
  ]);
  return { rows, total, offset, pageSize: DEAD_MAIL_PAGE_SIZE };
}

/**
 * Sent mail is history, and it holds links with live tokens until they expire: housekeeping
 * deletes it a day after sending. Dead letters stay a month for the admin to see and retry.
 */
export async function pruneMail(db: Db, sentOlderThanHours = 24, deadOlderThanDays = 30): Promise<number> {
  const rows = await db.execute<{ id: number }>(sql`
    delete from ${mailOutbox}
    where (status = 'done' and sent_at < now() - make_interval(hours => ${sentOlderThanHours}))
       or (status = 'dead' and created_at < now() - make_interval(days => ${deadOlderThanDays}))
    returning id`);
  return rows.length;
}
