import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { spaces, users, wikiPageOwners, wikiPages } from "#db/schema/index.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { needsReview } from "./view.server.ts";
import { spaceWikiUrl, wikiPageUrl } from "./page-url.ts";

/**
 * The wiki's front door (`/wiki`): every space the reader sees with how many pages its wiki has,
 * the pages changed most recently across those spaces, and how many pages the reader owns that
 * are due for review. Three queries, whatever the size of the wikis.
 */
export async function wikiHome(db: Db, actor: Actor, now: Date) {
  const [spaceRows, recent, due] = await Promise.all([
    db
      .select({
        slug: spaces.slug,
        name: spaces.name,
        visibility: spaces.visibility,
        // Spelled out: in a one-table select drizzle writes ${spaces.id} as a bare "id", which the subquery would read as its own.
        pages: sql<number>`(select count(*) from wiki_pages w where w.space_id = spaces.id and w.deleted_at is null)::int`,
      })
      .from(spaces)
      .where(inVisibleSpace(actor, spaces.id))
      .orderBy(spaces.name),
    db
      .select({
        id: wikiPages.id,
        slug: wikiPages.slug,
        title: wikiPages.title,
        changedAt: sql<Date>`coalesce(${wikiPages.lastEditedAt}, ${wikiPages.createdAt})`,
        reviewDueAt: wikiPages.reviewDueAt,
        verifiedAt: wikiPages.verifiedAt,
        spaceName: spaces.name,
        editor: users.name,
      })
      .from(wikiPages)
      .innerJoin(spaces, eq(spaces.id, wikiPages.spaceId))
      .innerJoin(users, eq(users.id, sql`coalesce(${wikiPages.lastEditorId}, ${wikiPages.authorId})`))
      .where(and(isNull(wikiPages.deletedAt), inVisibleSpace(actor, wikiPages.spaceId)))
      .orderBy(desc(sql`coalesce(${wikiPages.lastEditedAt}, ${wikiPages.createdAt})`), desc(wikiPages.id))
      .limit(15),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(wikiPageOwners)
      .innerJoin(wikiPages, eq(wikiPages.id, wikiPageOwners.pageId))
      .where(
        and(eq(wikiPageOwners.userId, actor.id), isNull(wikiPages.deletedAt), sql`${wikiPages.reviewDueAt} <= ${now.toISOString()}::timestamptz`, inVisibleSpace(actor, wikiPages.spaceId)),
      ),
  ]);
  return {
    spaces: spaceRows.map((s) => ({ ...s, url: spaceWikiUrl(s) })),
    recent: recent.map((r) => ({
      id: r.id,
      title: r.title,
      url: wikiPageUrl(r),
      changedAt: r.changedAt,
      spaceName: r.spaceName,
      editor: r.editor,
      verified: r.verifiedAt !== null,
      needsReview: needsReview(r, now),
    })),
    myDueReviews: due[0]?.n ?? 0,
  };
}
