import { eq } from "drizzle-orm";
import { uniqueViolation } from "#db/errors.ts";
import type { Db } from "#db/client.server.ts";
import { users } from "#db/schema/index.ts";
import { env } from "#app/lib/env.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import type { FieldErrors } from "#app/lib/forms.ts";
import { hashPassword, verifyPassword } from "./password.server.ts";
import {
  checkSignInLimit,
  clearAccountAttempts,
  rateLimitMessage,
  recordFailedSignIn,
  type SignInLimits,
} from "./rate-limit.server.ts";
import { AUTH_MESSAGES as MESSAGES, type SignInInput, type SignUpInput } from "./schemas.ts";
import { createSession, invalidateUserSessions, rotateSession, type Session, type SessionPolicy, type SessionUser } from "./session.server.ts";

/**
 * Email-and-password accounts: sign-up, sign-in, password change. Each returns a typed result;
 * expected failures (taken email, wrong password, rate limit) are results, not exceptions.
 */


type SignedIn = { ok: true; user: SessionUser; token: string; session: Session };

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

export type SignUpResult = SignedIn | { ok: false; fieldErrors: FieldErrors };

/** Creates an employee account and its first session, in one transaction. */
export async function signUp(
  db: Db,
  input: Pick<SignUpInput, "name" | "email" | "password">,
  options: { allowedDomains?: readonly string[]; userAgent?: string; currentToken?: string | null; policy?: SessionPolicy } = {},
): Promise<SignUpResult> {
  const allowedDomains = options.allowedDomains ?? env().ALLOWED_EMAIL_DOMAINS;
  const email = input.email.trim().toLowerCase();
  if (!domainAllowed(email, allowedDomains)) return { ok: false, fieldErrors: { email: domainMessage(allowedDomains) } };
  // Deactivated accounts keep their row, so their address stays taken: no way back in by signing up again.
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (existing) return { ok: false, fieldErrors: { email: MESSAGES.emailTaken } };

  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const [user] = await tx.insert(users).values({ email, name: input.name.trim(), passwordHash, kind: "employee", role: "member" }).returning();
      await enqueueIndexing(tx, "person", [user!.id]);
      const { token, session } = await rotateSession(tx, user!.id, {
        currentToken: options.currentToken ?? null,
        userAgent: options.userAgent ?? "",
        ...(options.policy ? { policy: options.policy } : {}),
      });
      return { ok: true as const, user: user!, token, session };
    });
  } catch (error) {
    // Two sign-ups for one address at the same moment: the unique index decides.
    if (uniqueViolation(error) === "users_email_key") return { ok: false, fieldErrors: { email: MESSAGES.emailTaken } };
    throw error;
  }
}

// ---- sign-in -------------------------------------------------------------------------------

export type SignInFailure =
  | { ok: false; reason: "wrong-credentials"; message: string; status: 400 }
  | { ok: false; reason: "deactivated"; message: string; status: 403 }
  | { ok: false; reason: "rate-limited"; message: string; status: 429; retryAfterMinutes: number };
export type SignInResult = SignedIn | SignInFailure;

// Verifying against this when there is no usable hash makes "no such account" take as long as
// "wrong password", so response times do not tell which emails have accounts.
let dummyHash: Promise<string> | undefined;
function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword("commons-timing-equaliser-not-a-password");
  return dummyHash;
}

export async function signIn(
  db: Db,
  input: SignInInput,
  client: { address: string; currentToken?: string | null; userAgent?: string },
  options: { limits?: SignInLimits; policy?: SessionPolicy; now?: Date } = {},
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const keys = { email, clientAddress: client.address };
  const limited = await checkSignInLimit(db, keys, options);
  if (limited.limited) {
    return { ok: false, reason: "rate-limited", status: 429, retryAfterMinutes: limited.retryAfterMinutes, message: rateLimitMessage(limited.retryAfterMinutes) };
  }

  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  const valid = await verifyPassword(user?.passwordHash ?? (await getDummyHash()), input.password);
  if (!user || !user.passwordHash || !valid) {
    await recordFailedSignIn(db, keys, options);
    return { ok: false, reason: "wrong-credentials", status: 400, message: MESSAGES.wrongCredentials };
  }
  // Only told after the right password, so the message does not reveal which accounts exist.
  if (user.deactivatedAt) return { ok: false, reason: "deactivated", status: 403, message: MESSAGES.deactivated };

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

export type ChangePasswordResult = { ok: true; token: string; session: Session } | { ok: false; fieldErrors: FieldErrors };

/**
 * Sets a new password (or a first one, for accounts that only used SSO so far), then signs the
 * user out everywhere, this browser included, and hands back one fresh session for this browser.
 */
export async function changePassword(
  db: Db,
  userId: number,
  input: { currentPassword?: string | undefined; newPassword: string },
  options: { userAgent?: string; policy?: SessionPolicy } = {},
): Promise<ChangePasswordResult> {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || user.deactivatedAt) throw new Error(`changePassword: no active user ${userId}`);
  if (input.newPassword.toLowerCase() === user.email) {
    return { ok: false, fieldErrors: { newPassword: MESSAGES.passwordIsEmail } };
  }
  if (user.passwordHash) {
    if (!input.currentPassword) return { ok: false, fieldErrors: { currentPassword: MESSAGES.currentPasswordRequired } };
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      return { ok: false, fieldErrors: { currentPassword: MESSAGES.wrongCurrentPassword } };
    }
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
