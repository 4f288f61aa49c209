import { and, eq, inArray, sql } from "drizzle-orm";
import { href } from "react-router";
import type { Db, Tx } from "#db/client.server.ts";
import { badges, spaces } from "#db/schema/index.ts";
import { KIND_FEATURES } from "#app/features/social/kinds.ts";
import { type ItemAccess, type ItemSummary, registerKind } from "#app/features/social/registry.server.ts";
import { type Actor, canSeeSpace, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";

/**
 * Badges on the social layer (docs/adding-a-kind.md): a page to link to and to notify about ("You
 * earned the badge …"), in the company space, which every active employee sees. No comments,
 * votes or flags; archived badges stay (people still hold them).
 */

export function badgeUrl(badge: { id: number }): string {
  return href("/badges/:badgeId", { badgeId: String(badge.id) });
}

async function load(tx: Db | Tx, actor: Actor, itemId: number): Promise<ItemAccess> {
  if (!isRowId(itemId)) throw new NotFoundError();
  const [row] = await tx
    .select({
      badge: { id: badges.id, itemId: badges.itemId, spaceId: badges.spaceId, name: badges.name, createdById: badges.createdById },
      space: spaces,
      role: sql<"member" | "moderator" | null>`(select role from space_members m where m.space_id = ${badges.spaceId} and m.user_id = ${actor.id})`,
    })
    .from(badges)
    .innerJoin(spaces, eq(spaces.id, badges.spaceId))
    .where(and(eq(badges.itemId, itemId), inVisibleSpace(actor, badges.spaceId)));
  const membership = row?.role ? { role: row.role } : null;
  if (!row || !canSeeSpace(actor, row.space, membership)) throw new NotFoundError();
  const b = row.badge;
  return {
    itemId: b.itemId,
    kind: "badge",
    contentId: b.id,
    spaceId: b.spaceId,
    space: row.space,
    membership,
    // Automatic badges have no author; 0 is no one's id.
    authorId: b.createdById ?? 0,
    deletedAt: null,
    deletedById: null,
    title: b.name,
    pageItemId: b.itemId,
    url: badgeUrl(b),
    canModerate: actor.role === "admin" || actor.role === "hr",
  };
}

async function describe(db: Db | Tx, actor: Actor, itemIds: readonly number[]): Promise<ItemSummary[]> {
  const ids = itemIds.filter(isRowId);
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: badges.id, itemId: badges.itemId, spaceId: badges.spaceId, name: badges.name, description: badges.description, createdById: badges.createdById })
    .from(badges)
    .where(and(inArray(badges.itemId, ids), inVisibleSpace(actor, badges.spaceId)));
  return rows.map((r) => ({
    itemId: r.itemId,
    kind: "badge" as const,
    contentId: r.id,
    spaceId: r.spaceId,
    title: r.name,
    pageItemId: r.itemId,
    url: badgeUrl(r),
    deleted: false,
    ...(r.createdById ? { authorId: r.createdById } : {}),
    excerpt: `${r.name}: ${r.description.slice(0, 180)}`,
  }));
}

registerKind({
  kind: "badge",
  features: KIND_FEATURES.badge,
  load,
  describe,
  // Badges take no comments (KIND_FEATURES.badge): nothing to count, no one to tell.
  async commentsChanged() {},
  async commentAudience() {
    return { recipients: [], notification: "badge" };
  },
  searchDocument: (access) => ({ outbox: "badge", id: access.contentId }),
});
