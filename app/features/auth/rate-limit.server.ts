import { and, asc, count, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { signInAttempts } from "#db/schema/index.ts";
import { env } from "#app/lib/env.server.ts";

/**
 * Attempts are counted per key (an account, a client address, an address mails go to) over a
 * sliding window, in Postgres so every app instance sees the same counts. An attempt is counted
 * before the slow part runs (the argon2 check, the mail), in one transaction holding an advisory
 * lock per key, so a burst of parallel requests cannot all read "under the limit" before any of
 * them writes. A refused (rate-limited) attempt is not recorded, so the lock lifts on time even
 * while someone keeps trying.
 */

export interface SignInLimits {
  perAccount: number;
  perClient: number;
  windowMinutes: number;
}

export function signInLimits(): SignInLimits {
  const e = env();
  return { perAccount: e.SIGNIN_LIMIT_PER_ACCOUNT, perClient: e.SIGNIN_LIMIT_PER_CLIENT, windowMinutes: e.SIGNIN_LIMIT_WINDOW_MINUTES };
}

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const clientKey = (address: string) => `client:${address}`;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export type RateLimitCheck = { limited: false } | { limited: true; retryAfterMinutes: number; key: string };

/** Whether either key has used up its failures in the window; if so, when the next attempt is allowed. */
export function checkSignInLimit(db: Db | Tx, keys: { email: string; clientAddress: string }, options: { limits?: SignInLimits; now?: Date } = {}): Promise<RateLimitCheck> {
  const limits = options.limits ?? signInLimits();
  const checks = [
    { key: accountKey(keys.email), limit: limits.perAccount },
    { key: clientKey(keys.clientAddress), limit: limits.perClient },
  ];
  return checkLimits(db, checks, { windowMinutes: limits.windowMinutes, now: options.now ?? new Date() });
}

export type Limit = { key: string; limit: number };

/** Whether any key has used up its attempts in the window; if so, when the next one is allowed. */
export async function checkLimits(db: Db | Tx, checks: readonly Limit[], options: { windowMinutes: number; now: Date }): Promise<RateLimitCheck> {
  const { windowMinutes, now } = options;
  const since = new Date(now.getTime() - windowMinutes * MINUTE);
  const counts = await db
    .select({ key: signInAttempts.key, n: count() })
    .from(signInAttempts)
    .where(
      and(
        inArray(
          signInAttempts.key,
          checks.map((c) => c.key),
        ),
        gte(signInAttempts.attemptedAt, since),
      ),
    )
    .groupBy(signInAttempts.key);

  let retryAt = 0;
  let limitedKey: string | null = null;
  for (const { key, limit } of checks) {
    const n = counts.find((c) => c.key === key)?.n ?? 0;
    if (n < limit) continue;
    // The limit lifts when enough attempts have left the window to bring the count below it:
    // with exactly `limit` attempts that is when the oldest one leaves.
    const [pivot] = await db
      .select({ at: signInAttempts.attemptedAt })
      .from(signInAttempts)
      .where(and(eq(signInAttempts.key, key), gte(signInAttempts.attemptedAt, since)))
      .orderBy(asc(signInAttempts.attemptedAt))
      .offset(n - limit)
      .limit(1);
    const at = (pivot?.at.getTime() ?? now.getTime()) + windowMinutes * MINUTE;
    if (at > retryAt) {
      retryAt = at;
      limitedKey = key;
    }
  }
  if (!limitedKey) return { limited: false };
  return { limited: true, key: limitedKey, retryAfterMinutes: Math.max(1, Math.ceil((retryAt - now.getTime()) / MINUTE)) };
}

export type AttemptTaken = { limited: false; ids: number[] } | { limited: true; retryAfterMinutes: number; key: string };

/**
 * Counts one attempt against every key, atomically: under each key's advisory lock (taken in a
 * fixed order, so two callers never wait on each other in a circle) the window is counted; at
 * the limit nothing is written and the wait is returned, otherwise one row per key is inserted.
 * The ids let a caller take the attempt back when it turns out not to count (a success).
 */
export async function takeAttempt(db: Db, checks: readonly Limit[], options: { windowMinutes: number; now?: Date }): Promise<AttemptTaken> {
  const now = options.now ?? new Date();
  const sorted = [...checks].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const taken = await db.transaction(async (tx) => {
    for (const { key } of sorted) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
    const limited = await checkLimits(tx, sorted, { windowMinutes: options.windowMinutes, now });
    if (limited.limited) return limited;
    const rows = await tx
      .insert(signInAttempts)
      .values(sorted.map(({ key }) => ({ key, attemptedAt: now })))
      .returning({ id: signInAttempts.id });
    return { limited: false as const, ids: rows.map((r) => r.id) };
  });
  // Now and then, forget attempts that no window can still count.
  if (!taken.limited && Math.random() < 0.05) await pruneSignInAttempts(db, new Date(now.getTime() - Math.max(DAY, options.windowMinutes * MINUTE)));
  return taken;
}

/** Takes back attempts `takeAttempt` counted (the attempt succeeded, so it was no failure). */
export async function forgetAttempts(db: Db | Tx, ids: readonly number[]): Promise<void> {
  if (ids.length > 0) await db.delete(signInAttempts).where(inArray(signInAttempts.id, [...ids]));
}

/** A sign-in attempt, counted before the password is checked (see `takeAttempt`). */
export function takeSignInAttempt(db: Db, keys: { email: string; clientAddress: string }, options: { limits?: SignInLimits; now?: Date } = {}): Promise<AttemptTaken> {
  const limits = options.limits ?? signInLimits();
  const checks = [
    { key: accountKey(keys.email), limit: limits.perAccount },
    { key: clientKey(keys.clientAddress), limit: limits.perClient },
  ];
  return takeAttempt(db, checks, { windowMinutes: limits.windowMinutes, ...(options.now ? { now: options.now } : {}) });
}

/** Records one failure directly, as the limits count them (tests, and callers that verify elsewhere). */
export async function recordFailedSignIn(db: Db | Tx, keys: { email: string; clientAddress: string }, options: { limits?: SignInLimits; now?: Date } = {}): Promise<void> {
  const now = options.now ?? new Date();
  const windowMs = (options.limits ?? signInLimits()).windowMinutes * MINUTE;
  await db.insert(signInAttempts).values([
    { key: accountKey(keys.email), attemptedAt: now },
    { key: clientKey(keys.clientAddress), attemptedAt: now },
  ]);
  // Now and then, forget attempts that no window can still count.
  if (Math.random() < 0.05) await pruneSignInAttempts(db, new Date(now.getTime() - Math.max(DAY, windowMs)));
}

/** A successful sign-in forgives the account's failures (not the client's). */
export async function clearAccountAttempts(db: Db | Tx, email: string): Promise<void> {
  await db.delete(signInAttempts).where(eq(signInAttempts.key, accountKey(email)));
}

/** Deletes attempts older than `before` (by default, a day ago). */
export async function pruneSignInAttempts(db: Db | Tx, before = new Date(Date.now() - DAY)): Promise<number> {
  const deleted = await db.delete(signInAttempts).where(lt(signInAttempts.attemptedAt, before)).returning({ id: signInAttempts.id });
  return deleted.length;
}

export function rateLimitMessage(minutes: number): string {
  return `Too many sign-in attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}

// ---- mails and password checks -------------------------------------------------------------

/**
 * Requests that send a mail (sign-up, password reset, a new confirmation link), per address the
 * mail goes to and per client. Constants rather than settings: they only need to stop one client
 * from flooding mailboxes, while an office behind one address can still sign up together.
 */
export interface MailLimits {
  perAddress: number;
  perClient: number;
  windowMinutes: number;
}
export const MAIL_LIMITS: MailLimits = { perAddress: 5, perClient: 50, windowMinutes: 60 };

export type MailAction = "signup" | "reset" | "resend";

/** One mail-sending request for `email` from `clientAddress` (keys "signup-address:…", "signup-client:…", …). */
export function takeMailAttempt(db: Db, action: MailAction, keys: { email: string; clientAddress: string }, options: { limits?: MailLimits; now?: Date } = {}): Promise<AttemptTaken> {
  const limits = options.limits ?? MAIL_LIMITS;
  const checks = [
    { key: `${action}-address:${keys.email.trim().toLowerCase()}`, limit: limits.perAddress },
    { key: `${action}-client:${keys.clientAddress}`, limit: limits.perClient },
  ];
  return takeAttempt(db, checks, { windowMinutes: limits.windowMinutes, ...(options.now ? { now: options.now } : {}) });
}

export const passwordCheckKey = (userId: number) => `password-check:${userId}`;

/**
 * The current-password check on the settings page, limited like sign-in: per account (its own
 * key, so guesses from a borrowed session cannot lock the owner out of signing in) and per client
 * (the sign-in's key: a guess is a guess, wherever it is typed).
 */
export function takePasswordCheckAttempt(db: Db, keys: { userId: number; clientAddress: string | null }, options: { limits?: SignInLimits; now?: Date } = {}): Promise<AttemptTaken> {
  const limits = options.limits ?? signInLimits();
  const checks: Limit[] = [{ key: passwordCheckKey(keys.userId), limit: limits.perAccount }];
  if (keys.clientAddress) checks.push({ key: clientKey(keys.clientAddress), limit: limits.perClient });
  return takeAttempt(db, checks, { windowMinutes: limits.windowMinutes, ...(options.now ? { now: options.now } : {}) });
}

export function tooManyRequestsMessage(minutes: number): string {
  return `Too many requests for this address or from your network. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}
