import { sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "./client.server.ts";
import { intArray } from "./sql-params.ts";

/**
 * What both outboxes (search's `outbox`, the mailer's `mail_outbox`) answer alike: how far behind
 * they are, and putting dead letters back in line. Both tables have the same queue columns
 * (status pending/done/dead, attempts, available_at, last_error, created_at).
 */
export interface QueueHealth {
  pending: number;
  dead: number;
  /** Seconds since the oldest pending row was written; 0 when none is pending. */
  oldestPendingSeconds: number;
}

// The rows are picked as "pending or dead", not "not done": each arm matches a partial index of
// the queue, so the count reads those few rows. "Not done" read every row ever sent (140 ms on
// Admin → Mail with a busy mail outbox at 100,000 questions).
export async function queueHealth(db: Db, table: PgTable): Promise<QueueHealth> {
  const [row] = await db.execute<{ pending: number; dead: number; oldest: number | null }>(sql`
    select count(*) filter (where status = 'pending')::int as pending,
           count(*) filter (where status = 'dead')::int as dead,
           extract(epoch from now() - min(created_at) filter (where status = 'pending'))::float8 as oldest
    from ${table} where status = 'pending' or status = 'dead'`);
  return { pending: row?.pending ?? 0, dead: row?.dead ?? 0, oldestPendingSeconds: Math.max(0, Math.floor(row?.oldest ?? 0)) };
}

/** Puts dead rows (all, or the given ones) back to pending with a fresh count of attempts; how many it moved. */
export async function retryDeadRows(db: Db, table: PgTable, ids?: number[]): Promise<number> {
  const only: SQL = ids ? sql` and id = any(${intArray(ids.filter((id) => Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647))})` : sql``;
  const rows = await db.execute<{ id: number }>(sql`
    update ${table} set status = 'pending', attempts = 0, available_at = now(), last_error = null
    where status = 'dead'${only} returning id`);
  return rows.length;
}
