import { and, asc, eq, inArray, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { spaces, wikiPages } from "#db/schema/index.ts";
import { type Actor, inVisibleSpace, userSeesSpaceSql } from "#app/features/spaces/visibility.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { REVIEW_SOON_DAYS } from "./governance-schemas.ts";
import { wikiPageUrl } from "./page-url.ts";
import { intArray } from "#db/sql-params.ts";

/**
 * Reviews that fall due: the hourly job that tells a page's owners once its review date has passed,
 * and the list of pages to review for owners and moderators.
 */

const DAY_MS = 24 * 3600 * 1000;
const BATCH = 200;

/**
 * Tells the owners of every page whose review date has passed (kind "page_review"), once per due
 * date: `review_notified_at` is set in the same transaction, and verifying again clears it. Pages are
 * claimed with SKIP LOCKED, so two instances running it at once share the pages instead of both
 * notifying, and a page being verified right now is left for the next run. Each page is queued
 * for indexing so search marks it stale. Returns how many pages and notifications it handled.
 */
export async function notifyDueReviews(db: Db, now = new Date()): Promise<{ pages: number; notified: number }> {
  const at = now.toISOString();
  let pages = 0;
  let notified = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const due = await tx.execute<{ id: number }>(sql`
        select id from ${wikiPages}
        where review_due_at <= ${at}::timestamptz and deleted_at is null
          and (review_notified_at is null or review_notified_at < review_due_at)
        order by review_due_at, id
        limit ${BATCH}
        for update skip locked`);
      const ids = due.map((d) => Number(d.id));
      if (ids.length === 0) return { pages: 0, notified: 0 };
      await tx.update(wikiPages).set({ reviewNotifiedAt: now }).where(inArray(wikiPages.id, ids));
      // One statement for every owner of every page, kept to owners who still see the space (as `notify` does);
      // the verifier is named as who asks, and owners are told even when they verified it themselves.
      const sent = await tx.execute(sql`
        insert into notifications (user_id, kind, actor_id, space_id, item_id)
        select u.id, 'page_review', p.verified_by_id, s.id, p.item_id
        from wiki_pages p
        join wiki_page_owners o on o.page_id = p.id
        join users u on u.id = o.user_id
        join spaces s on s.id = p.space_id
        where p.id = any(${intArray(ids)}) and ${userSeesSpaceSql}
        returning id`);
      await enqueueIndexing(tx, "wiki_page", ids, { priority: 1 });
      return { pages: ids.length, notified: sent.length };
    });
    pages += batch.pages;
    notified += batch.notified;
    if (batch.pages < BATCH) break;
  }
  return { pages, notified };
}

export const REVIEW_PAGE_SIZE = 25;

export type ReviewItem = {
  id: number;
  title: string;
  url: string;
  space: { slug: string; name: string };
  reviewDueAt: Date;
  /** Whole days past the review date; negative for pages due soon. */
  daysOverdue: number;
  /** The reader owns it (else they see it as a moderator of its space). */
  owned: boolean;
};

/**
 * "Pages to review" for `actor`: pages they own that need review or fall due within
 * REVIEW_SOON_DAYS, and the overdue pages of the spaces they moderate (every space they see, for
 * site moderators and admins). Most overdue first, a page of results at a time.
 */
export async function pagesToReview(db: Db, actor: Actor, options: { page: number }, now = new Date()): Promise<{ items: ReviewItem[]; total: number; offset: number; pageSize: number }> {
  const owned = sql<boolean>`exists (select 1 from wiki_page_owners o where o.page_id = ${wikiPages.id} and o.user_id = ${actor.id})`;
  const siteModerator = actor.role === "admin" || actor.role === "moderator";
  const moderated = siteModerator ? sql`true` : sql`${wikiPages.spaceId} in (select space_id from space_members where user_id = ${actor.id} and role = 'moderator')`;
  const soon = new Date(now.getTime() + REVIEW_SOON_DAYS * DAY_MS);
  const where = and(
    isNull(wikiPages.deletedAt),
    isNotNull(wikiPages.reviewDueAt),
    inVisibleSpace(actor, wikiPages.spaceId),
    or(and(owned, lte(wikiPages.reviewDueAt, soon)), and(moderated, lte(wikiPages.reviewDueAt, now))),
  );
  const offset = (options.page - 1) * REVIEW_PAGE_SIZE;
  const [rows, [count]] = await Promise.all([
    db
      .select({
        id: wikiPages.id,
        title: wikiPages.title,
        slug: wikiPages.slug,
        reviewDueAt: wikiPages.reviewDueAt,
        owned,
        spaceSlug: spaces.slug,
        spaceName: spaces.name,
      })
      .from(wikiPages)
      .innerJoin(spaces, eq(spaces.id, wikiPages.spaceId))
      .where(where)
      .orderBy(asc(wikiPages.reviewDueAt), asc(wikiPages.id))
      .limit(REVIEW_PAGE_SIZE)
      .offset(offset),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(wikiPages)
      .where(where),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      url: wikiPageUrl(r),
      space: { slug: r.spaceSlug, name: r.spaceName },
      reviewDueAt: r.reviewDueAt!,
      daysOverdue: Math.floor((now.getTime() - r.reviewDueAt!.getTime()) / DAY_MS),
      owned: Boolean(r.owned),
    })),
    total: count?.n ?? 0,
    offset,
    pageSize: REVIEW_PAGE_SIZE,
  };
}
