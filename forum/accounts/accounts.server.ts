import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { uniqueViolation } from "#db/errors.ts";
import { forumAccounts } from "#db/schema/index.ts";
import { hashPassword, verifyPassword } from "#app/features/auth/password.server.ts";
import { AUTH_MESSAGES } from "#app/features/auth/schemas.ts";
import { enqueueMail } from "#app/features/mail/outbox.server.ts";
import { resetPasswordMail, signUpAttemptMail, verifyEmailMail } from "./mails.server.ts";
import { clearAttempts, giveBack, LIMITS, takeAttempt, tryAgainMessage } from "./rate-limit.server.ts";
import { createForumSession, deleteAccountSessions, type ForumAccountRow, type ForumSession, rotateForumSession } from "./session.server.ts";
import { consumeToken, issueToken, peekToken, voidTokens } from "./tokens.server.ts";

/**
 * Customer accounts: sign-up with a mailed link that proves the address, sign-in, a new link on
 * request, "forgot password". The rules are the app's (app/features/auth/README.md) with one
 * difference: an account whose address is not proven yet may sign in, and only commenting and
 * reacting wait for the proof. Expected failures are results, not exceptions.
 */

/** Where mails link to and whose forum they name. */
export type Site = { baseUrl: string; company: string };

export type RateLimited = { ok: false; reason: "rate-limited"; status: 429; message: string };

function rateLimited(minutes: number, what = "Too many requests for this address or from your network."): RateLimited {
  return { ok: false, reason: "rate-limited", status: 429, message: tryAgainMessage(what, minutes) };
}

// ---- sign-up -------------------------------------------------------------------------------

/** For the log and the tests only: the page says "check your mail" whatever it is. */
export type SignUpOutcome = "created" | "replaced" | "exists" | "ignored";

/**
 * A sign-up makes an account whose address is not proven yet and mails the link that proves it.
 * An address that already has a proven account mails its owner that someone tried, and nothing
 * changes; an unproven one is replaced (name, password, a new link, its sessions ended), since
 * nobody has shown the address is theirs; a deactivated one gets nothing.
 */
export async function signUp(
  db: Db,
  site: Site,
  input: { name: string; email: string; password: string },
  options: { clientAddress: string; now?: Date },
): Promise<{ ok: true; outcome: SignUpOutcome; accountId: number | null } | RateLimited> {
  const now = options.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  const limited = await takeAttempt(db, [LIMITS.signUpPerClient(options.clientAddress), LIMITS.mailPerAddress("signup", email)], now);
  if (limited.limited) return rateLimited(limited.retryAfterMinutes, "Too many sign-ups from your network or for this address.");
  // Hashed whatever the address turns out to be, so the answer takes as long for a taken one.
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      // Sign-ups for one address take turns: the row may not exist yet, so the lock is on the address.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`forum-sign-up:${email}`}))`);
      const [existing] = await tx.select().from(forumAccounts).where(eq(forumAccounts.email, email)).limit(1).for("update");
      if (!existing) {
        const [account] = await tx.insert(forumAccounts).values({ email, name, passwordHash, createdAt: now }).returning({ id: forumAccounts.id });
        await enqueueMail(tx, verifyEmailMail(site, { email, name }, await issueToken(tx, account!.id, "verify_email", now)));
        return { ok: true as const, outcome: "created" as const, accountId: account!.id };
      }
      if (existing.deactivatedAt) return { ok: true as const, outcome: "ignored" as const, accountId: existing.id };
      if (!existing.verifiedAt) {
        await tx.update(forumAccounts).set({ name, passwordHash }).where(eq(forumAccounts.id, existing.id));
        // Whoever made the account before holds no proof either: their sessions end, their link stops working.
        await deleteAccountSessions(tx, existing.id);
        await enqueueMail(tx, verifyEmailMail(site, { email, name }, await issueToken(tx, existing.id, "verify_email", now)));
        return { ok: true as const, outcome: "replaced" as const, accountId: existing.id };
      }
      await enqueueMail(tx, signUpAttemptMail(site, existing));
      return { ok: true as const, outcome: "exists" as const, accountId: existing.id };
    });
  } catch (error) {
    if (uniqueViolation(error) === "forum_accounts_email_key") return { ok: true, outcome: "ignored", accountId: null };
    throw error;
  }
}

