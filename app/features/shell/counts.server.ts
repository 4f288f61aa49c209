import { sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { moderationSummarySql } from "#app/features/moderation/flags.server.ts";
import { unreadCountSql } from "#app/features/notifications/inbox.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";

export type ShellCounts = {
  /** Unread notifications the person may still see (0 for customers, who have no inbox). */
  unread: number;
  /** The Moderation link's pending count, or null for people who moderate nothing. */
  moderation: { pending: number } | null;
};

/**
 * What every signed-in page's header shows, in one statement: the inbox bell's count and the
 * Moderation link's. The same answers as `unreadCount` and `moderationSummary`, one round trip.
 */
export async function shellCounts(db: Db | Tx, actor: Actor): Promise<ShellCounts> {
  const unread = actor.kind === "employee" ? unreadCountSql(db, actor) : sql<number>`0`;
  const moderation = moderationSummarySql(actor);
  const [row] = await db.execute<{ unread: number; moderates: boolean; pending: number | null }>(sql`
    select ${unread} as unread, ${moderation?.moderates ?? sql`false`} as moderates, ${moderation?.pending ?? sql`null::int`} as pending`);
  return {
    unread: Number(row?.unread ?? 0),
    moderation: row?.moderates ? { pending: Number(row.pending ?? 0) } : null,
  };
}
