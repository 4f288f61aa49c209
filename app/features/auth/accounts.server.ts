import { eq, sql } from "drizzle-orm";
import { uniqueViolation } from "#db/errors.ts";
import type { Db } from "#db/client.server.ts";
import { signInAttempts, users } from "#db/schema/index.ts";
import { env } from "#app/lib/env.server.ts";
import type { FieldErrors } from "#app/lib/forms.ts";
import { enqueueMail } from "#app/features/mail/outbox.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { signUpAttemptMail, verifyEmailMail } from "./mails.server.ts";
import { hashPassword, verifyPassword } from "./password.server.ts";
import {
  clearAccountAttempts,
  forgetAttempts,
  type MailLimits,
  passwordCheckKey,
  rateLimitMessage,
  type SignInLimits,
  takeMailAttempt,
  takePasswordCheckAttempt,
  takeSignInAttempt,
  tooManyRequestsMessage,
} from "./rate-limit.server.ts";
import { AUTH_MESSAGES as MESSAGES, type SignInInput, type SignUpInput, SSO_REAUTH_MINUTES } from "./schemas.ts";
import { createSession, invalidateUserSessions, rotateSession, type Session, type SessionPolicy, type SessionUser } from "./session.server.ts";
import { issueToken } from "./tokens.server.ts";

/**
 * Email-and-password accounts: sign-up, sign-in, password change. Each returns a typed result;
 * expected failures (wrong password, rate limit) are results, not exceptions.
 */

type SignedIn = { ok: true; user: SessionUser; token: string; session: Session };

/** A request refused by a rate limit (sign-up, reset, a new link): the page says when to try again. */
export type RateLimited = { ok: false; reason: "rate-limited"; status: 429; message: string; retryAfterMinutes: number };

export function mailRateLimited(retryAfterMinutes: number): RateLimited {
  return { ok: false, reason: "rate-limited", status: 429, retryAfterMinutes, message: tooManyRequestsMessage(retryAfterMinutes) };
}

// ---- sign-up -------------------------------------------------------------------------------

export function domainAllowed(email: string, allowedDomains: readonly string[]): boolean {
  if (allowedDomains.includes("*")) return true;
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  return allowedDomains.includes(domain);
}

export function domainMessage(allowedDomains: readonly string[]): string {
  const list = allowedDomains.length > 1 ? `${allowedDomains.slice(0, -1).join(", ")} or ${allowedDomains.at(-1)}` : allowedDomains[0];
  return `Sign-ups are limited to addresses at ${list}`;
}

/**
 * `outcome` is for the log and the tests only: the page answers "check your inbox" whatever it is,
 * so the form does not tell who has an account.
 */
export type SignUpOutcome = "created" | "replaced" | "exists" | "ignored";
export type SignUpResult = { ok: true; outcome: SignUpOutcome; userId: number | null } | { ok: false; fieldErrors: FieldErrors } | RateLimited;

/**
 * A password sign-up makes a pending account (no proven address, no session) and mails a link
 * that proves the address. An address that already has a proven account gets a mail telling its
 * owner someone tried; a pending account is replaced, since nobody has proven the address yet
 * (whoever squats it loses it to whoever can read its mail). Deactivated accounts keep their row,
 * and their address: signing up again changes nothing.
 */
