import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { articles, articleViews } from "#db/schema/index.ts";

/**
 * Counting an article's views once per reader per hour, as questions do (`recordView` in
 * app/features/qa/question-page.server.ts): `article_views` keeps the last counted view of each
 * reader, and a view counts when there is none within the hour. Drafts, scheduled and deleted
 * articles are not counted.
 */

/** Counts this view unless this reader was counted on the article within the hour; the new count, or null. */
export async function countArticleView(db: Db, readerId: number, articleId: number, now: Date): Promise<number | null> {
  const at = now.toISOString();
  const rows = await db.execute<{ view_count: number }>(sql`
    with live as (
      select id from ${articles} where id = ${articleId} and status = 'published' and deleted_at is null
    ), counted as (
      insert into ${articleViews} (article_id, user_id, viewed_at) select id, ${readerId}, ${at}::timestamptz from live
      on conflict (article_id, user_id) do update set viewed_at = excluded.viewed_at
        where ${articleViews.viewedAt} <= ${at}::timestamptz - interval '1 hour'
      returning 1
    )
    update ${articles} set view_count = view_count + 1
    where id = ${articleId} and exists (select 1 from counted)
    returning view_count`);
  return rows.length > 0 ? Number(rows[0]!.view_count) : null;
}

/** Forgets views older than the counting window (a missing row counts like an hour-old one). Run by the hourly housekeeping. */
export async function pruneArticleViews(db: Db, now = new Date()): Promise<number> {
  const rows = await db.execute(sql`delete from ${articleViews} where ${articleViews.viewedAt} <= ${now.toISOString()}::timestamptz - interval '1 hour' returning 1`);
  return rows.length;
}
