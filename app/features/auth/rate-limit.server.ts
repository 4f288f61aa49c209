import { and, asc, count, eq, gte, inArray, lt } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { signInAttempts } from "#db/schema/index.ts";
import { env } from "#app/lib/env.server.ts";

/**
 * Failed sign-in attempts are counted per account and per client over a sliding window, in
 * Postgres so every app instance sees the same counts. Only failures are recorded: a refused
 * (rate-limited) attempt is not, so the lock lifts on time even while someone keeps trying.
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
export async function checkSignInLimit(
  db: Db | Tx,
  keys: { email: string; clientAddress: string },
  options: { limits?: SignInLimits; now?: Date } = {},
): Promise<RateLimitCheck> {
  const limits = options.limits ?? signInLimits();
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - limits.windowMinutes * MINUTE);
  const checks = [
    { key: accountKey(keys.email), limit: limits.perAccount },
    { key: clientKey(keys.clientAddress), limit: limits.perClient },
  ];
  const counts = await db
    .select({ key: signInAttempts.key, n: count() })
    .from(signInAttempts)
    .where(and(inArray(signInAttempts.key, checks.map((c) => c.key)), gte(signInAttempts.attemptedAt, since)))
    .groupBy(signInAttempts.key);

  let retryAt = 0;
  let limitedKey: string | null = null;
  for (const { key, limit } of checks) {
    const n = counts.find((c) => c.key === key)?.n ?? 0;
    if (n < limit) continue;
    // The limit lifts when enough attempts have left the window to bring the count below it:
    // with exactly `limit` failures that is when the oldest one leaves.
    const [pivot] = await db
      .select({ at: signInAttempts.attemptedAt })
      .from(signInAttempts)
      .where(and(eq(signInAttempts.key, key), gte(signInAttempts.attemptedAt, since)))
      .orderBy(asc(signInAttempts.attemptedAt))
      .offset(n - limit)
      .limit(1);
    const at = (pivot?.at.getTime() ?? now.getTime()) + limits.windowMinutes * MINUTE;
    if (at > retryAt) {
      retryAt = at;
      limitedKey = key;
    }
  }
  if (!limitedKey) return { limited: false };
  return { limited: true, key: limitedKey, retryAfterMinutes: Math.max(1, Math.ceil((retryAt - now.getTime()) / MINUTE)) };
}

export async function recordFailedSignIn(
  db: Db | Tx,
  keys: { email: string; clientAddress: string },
  options: { limits?: SignInLimits; now?: Date } = {},
): Promise<void> {
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
  const deleted = await db
    .delete(signInAttempts)
    .where(lt(signInAttempts.attemptedAt, before))
    .returning({ id: signInAttempts.id });
  return deleted.length;
}

export function rateLimitMessage(minutes: number): string {
  return `Too many sign-in attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}
