import { sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { kudosAllowancePeriods, kudosBalances, kudosLedger } from "#db/schema/index.ts";
import { InputError } from "#app/lib/errors.ts";

/**
 * Kudos points: the monthly allowance a person gives from, the earned balance they receive into,
 * and the append-only ledger every movement of either is written to (decision 011).
 *
 * The ledger is the history; two small tables are the guards that make concurrency safe:
 * - `kudos_allowance_periods` (one row per person and month): a give is one conditional UPDATE,
 *   `spent = spent + cost WHERE spent + cost <= granted`. Parallel gives take turns on the row
 *   lock and PostgreSQL re-checks the condition against the row each one finds, so 50 gives of 10
 *   from 100 leave 10 that succeeded and 0 points, never a negative (a CHECK backs it up).
 * - `kudos_balances`: a debit is `earned = earned - cost WHERE earned >= cost`, the same way.
 * Each guard moves in the same transaction as its ledger entries, so the sum of a person's
 * entries on an account always equals the guard (tests/integration/kudos-points.test.ts).
 */

export type LedgerEntry = typeof kudosLedger.$inferInsert;

/** The month (UTC) an instant belongs to, as its first day: "2026-12-01". */
export function periodOf(now: Date): string {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}-01`;
}

/** When the allowance of the month containing `now` resets: the 1st of the next month, 00:00 UTC. */
export function nextReset(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}

/**
 * The monthly allowance the rules give a person now: their department's rule, else their role's,
 * else the company default (0 when an admin removed even that). One query.
 */
export function allowanceRuleSql(userId: number): ReturnType<typeof sql<number>> {
  return sql<number>`coalesce(
    (select r.points from kudos_allowance_rules r join users u on u.id = ${userId}
      where r.department is not null and u.department <> '' and lower(r.department) = lower(u.department)),
    (select r.points from kudos_allowance_rules r join users u on u.id = ${userId} where r.role = u.role),
    (select r.points from kudos_allowance_rules r where r.role is null and r.department is null),
    0)`;
}

export async function appendLedger(tx: Tx, entries: readonly LedgerEntry[]): Promise<void> {
  if (entries.length > 0) await tx.insert(kudosLedger).values([...entries]);
}

/**
 * The person's allowance row for the month, made on first use with the rule then in force (and
 * its "allowance_granted" entry, written only by the transaction that made the row).
 */
async function ensurePeriod(tx: Tx, userId: number, period: string, now: Date): Promise<void> {
  const made = await tx.execute<{ granted: number }>(sql`
    insert into ${kudosAllowancePeriods} (user_id, period, granted, spent)
    values (${userId}, ${period}::date, ${allowanceRuleSql(userId)}, 0)
    on conflict do nothing
    returning granted`);
  const granted = made[0] ? Number(made[0].granted) : null;
  if (granted !== null && granted > 0) await appendLedger(tx, [{ userId, account: "allowance", entry: "allowance_granted", points: granted, period, createdAt: now }]);
}

export type Allowance = { period: string; granted: number; spent: number; left: number; resetsAt: Date };

/** What a person may still give this month, without writing anything (a month not yet used shows the rule's figure). */
export async function allowanceOf(db: Db | Tx, userId: number, now = new Date()): Promise<Allowance> {
  const period = periodOf(now);
  const [row] = await db.execute<{ granted: number; spent: number }>(sql`
    select coalesce(p.granted, ${allowanceRuleSql(userId)})::int as granted, coalesce(p.spent, 0)::int as spent
    from (select 1) one
    left join ${kudosAllowancePeriods} p on p.user_id = ${userId} and p.period = ${period}::date`);
  const granted = Number(row?.granted ?? 0);
  const spent = Number(row?.spent ?? 0);
  return { period, granted, spent, left: Math.max(granted - spent, 0), resetsAt: nextReset(now) };
}

/**
 * Takes `cost` points from the person's allowance for this month, or refuses with what is left.
 * One conditional UPDATE: the row lock makes parallel gives take turns, and each re-checks.
 */
export async function spendAllowance(tx: Tx, userId: number, cost: number, now: Date, field = "points"): Promise<{ period: string; left: number }> {
  const period = periodOf(now);
  await ensurePeriod(tx, userId, period, now);
  if (cost === 0) return { period, left: (await allowanceOf(tx, userId, now)).left };
  const rows = await tx.execute<{ left: number }>(sql`
    update ${kudosAllowancePeriods} set spent = spent + ${cost}
    where user_id = ${userId} and period = ${period}::date and spent + ${cost} <= granted
    returning (granted - spent)::int as left`);
  if (!rows[0]) {
    const { left } = await allowanceOf(tx, userId, now);
    throw InputError.field(
      field,
      left === 0 ? "You have no points left to give this month. Your allowance resets on the 1st." : `That takes ${cost} points and you have ${left} left to give this month.`,
    );
  }
  return { period, left: Number(rows[0].left) };
}

/** Gives points back to a month's allowance (a withdrawn kudos), when that month is still running. */
export async function refundAllowance(tx: Tx, userId: number, period: string, points: number, now: Date): Promise<number> {
  if (points <= 0 || period !== periodOf(now)) return 0;
  const rows = await tx.execute<{ spent: number }>(sql`
    update ${kudosAllowancePeriods} set spent = spent - ${points}
    where user_id = ${userId} and period = ${period}::date and lapsed_at is null and spent >= ${points}
    returning spent`);
  return rows[0] ? points : 0;
}

/** Adds received points to people's earned balances, in id order (the lock order of every writer). */
export async function creditEarned(tx: Tx, credits: ReadonlyArray<{ userId: number; points: number }>): Promise<void> {
  for (const { userId, points } of [...credits].sort((a, b) => a.userId - b.userId)) {
    await tx
      .insert(kudosBalances)
      .values({ userId, earned: points, receivedTotal: points })
      .onConflictDoUpdate({
        target: kudosBalances.userId,
        set: { earned: sql`${kudosBalances.earned} + ${points}`, receivedTotal: sql`${kudosBalances.receivedTotal} + ${points}`, updatedAt: sql`now()` },
      });
  }
}

/**
 * Puts points back on an earned balance without counting them as received: a declined or
 * cancelled redemption returns what it took, and the profile's "received" total never moved.
 */
export async function refundEarned(tx: Tx, userId: number, points: number): Promise<void> {
  if (points <= 0) return;
  await tx
    .insert(kudosBalances)
    .values({ userId, earned: points, receivedTotal: 0 })
    .onConflictDoUpdate({ target: kudosBalances.userId, set: { earned: sql`${kudosBalances.earned} + ${points}`, updatedAt: sql`now()` } });
}

/**
 * Takes points from an earned balance: all of `points` or nothing (a redemption), or, with
 * `upTo`, as many as are there (a withdrawn kudos whose points were partly spent). Returns what
 * was taken; the balance never goes below zero.
 */
export async function debitEarned(tx: Tx, userId: number, points: number, options: { upTo?: boolean; receivedToo?: boolean } = {}): Promise<number> {
  if (points <= 0) return 0;
  const received = options.receivedToo ? sql`greatest(received_total - ${points}, 0)` : sql`received_total`;
  if (options.upTo) {
    const rows = await tx.execute<{ taken: number }>(sql`
      update ${kudosBalances} b set earned = b.earned - least(b.earned, ${points}), received_total = ${received}, updated_at = now()
      from (select earned from ${kudosBalances} where user_id = ${userId} for update) before
      where b.user_id = ${userId}
      returning least(before.earned, ${points})::int as taken`);
    return Number(rows[0]?.taken ?? 0);
  }
  const rows = await tx.execute(sql`
    update ${kudosBalances} set earned = earned - ${points}, received_total = ${received}, updated_at = now()
    where user_id = ${userId} and earned >= ${points}
    returning earned`);
  return rows[0] ? points : 0;
}

/** The earned balance and everything ever received. */
export async function balanceOf(db: Db | Tx, userId: number): Promise<{ earned: number; receivedTotal: number }> {
  const [row] = await db.execute<{ earned: number; received_total: number }>(sql`select earned, received_total from ${kudosBalances} where user_id = ${userId}`);
  return { earned: Number(row?.earned ?? 0), receivedTotal: Number(row?.received_total ?? 0) };
}

/**
 * Writes off what was left of every finished month's allowance, once: an "allowance_lapsed" entry
 * per person and month, and the month marked. Housekeeping runs it hourly; instances running it at
 * once skip each other's rows.
 */
export async function lapseAllowances(db: Db, now = new Date()): Promise<number> {
  const period = periodOf(now);
  const rows = await db.execute<{ n: number }>(sql`
    with due as (
      select user_id, period, granted - spent as unused from ${kudosAllowancePeriods}
      where period < ${period}::date and lapsed_at is null
      order by period, user_id limit 5000
      for update skip locked
    ), marked as (
      update ${kudosAllowancePeriods} p set lapsed_at = now() from due
      where p.user_id = due.user_id and p.period = due.period
      returning due.user_id, due.period, due.unused
    ), written as (
      insert into ${kudosLedger} (user_id, account, entry, points, period, note)
      select user_id, 'allowance', 'allowance_lapsed', -unused, period, 'Unused points lapse at the end of the month.' from marked where unused > 0
      returning 1
    )
    select (select count(*) from marked)::int as n`);
  return Number(rows[0]?.n ?? 0);
}