// ---- sign-in -------------------------------------------------------------------------------

export type SignInResult =
  { ok: true; account: ForumAccountRow; token: string; session: ForumSession } | { ok: false; reason: "wrong-credentials" | "deactivated"; status: 400 | 403; message: string } | RateLimited;

// Verifying against this when there is no account makes "no such account" take as long as a
// wrong password, so response times do not tell which addresses have accounts.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= hashPassword("forum-timing-equaliser-not-a-password"));

export async function signIn(db: Db, input: { email: string; password: string }, client: { address: string; currentToken: string | null }, now = new Date()): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const accountLimit = LIMITS.signInPerAccount(email);
  const clientLimit = LIMITS.signInPerClient(client.address);
  // Counted before the slow check: a burst of parallel guesses gets no more checks than the limit.
  const limited = await takeAttempt(db, [accountLimit, clientLimit], now);
  if (limited.limited) return rateLimited(limited.retryAfterMinutes, "Too many sign-in attempts.");
  const [account] = await db.select().from(forumAccounts).where(eq(forumAccounts.email, email)).limit(1);
  const valid = await verifyPassword(account?.passwordHash ?? (await getDummyHash()), input.password);
  if (!account || !valid) return { ok: false, reason: "wrong-credentials", status: 400, message: AUTH_MESSAGES.wrongCredentials };
  // The right password was no failure: the account's count goes, the client's attempt comes back.
  await clearAttempts(db, accountLimit.key);
  await giveBack(db, clientLimit.key);
  // Said only after the right password, so it reveals no account.
  if (account.deactivatedAt) return { ok: false, reason: "deactivated", status: 403, message: "This account is deactivated." };
  const { token, session } = await db.transaction((tx) => rotateForumSession(tx, account.id, client.currentToken, now));
  return { ok: true, account, token, session };
}

// ---- proving the address -------------------------------------------------------------------

/** Whether a link to prove an address still works (the page with the button). */
export async function verifyLinkWorks(db: Db, token: string, now = new Date()): Promise<boolean> {
  return (await peekToken(db, token, "verify_email", now)) !== null;
}

/**
 * Opens the link: uses it up, marks the address proven and signs the person in with a rotated
 * session. A used, expired, replaced or unknown link, or a deactivated account, is "invalid".
 */
export async function confirmEmail(
  db: Db,
  token: string,
  currentToken: string | null,
  now = new Date(),
): Promise<{ ok: true; account: ForumAccountRow; token: string; session: ForumSession } | { ok: false; reason: "invalid" }> {
  return db.transaction(async (tx) => {
    const accountId = await consumeToken(tx, token, "verify_email", now);
    if (accountId === null) return { ok: false as const, reason: "invalid" as const };
    const [account] = await tx
      .update(forumAccounts)
      .set({ verifiedAt: sql`coalesce(${forumAccounts.verifiedAt}, ${now.toISOString()}::timestamptz)` })
      .where(and(eq(forumAccounts.id, accountId), isNull(forumAccounts.deactivatedAt)))
      .returning();
    if (!account) return { ok: false as const, reason: "invalid" as const };
    await voidTokens(tx, accountId, "verify_email");
    const session = await rotateForumSession(tx, accountId, currentToken, now);
    return { ok: true as const, account, ...session };
  });
}

