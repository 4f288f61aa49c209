import { eq, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { forumAttempts } from "#db/schema/index.ts";

/**
 * The forum's rate limits: fixed windows counted in `forum_attempts`, one row per key, so every
 * forum process shares the counts. Taking an attempt is one statement (an insert that, on a key
 * already there, adds one or starts a new window when the old one has ended), so parallel requests
 * cannot all read "under the limit" before any of them counts: each gets its own number.
 */

const MINUTE = 60_000;

export interface Limit {
  key: string;
  limit: number;
  windowMinutes: number;
}

export const LIMITS = {
  signInPerAccount: (email: string): Limit => ({ key: `signin-account:${email}`, limit: 5, windowMinutes: 15 }),
  signInPerClient: (address: string): Limit => ({ key: `signin-client:${address}`, limit: 30, windowMinutes: 15 }),
  signUpPerClient: (address: string): Limit => ({ key: `signup-client:${address}`, limit: 5, windowMinutes: 60 }),
  // Mail-sending requests per address they mail, so no one floods someone else's inbox.
  mailPerAddress: (action: "signup" | "reset" | "resend", email: string): Limit => ({ key: `${action}-address:${email}`, limit: 5, windowMinutes: 60 }),
  mailPerClient: (action: "reset" | "resend", address: string): Limit => ({ key: `${action}-client:${address}`, limit: 50, windowMinutes: 60 }),
  commentsPerAccount: (accountId: number): Limit => ({ key: `comment-account:${accountId}`, limit: 10, windowMinutes: 60 }),
  // Part 2: customers ask, and report and say "me too". Per address as well as per account, so one
  // client cannot spread a flood over many new accounts.
  commentsPerClient: (address: string): Limit => ({ key: `comment-client:${address}`, limit: 30, windowMinutes: 60 }),
  // FORUM_QUESTIONS_PER_HOUR (5 by default) per account, twice that per address.
  questionsPerAccount: (accountId: number, perHour = 5): Limit => ({ key: `ask-account:${accountId}`, limit: perHour, windowMinutes: 60 }),
  questionsPerClient: (address: string, perHour = 5): Limit => ({ key: `ask-client:${address}`, limit: 2 * perHour, windowMinutes: 60 }),
  flagsPerAccount: (accountId: number): Limit => ({ key: `flag-account:${accountId}`, limit: 30, windowMinutes: 60 }),
  meTooPerAccount: (accountId: number): Limit => ({ key: `metoo-account:${accountId}`, limit: 30, windowMinutes: 60 }),
};

export type Taken = { limited: false } | { limited: true; retryAfterMinutes: number; retryAt: Date };

/**
 * Counts one attempt against every limit; refused when any of them is now past its limit, with the
 * time its window ends. A refused attempt is counted too: in a fixed window that only keeps the
 * count past the limit, and the window still ends on time.
 */
export async function takeAttempt(db: Db | Tx, limits: readonly Limit[], now = new Date()): Promise<Taken> {
  let retryAt = 0;
  // One key at a time, in a fixed order: each is one atomic statement.
  for (const { key, limit, windowMinutes } of [...limits].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    const windowStart = new Date(now.getTime() - windowMinutes * MINUTE);
    const ended = sql`${forumAttempts.windowStartedAt} <= ${windowStart.toISOString()}::timestamptz`;
    const [row] = await db
      .insert(forumAttempts)
      .values({ key, windowStartedAt: now, count: 1 })
      .onConflictDoUpdate({
        target: forumAttempts.key,
        set: {
          windowStartedAt: sql`case when ${ended} then excluded.window_started_at else ${forumAttempts.windowStartedAt} end`,
          count: sql`case when ${ended} then 1 else ${forumAttempts.count} + 1 end`,
        },
      })
      .returning({ count: forumAttempts.count, windowStartedAt: forumAttempts.windowStartedAt });
    if (row && row.count > limit) retryAt = Math.max(retryAt, row.windowStartedAt.getTime() + windowMinutes * MINUTE);
  }
  // Now and then, forget windows that ended long ago.
  if (Math.random() < 0.02) await db.delete(forumAttempts).where(lt(forumAttempts.windowStartedAt, new Date(now.getTime() - 24 * 60 * MINUTE)));
  if (retryAt === 0) return { limited: false };
  return { limited: true, retryAt: new Date(retryAt), retryAfterMinutes: Math.max(1, Math.ceil((retryAt - now.getTime()) / MINUTE)) };
}

/** Forgets a key's count (a successful sign-in forgives the account's failures). */
export async function clearAttempts(db: Db | Tx, key: string): Promise<void> {
  await db.delete(forumAttempts).where(eq(forumAttempts.key, key));
}

/** Gives one attempt back (a successful sign-in was no failure of its client's). */
export async function giveBack(db: Db | Tx, key: string): Promise<void> {
  await db
    .update(forumAttempts)
    .set({ count: sql`greatest(${forumAttempts.count} - 1, 0)` })
    .where(eq(forumAttempts.key, key));
}

export function tryAgainMessage(what: string, minutes: number): string {
  return `${what} Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}
