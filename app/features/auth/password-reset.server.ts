import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { users } from "#db/schema/index.ts";
import type { FieldErrors } from "#app/lib/forms.ts";
import { enqueueMail } from "#app/features/mail/outbox.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { mailRateLimited, type RateLimited } from "./accounts.server.ts";
import { resetPasswordMail, ssoOnlyResetMail } from "./mails.server.ts";
import { hashPassword } from "./password.server.ts";
import { clearAccountAttempts, type MailLimits, takeMailAttempt } from "./rate-limit.server.ts";
import { AUTH_MESSAGES } from "./schemas.ts";
import { createSession, invalidateUserSessions, type Session, type SessionPolicy } from "./session.server.ts";
import { ssoSettings } from "./sso.server.ts";
import { consumeToken, issueToken, peekToken, voidTokens } from "./tokens.server.ts";

/**
 * "Forgot password": a single-use link by mail (an hour), then a new password, every session
 * revoked and one fresh session for the browser that set it. The request answers the same whether
 * or not the address has an account.
 */

/**
 * Mails what the address's owner needs: a reset link, or for an account that signs in only through
 * the company's SSO (while SSO is configured) how to sign in and add a password there. Unknown and
 * deactivated addresses get nothing. A pending account gets a reset link too: using it proves the
 * address, as the sign-up link would.
 */
export async function requestPasswordReset(
  db: Db,
  rawEmail: string,
  options: {
    clientAddress?: string;
    limits?: MailLimits;
    now?: Date;
    ssoLabel?: string | null;
  } = {},
): Promise<{ ok: true; sent: "reset" | "sso" | null } | RateLimited> {
  const email = rawEmail.trim().toLowerCase();
  const now = options.now ?? new Date();
  const limited = await takeMailAttempt(db, "reset", { email, clientAddress: options.clientAddress ?? "unknown" }, { ...(options.limits ? { limits: options.limits } : {}), now });
  if (limited.limited) return mailRateLimited(limited.retryAfterMinutes);
  const ssoLabel = options.ssoLabel === undefined ? (ssoSettings()?.label ?? null) : options.ssoLabel;
  const sent = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`reset:${email}`}))`);
    const [user] = await tx.select().from(users).where(eq(users.email, email)).limit(1);
    if (!user || user.deactivatedAt) return null;
    if (!user.passwordHash && ssoLabel) {
      await enqueueMail(tx, ssoOnlyResetMail(user, ssoLabel));
      return "sso" as const;
    }
    await enqueueMail(tx, resetPasswordMail(user, await issueToken(tx, user.id, "reset_password", now)));
    return "reset" as const;
  });
  return { ok: true, sent };
}

/** Whom a reset link is for, while it still works (the page with the form); null otherwise. */
export async function resetLinkTarget(db: Db, token: string, now = new Date()): Promise<{ email: string } | null> {
  const userId = await peekToken(db, token, "reset_password", now);
  if (userId === null) return null;
  const [user] = await db.select({ email: users.email, deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, userId)).limit(1);
  return user && !user.deactivatedAt ? { email: user.email } : null;
}

export type ResetPasswordResult =
  | { ok: true; userId: number; token: string; session: Session }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "deactivated" }
  | { ok: false; reason: "input"; fieldErrors: FieldErrors };

export async function resetPassword(
  db: Db,
  token: string,
  newPassword: string,
  client: { userAgent?: string } = {},
  options: { policy?: SessionPolicy; now?: Date } = {},
): Promise<ResetPasswordResult> {
  const now = options.now ?? new Date();
  // Checked before the link is used up, so a refused password leaves it working for the next try.
  const userId = await peekToken(db, token, "reset_password", now);
  if (userId === null) return { ok: false, reason: "invalid" };
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) return { ok: false, reason: "invalid" };
  if (user.deactivatedAt) return { ok: false, reason: "deactivated" };
  if (newPassword.toLowerCase() === user.email)
    return {
      ok: false,
      reason: "input",
      fieldErrors: { newPassword: AUTH_MESSAGES.passwordIsEmail },
    };
  const passwordHash = await hashPassword(newPassword);

  const result = await db.transaction(async (tx) => {
    // The same link posted twice at once: only one of them uses it.
    if ((await consumeToken(tx, token, "reset_password", now)) !== userId) return { ok: false as const, reason: "invalid" as const };
    // Deactivated since the page was opened: the link is spent, the password stays.
    const [current] = await tx.select({ deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, userId)).for("update");
    if (!current || current.deactivatedAt) return { ok: false as const, reason: "deactivated" as const };
    await tx
      .update(users)
      .set({ passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now })
      .where(eq(users.id, userId));
    await voidTokens(tx, userId, "reset_password");
    // Whoever knew the old password (or held a session) is out.
    await invalidateUserSessions(tx, userId);
    if (!user.emailVerifiedAt) await enqueueIndexing(tx, "person", [userId]);
    const created = await createSession(tx, userId, {
      userAgent: client.userAgent ?? "",
      ...(options.policy ? { policy: options.policy } : {}),
      now,
    });
    return { ok: true as const, userId, ...created };
  });
  // The mailbox's owner set this password: earlier failed guesses no longer count against them.
  if (result.ok) await clearAccountAttempts(db, user.email);
  return result;
}
