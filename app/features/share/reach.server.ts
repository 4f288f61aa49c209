import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { shareLeaderboardOptIns } from "#db/schema/index.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { sinceDay } from "./days.ts";

/**
 * Reach: the clicks on an employee's personal links (share_clicks: per link, day and referring
 * host, nothing about who clicked). Each employee sees their own; the leaderboard shows only those
 * who chose to appear on it.
 */

export const REACH_ITEMS_SHOWN = 25;
export const REACH_HOSTS_SHOWN = 5;
export const LEADERBOARD_SIZE = 10;

export type ReachItem = { itemId: number; kitId: number; kitTitle: string; title: string; clicks30: number; clicksAll: number };

/** The reader's reach: totals over the last 30 days and all time, the items that reached most, and the top referring sites. */
export async function myReach(db: Db, actor: Actor, now = new Date()) {
  const since = sinceDay(now, 30);
  const [items, hosts] = await Promise.all([
    db.execute<{ item_id: number; kit_id: number; kit_title: string; title: string; clicks_30: number; clicks_all: number; items: number; total_30: number; total_all: number }>(sql`
      with mine as (
        select l.item_id, coalesce(sum(c.clicks), 0)::int as clicks_all,
               coalesce(sum(c.clicks) filter (where c.day >= ${since}), 0)::int as clicks_30
          from share_links l left join share_clicks c on c.code = l.code
         where l.user_id = ${actor.id}
         group by l.item_id)
      select m.item_id, i.kit_id, k.title as kit_title, i.title, m.clicks_30, m.clicks_all,
             count(*) over ()::int as items,
             (sum(m.clicks_30) over ())::int as total_30, (sum(m.clicks_all) over ())::int as total_all
        from mine m join share_kit_items i on i.id = m.item_id join share_kits k on k.id = i.kit_id
       order by m.clicks_all desc, m.clicks_30 desc, i.id desc
       limit ${REACH_ITEMS_SHOWN}`),
    db.execute<{ host: string; clicks: number }>(sql`
      select c.referrer_host as host, sum(c.clicks)::int as clicks
        from share_links l join share_clicks c on c.code = l.code
       where l.user_id = ${actor.id}
       group by c.referrer_host
       order by clicks desc, host
       limit ${REACH_HOSTS_SHOWN}`),
  ]);
  const first = items[0];
  return {
    clicks30: first?.total_30 ?? 0,
    clicksAll: first?.total_all ?? 0,
    linkCount: first?.items ?? 0,
    items: [...items].map((r): ReachItem => ({ itemId: Number(r.item_id), kitId: Number(r.kit_id), kitTitle: r.kit_title, title: r.title, clicks30: r.clicks_30, clicksAll: r.clicks_all })),
    hosts: [...hosts].map((r) => ({ host: r.host, clicks: r.clicks })),
  };
}

/** The last 30 days' clicks of those who opted in (active employees only), most first. */
export async function leaderboard(db: Db, now = new Date()): Promise<Array<{ userId: number; name: string; clicks: number }>> {
  const since = sinceDay(now, 30);
  const rows = await db.execute<{ user_id: number; name: string; clicks: number }>(sql`
    select u.id as user_id, u.name,
           coalesce((select sum(c.clicks) from share_links l join share_clicks c on c.code = l.code
                      where l.user_id = u.id and c.day >= ${since}), 0)::int as clicks
      from share_leaderboard_opt_ins o join users u on u.id = o.user_id
     where u.kind = 'employee' and u.deactivated_at is null
     order by clicks desc, u.name, u.id
     limit ${LEADERBOARD_SIZE}`);
  return [...rows].map((r) => ({ userId: Number(r.user_id), name: r.name, clicks: r.clicks }));
}

export async function isOnLeaderboard(db: Db, actor: Actor): Promise<boolean> {
  const [row] = await db.select({ userId: shareLeaderboardOptIns.userId }).from(shareLeaderboardOptIns).where(eq(shareLeaderboardOptIns.userId, actor.id));
  return row !== undefined;
}

/** Joining or leaving is the reader's own choice, and only theirs. */
export async function setOnLeaderboard(db: Db, actor: Actor, join: boolean): Promise<void> {
  if (join) await db.insert(shareLeaderboardOptIns).values({ userId: actor.id }).onConflictDoNothing();
  else await db.delete(shareLeaderboardOptIns).where(eq(shareLeaderboardOptIns.userId, actor.id));
}
