import { and, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { wikiPageOwners, wikiPages } from "#db/schema/index.ts";
import { itemFollowers } from "#app/features/social/follows.server.ts";
import { KIND_FEATURES } from "#app/features/social/kinds.ts";
import { commentCountChanged, ownPageAccess, ownPageSummary } from "#app/features/social/own-page.server.ts";
import { type ItemAccess, type ItemSummary, registerKind } from "#app/features/social/registry.server.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { isRowId } from "#app/lib/ids.ts";
import { loadPage, type PageAccess } from "./access.server.ts";
import { deletePage } from "./pages.server.ts";
import { wikiPageUrl } from "./page-url.ts";

/**
 * Wiki pages on the social layer (docs/adding-a-kind.md): seen by whoever sees their space,
 * commented on, followed and flagged like any item; no votes (a page is verified by its owners
 * instead). Comments reach the page's owners and followers.
 */

function toItemAccess({ page, space, membership, canModerate }: PageAccess): ItemAccess {
  return ownPageAccess("wiki_page", page, { space, membership, canModerate }, wikiPageUrl(page));
}

async function describe(db: Db | Tx, actor: Actor, itemIds: readonly number[]): Promise<ItemSummary[]> {
  const ids = itemIds.filter(isRowId);
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: wikiPages.id,
      itemId: wikiPages.itemId,
      spaceId: wikiPages.spaceId,
      slug: wikiPages.slug,
      authorId: wikiPages.authorId,
      title: wikiPages.title,
      body: wikiPages.body,
      deletedAt: wikiPages.deletedAt,
    })
    .from(wikiPages)
    .where(and(inArray(wikiPages.itemId, ids), inVisibleSpace(actor, wikiPages.spaceId)));
  return rows.map((r) => ownPageSummary("wiki_page", r, wikiPageUrl(r)));
}

registerKind({
  kind: "wiki_page",
  features: KIND_FEATURES.wiki_page,
  load: async (tx, actor, itemId, options) => toItemAccess(await loadPage(tx, actor, { itemId }, options)),
  describe,
  async commentsChanged(tx, access, delta) {
    await commentCountChanged(tx, wikiPages, "wiki_page", access.contentId, delta);
  },
  async commentAudience(tx, access) {
    const [owners, followers] = await Promise.all([
      tx
        .select({ userId: wikiPageOwners.userId })
        .from(wikiPageOwners)
        .where(eq(wikiPageOwners.pageId, access.contentId))
        .then((rows) => rows.map((r) => r.userId)),
      itemFollowers(tx, access.itemId),
    ]);
    return { recipients: [...new Set([...owners, ...followers])], notification: "comment" };
  },
  // The moderation queue's "delete" on a flagged page is the page's own delete.
  async remove(db, actor, itemId) {
    const access = await loadPage(db, actor, { itemId }, { allowDeleted: true });
    return deletePage(db, actor, access.page.id);
  },
  searchDocument: (access) => ({ outbox: "wiki_page", id: access.contentId }),
});
