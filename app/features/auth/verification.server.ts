import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { users } from "#db/schema/index.ts";
import { enqueueMail } from "#app/features/mail/outbox.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { mailRateLimited, type RateLimited } from "./accounts.server.ts";
import { verifyEmailMail } from "./mails.server.ts";
import { type MailLimits, takeMailAttempt } from "./rate-limit.server.ts";
import { rotateSession, type Session, type SessionPolicy, type SessionUser } from "./session.server.ts";
import { consumeToken, issueToken, voidTokens } from "./tokens.server.ts";

/**
 * Proving an address: the link a password sign-up mails, a new one on request, and opening it.
 * Until then the account is pending: it cannot sign in, is no one's @mention, cannot be added to a
 * space, has no profile and is not in people search.
 */

/**
 * Mails a new link if a pending account uses this address; otherwise does nothing. The answer is
 * the same either way, so it does not tell who has an account.
 */
export async function resendVerification(
  db: Db,
  rawEmail: string,
  options: { clientAddress?: string; limits?: MailLimits; now?: Date } = {},
): Promise<{ ok: true; sent: boolean } | RateLimited> {
  const email = rawEmail.trim().toLowerCase();
  const now = options.now ?? new Date();
  const limited = await takeMailAttempt(db, "resend", { email, clientAddress: options.clientAddress ?? "unknown" }, { ...(options.limits ? { limits: options.limits } : {}), now });
  if (limited.limited) return mailRateLimited(limited.retryAfterMinutes);
  const sent = await db.transaction(async (tx) => {
    // Takes turns with a sign-up replacing the same pending account.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sign-up:${email}`}))`);
    const [user] = await tx
      .select()
      .from(users)
      .where(and(eq(users.email, email), isNull(users.emailVerifiedAt), isNull(users.deactivatedAt)))
      .limit(1);
    if (!user) return false;
    await enqueueMail(tx, verifyEmailMail(user, await issueToken(tx, user.id, "verify_email", now)));
    return true;
  });
  return { ok: true, sent };
}

export type ConfirmEmailResult = { ok: true; user: SessionUser; token: string; session: Session } | { ok: false; reason: "invalid" } | { ok: false; reason: "deactivated" };

/**
 * Opens a link: uses it up, marks the address proven and signs the person in (a rotated session,
 * so whatever session the browser had ends). A used, expired, voided or unknown link is "invalid".
 */
export async function confirmEmail(
  db: Db,
  token: string,
  client: { currentToken?: string | null; userAgent?: string } = {},
  options: { policy?: SessionPolicy; now?: Date } = {},
): Promise<ConfirmEmailResult> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const userId = await consumeToken(tx, token, "verify_email", now);
    if (userId === null) return { ok: false as const, reason: "invalid" as const };
    const [found] = await tx.select().from(users).where(eq(users.id, userId)).limit(1).for("update");
    if (!found) return { ok: false as const, reason: "invalid" as const };
    if (found.deactivatedAt) return { ok: false as const, reason: "deactivated" as const };
    const [user] = await tx
      .update(users)
      .set({ emailVerifiedAt: found.emailVerifiedAt ?? now })
      .where(eq(users.id, userId))
      .returning();
    await voidTokens(tx, userId, "verify_email");
    // Proven, the person becomes someone others can find.
    await enqueueIndexing(tx, "person", [userId]);
    const { token: sessionToken, session } = await rotateSession(tx, userId, {
      currentToken: client.currentToken ?? null,
      userAgent: client.userAgent ?? "",
      ...(options.policy ? { policy: options.policy } : {}),
      now,
    });
    return { ok: true as const, user: user!, token: sessionToken, session };
  });
}

/** How long a pending account waits for its address to be proven before housekeeping deletes it. */
export const PENDING_ACCOUNT_DAYS = 7;

/**
 * Deletes pending accounts nobody proved within PENDING_ACCOUNT_DAYS of their last sign-up (their
 * links expired after a day). They could do nothing, so nothing of theirs is lost: their links go
 * with them (cascade) and their unsent mail forgets them. A later sign-up starts afresh.
 */
export async function prunePendingAccounts(db: Db, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - PENDING_ACCOUNT_DAYS * 86_400_000);
  const rows = await db
    .delete(users)
    .where(and(isNull(users.emailVerifiedAt), lt(users.updatedAt, before), lt(users.createdAt, before)))
    .returning({ id: users.id });
  return rows.length;
}