/** A new link for the signed-in account whose address is not proven yet. */
export async function resendVerification(db: Db, site: Site, account: { id: number }, now = new Date()): Promise<{ ok: true; sent: boolean } | RateLimited> {
  const [row] = await db.select().from(forumAccounts).where(eq(forumAccounts.id, account.id)).limit(1);
  if (!row || row.verifiedAt || row.deactivatedAt) return { ok: true, sent: false };
  const limited = await takeAttempt(db, [LIMITS.mailPerAddress("resend", row.email)], now);
  if (limited.limited) return rateLimited(limited.retryAfterMinutes, "We have sent this address several links already.");
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`forum-sign-up:${row.email}`}))`);
    await enqueueMail(tx, verifyEmailMail(site, row, await issueToken(tx, row.id, "verify_email", now)));
  });
  return { ok: true, sent: true };
}

// ---- forgot password -----------------------------------------------------------------------

/** Mails a reset link when the address has an active account; the answer is the same either way. */
export async function requestPasswordReset(db: Db, site: Site, rawEmail: string, options: { clientAddress: string; now?: Date }): Promise<{ ok: true; sent: boolean } | RateLimited> {
  const now = options.now ?? new Date();
  const email = rawEmail.trim().toLowerCase();
  const limited = await takeAttempt(db, [LIMITS.mailPerAddress("reset", email), LIMITS.mailPerClient("reset", options.clientAddress)], now);
  if (limited.limited) return rateLimited(limited.retryAfterMinutes);
  const sent = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`forum-reset:${email}`}))`);
    const [account] = await tx.select().from(forumAccounts).where(eq(forumAccounts.email, email)).limit(1);
    if (!account || account.deactivatedAt) return false;
    await enqueueMail(tx, resetPasswordMail(site, account, await issueToken(tx, account.id, "reset_password", now)));
    return true;
  });
  return { ok: true, sent };
}

/** Whom a reset link is for while it still works (the page with the form); null otherwise. */
export async function resetLinkTarget(db: Db, token: string, now = new Date()): Promise<{ email: string } | null> {
  const accountId = await peekToken(db, token, "reset_password", now);
  if (accountId === null) return null;
  const [account] = await db.select({ email: forumAccounts.email, deactivatedAt: forumAccounts.deactivatedAt }).from(forumAccounts).where(eq(forumAccounts.id, accountId)).limit(1);
  return account && !account.deactivatedAt ? { email: account.email } : null;
}

export type ResetPasswordResult =
  { ok: true; account: ForumAccountRow; token: string; session: ForumSession } | { ok: false; reason: "invalid" } | { ok: false; reason: "input"; fieldErrors: { newPassword: string } };

/**
 * A new password from a mailed link: every session of the account ends, the address counts as
 * proven (the link reached it), and the browser that chose the password gets one new session.
 */
export async function resetPassword(db: Db, token: string, newPassword: string, now = new Date()): Promise<ResetPasswordResult> {
  // Checked before the link is used up, so a refused password leaves it working for the next try.
  const target = await resetLinkTarget(db, token, now);
  if (!target) return { ok: false, reason: "invalid" };
  if (newPassword.toLowerCase() === target.email) return { ok: false, reason: "input", fieldErrors: { newPassword: AUTH_MESSAGES.passwordIsEmail } };
  const passwordHash = await hashPassword(newPassword);
  const result = await db.transaction(async (tx) => {
    // The same link posted twice at once: only one of them uses it.
    const accountId = await consumeToken(tx, token, "reset_password", now);
    if (accountId === null) return { ok: false as const, reason: "invalid" as const };
    const [account] = await tx
      .update(forumAccounts)
      .set({ passwordHash, verifiedAt: sql`coalesce(${forumAccounts.verifiedAt}, ${now.toISOString()}::timestamptz)` })
      .where(and(eq(forumAccounts.id, accountId), isNull(forumAccounts.deactivatedAt)))
      .returning();
    if (!account) return { ok: false as const, reason: "invalid" as const };
    await voidTokens(tx, accountId, "reset_password");
    // Whoever knew the old password, or held a session, is out.
    await deleteAccountSessions(tx, accountId);
    const session = await createForumSession(tx, accountId, now);
    return { ok: true as const, account, ...session };
  });
  // The mailbox's owner chose this password: earlier failed guesses no longer count against them.
  if (result.ok) await clearAttempts(db, LIMITS.signInPerAccount(result.account.email).key);
  return result;
}
