import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { spaceMembers, spaces, wikiPageOwners, wikiPages } from "#db/schema/index.ts";
import { isModerator } from "#app/features/reputation/rules.server.ts";
import { type Actor, canSeeSpace, type Membership, type Space, spaceNotFound, visibleSpacesCondition } from "#app/features/spaces/visibility.server.ts";
import { isRowId } from "#app/lib/ids.ts";

/**
 * Loading one wiki page for someone, through the visibility module: a page is seen by whoever
 * sees its space. A page in a space the actor may not see, a deleted page (for anyone but its
 * owners and moderators, and only where deleted pages may be loaded) and a missing page all
 * answer the same 404.
 */

export type WikiPage = typeof wikiPages.$inferSelect;
export type PageAccess = {
  page: WikiPage;
  space: Space;
  membership: Membership;
  /** Site moderators and admins, and moderators of the page's space. */
  canModerate: boolean;
  isOwner: boolean;
  /** Edits by anyone but owners and moderators become suggested edits (the page's flag or its space's). */
  isProtected: boolean;
  /** Saves go straight in: not protected, or the actor is an owner or a moderator. */
  canEditDirectly: boolean;
  /** Owners and moderators: verify, manage owners, protect, move, delete. */
  canManage: boolean;
};

export type PageKey = { pageId: number } | { itemId: number };

export async function loadPage(db: Db | Tx, actor: Actor, key: PageKey, options: { allowDeleted?: boolean; forUpdate?: boolean } = {}): Promise<PageAccess> {
  const id = "pageId" in key ? key.pageId : key.itemId;
  if (!isRowId(id)) spaceNotFound();
  const query = db
    .select({ page: wikiPages, space: spaces, role: spaceMembers.role, owner: wikiPageOwners.userId })
    .from(wikiPages)
    .innerJoin(spaces, eq(spaces.id, wikiPages.spaceId))
    .leftJoin(spaceMembers, and(eq(spaceMembers.spaceId, spaces.id), eq(spaceMembers.userId, actor.id)))
    .leftJoin(wikiPageOwners, and(eq(wikiPageOwners.pageId, wikiPages.id), eq(wikiPageOwners.userId, actor.id)))
    .where(and("pageId" in key ? eq(wikiPages.id, id) : eq(wikiPages.itemId, id), visibleSpacesCondition(actor)))
    .limit(1);
  const [row] = options.forUpdate ? await query.for("update", { of: wikiPages }) : await query;
  if (!row) spaceNotFound();
  const membership: Membership = row.role ? { role: row.role } : null;
  if (!canSeeSpace(actor, row.space, membership)) spaceNotFound();
  const canModerate = isModerator(actor, membership);
  const isOwner = row.owner !== null;
  if (row.page.deletedAt && !(options.allowDeleted && (canModerate || isOwner))) spaceNotFound();
  const isProtected = row.page.protected || row.space.wikiProtected;
  const canManage = canModerate || isOwner;
  return { page: row.page, space: row.space, membership, canModerate, isOwner, isProtected, canEditDirectly: !isProtected || canManage, canManage };
}