export async function signUp(
  db: Db,
  input: Pick<SignUpInput, "name" | "email" | "password">,
  options: { allowedDomains?: readonly string[]; clientAddress?: string; limits?: MailLimits; now?: Date } = {},
): Promise<SignUpResult> {
  const allowedDomains = options.allowedDomains ?? env().ALLOWED_EMAIL_DOMAINS;
  const email = input.email.trim().toLowerCase();
  if (!domainAllowed(email, allowedDomains)) return { ok: false, fieldErrors: { email: domainMessage(allowedDomains) } };
  const now = options.now ?? new Date();
  const client = { email, clientAddress: options.clientAddress ?? "unknown" };
  const limited = await takeMailAttempt(db, "signup", client, { ...(options.limits ? { limits: options.limits } : {}), now });
  if (limited.limited) return mailRateLimited(limited.retryAfterMinutes);

  // Hashed whatever the address turns out to be, so the answer takes as long for a taken one.
  const passwordHash = await hashPassword(input.password);
  const name = input.name.trim();
  try {
    return await db.transaction(async (tx) => {
      // Sign-ups for one address take turns: the row may not exist yet, so there is nothing to lock but the address.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sign-up:${email}`}))`);
      const [existing] = await tx.select().from(users).where(eq(users.email, email)).limit(1).for("update");
      if (!existing) {
        const [user] = await tx.insert(users).values({ email, name, passwordHash, kind: "employee", role: "member", emailVerifiedAt: null }).returning();
        await enqueueMail(tx, verifyEmailMail(user!, await issueToken(tx, user!.id, "verify_email", now)));
        // The people index leaves pending accounts out; it is named anyway, as every new person is.
        await enqueueIndexing(tx, "person", [user!.id]);
        return { ok: true as const, outcome: "created" as const, userId: user!.id };
      }
      if (existing.deactivatedAt) return { ok: true as const, outcome: "ignored" as const, userId: existing.id };
      if (!existing.emailVerifiedAt) {
        const [user] = await tx.update(users).set({ name, passwordHash, updatedAt: now }).where(eq(users.id, existing.id)).returning();
        // issueToken voids the links mailed before: only the latest sign-up's link works.
        await enqueueMail(tx, verifyEmailMail(user!, await issueToken(tx, user!.id, "verify_email", now)));
        return { ok: true as const, outcome: "replaced" as const, userId: existing.id };
      }
      await enqueueMail(tx, signUpAttemptMail(existing));
      return { ok: true as const, outcome: "exists" as const, userId: existing.id };
    });
  } catch (error) {
    // An SSO first login for the same address committed in between: it is proven now, and taken.
    if (uniqueViolation(error) === "users_email_key") return { ok: true, outcome: "ignored", userId: null };
    throw error;
  }
}

// ---- sign-in -------------------------------------------------------------------------------

export type SignInFailure =
  | { ok: false; reason: "wrong-credentials"; message: string; status: 400 }
  | { ok: false; reason: "deactivated"; message: string; status: 403 }
  | { ok: false; reason: "pending"; message: string; status: 403; email: string }
  | { ok: false; reason: "rate-limited"; message: string; status: 429; retryAfterMinutes: number };
export type SignInResult = SignedIn | SignInFailure;

// Verifying against this when there is no usable hash makes "no such account" take as long as
// "wrong password", so response times do not tell which emails have accounts.
let dummyHash: Promise<string> | undefined;
function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword("commons-timing-equaliser-not-a-password");
  return dummyHash;
}

export function pendingMessage(email: string): string {
  return `Confirm your address first: we sent a link to ${email}.`;
}

export async function signIn(
  db: Db,
  input: SignInInput,
  client: { address: string; currentToken?: string | null; userAgent?: string },
  options: { limits?: SignInLimits; policy?: SessionPolicy; now?: Date } = {},
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  // Counted before the slow check, atomically: a burst of parallel guesses gets no more checks than the limit.
  const attempt = await takeSignInAttempt(db, { email, clientAddress: client.address }, options);
  if (attempt.limited) {
    return { ok: false, reason: "rate-limited", status: 429, retryAfterMinutes: attempt.retryAfterMinutes, message: rateLimitMessage(attempt.retryAfterMinutes) };
  }

  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  const valid = await verifyPassword(user?.passwordHash ?? (await getDummyHash()), input.password);
  // A failure keeps its counted attempt.
  if (!user || !user.passwordHash || !valid) return { ok: false, reason: "wrong-credentials", status: 400, message: MESSAGES.wrongCredentials };
  // The right password was no failure. What follows is only told after it, so it reveals no account.
  await forgetAttempts(db, attempt.ids);
  if (user.deactivatedAt) return { ok: false, reason: "deactivated", status: 403, message: MESSAGES.deactivated };
  if (!user.emailVerifiedAt) return { ok: false, reason: "pending", status: 403, message: pendingMessage(email), email };

  await clearAccountAttempts(db, email);
  const { token, session } = await db.transaction((tx) =>
    rotateSession(tx, user.id, {
      currentToken: client.currentToken ?? null,
      userAgent: client.userAgent ?? "",
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.now ? { now: options.now } : {}),
    }),
  );
  return { ok: true, user, token, session };
}

// ---- password change -----------------------------------------------------------------------

/** Whether this session signed in through SSO recently enough to set a first password. */
export function recentSsoSignIn(session: Pick<Session, "ssoAuthenticatedAt"> | null | undefined, now = new Date()): boolean {
  const at = session?.ssoAuthenticatedAt;
  return Boolean(at && now.getTime() - at.getTime() <= SSO_REAUTH_MINUTES * 60_000);
}

export function ssoReauthMessage(ssoLabel: string): string {
  return `To set a password, sign in again with ${ssoLabel} first: a password can be added only within ${SSO_REAUTH_MINUTES} minutes of signing in with it.`;
}

export type ChangePasswordResult = { ok: true; token: string; session: Session } | { ok: false; status: 400 | 403 | 429; fieldErrors: FieldErrors; formError?: string };

/**
 * Sets a new password, then signs the user out everywhere, this browser included, and hands back
 * one fresh session for this browser. Changing a password needs the current one, checked under
 * the sign-in's rate limit; an account that only used SSO so far may set a first password only
 * from a session that signed in through SSO within SSO_REAUTH_MINUTES (a stolen or forgotten-open
 * session must not be enough to add a way in).
 */
export async function changePassword(
  db: Db,
  userId: number,
  input: { currentPassword?: string | undefined; newPassword: string },
  options: {
    userAgent?: string;
    policy?: SessionPolicy;
    session?: Pick<Session, "ssoAuthenticatedAt"> | null;
    clientAddress?: string;
    ssoLabel?: string;
    limits?: SignInLimits;
    now?: Date;
  } = {},
): Promise<ChangePasswordResult> {
  const now = options.now ?? new Date();
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || user.deactivatedAt) throw new Error(`changePassword: no active user ${userId}`);
  if (input.newPassword.toLowerCase() === user.email) {
    return { ok: false, status: 400, fieldErrors: { newPassword: MESSAGES.passwordIsEmail } };
  }
  if (user.passwordHash) {
    if (!input.currentPassword) return { ok: false, status: 400, fieldErrors: { currentPassword: MESSAGES.currentPasswordRequired } };
    // Counted before the check, like a sign-in: the current password is a password guess too.
    const attempt = await takePasswordCheckAttempt(db, { userId, clientAddress: options.clientAddress ?? null }, { ...(options.limits ? { limits: options.limits } : {}), now });
    if (attempt.limited) return { ok: false, status: 429, fieldErrors: { currentPassword: rateLimitMessage(attempt.retryAfterMinutes) } };
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      return { ok: false, status: 400, fieldErrors: { currentPassword: MESSAGES.wrongCurrentPassword } };
    }
    await forgetAttempts(db, attempt.ids);
    await db.delete(signInAttempts).where(eq(signInAttempts.key, passwordCheckKey(userId)));
  } else if (!recentSsoSignIn(options.session, now)) {
    return { ok: false, status: 403, fieldErrors: {}, formError: ssoReauthMessage(options.ssoLabel ?? "SSO") };
  }
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
    await invalidateUserSessions(tx, userId);
    const { token, session } = await createSession(tx, userId, {
      userAgent: options.userAgent ?? "",
      ...(options.policy ? { policy: options.policy } : {}),
    });
    return { ok: true as const, token, session };
  });
}
