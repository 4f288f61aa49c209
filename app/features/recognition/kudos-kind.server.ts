import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { kudos, users } from "#db/schema/index.ts";
import { commentCountChanged } from "#app/features/social/own-page.server.ts";
import { plainExcerpt } from "#app/features/social/excerpt.ts";
import { KIND_FEATURES } from "#app/features/social/kinds.ts";
import { type ItemAccess, type ItemSummary, registerKind } from "#app/features/social/registry.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { isRowId } from "#app/lib/ids.ts";
import { type KudosAccess, kudosUrl, kudosVisibleTo, loadKudos, plusOneKudos, withdrawKudos } from "./kudos.server.ts";

/**
 * Kudos on the social layer (docs/adding-a-kind.md): comments, "+1"s (support votes), flags and
 * notifications, under kudos.server.ts's rule of who sees one. A kudos's "author" is its giver;
 * the moderation queue's delete withdraws it (every point goes back through the ledger).
 */

/** "Kudos from Ana to Ben and 2 others". */
export function kudosTitle(giver: string, receivers: readonly string[]): string {
  const [first, ...rest] = receivers;
  if (!first) return `Kudos from ${giver}`;
  if (rest.length === 0) return `Kudos from ${giver} to ${first}`;
  if (rest.length === 1) return `Kudos from ${giver} to ${first} and ${rest[0]}`;
  return `Kudos from ${giver} to ${first} and ${rest.length} others`;
}

const receiverNames = sql<string[]>`array(select u.name from kudos_receivers r join users u on u.id = r.user_id where r.kudos_id = ${kudos.id} order by u.name)`;

async function toItemAccess(db: Db | Tx, access: KudosAccess): Promise<ItemAccess> {
  const k = access.kudos;
  const [names] = await db.select({ giver: users.name, receivers: receiverNames }).from(kudos).innerJoin(users, eq(users.id, kudos.giverId)).where(eq(kudos.id, k.id));
  return {
    itemId: k.itemId,
    kind: "kudos",
    contentId: k.id,
    spaceId: k.spaceId,
    space: access.space,
    membership: access.membership,
    authorId: k.giverId,
    deletedAt: k.deletedAt,
    deletedById: k.deletedById,
    title: kudosTitle(names?.giver ?? "a colleague", names?.receivers ?? []),
    pageItemId: k.itemId,
    url: kudosUrl(k),
    canModerate: access.canModerate,
  };
}

async function describe(db: Db | Tx, actor: Actor, itemIds: readonly number[]): Promise<ItemSummary[]> {
  const ids = itemIds.filter(isRowId);
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: kudos.id,
      itemId: kudos.itemId,
      spaceId: kudos.spaceId,
      giverId: kudos.giverId,
      giver: users.name,
      receivers: receiverNames,
      message: kudos.message,
      deletedAt: kudos.deletedAt,
    })
    .from(kudos)
    .innerJoin(users, eq(users.id, kudos.giverId))
    .where(and(inArray(kudos.itemId, ids), kudosVisibleTo(actor, { withdrawn: true })));
  return rows.map((r) => {
    const title = kudosTitle(r.giver, r.receivers);
    return {
      itemId: r.itemId,
      kind: "kudos" as const,
      contentId: r.id,
      spaceId: r.spaceId,
      title,
      pageItemId: r.itemId,
      url: kudosUrl(r),
      deleted: r.deletedAt !== null,
      authorId: r.giverId,
      excerpt: `${title}: ${plainExcerpt(r.message, 180)}`,
    };
  });
}

registerKind({
  kind: "kudos",
  features: KIND_FEATURES.kudos,
  load: async (tx, actor, itemId, options) => toItemAccess(tx, await loadKudos(tx, actor, { itemId }, options)),
  describe,
  async commentsChanged(tx, access, delta) {
    await commentCountChanged(tx, kudos, "kudos", access.contentId, delta);
  },
  async commentAudience(tx, access) {
    const [row] = await tx
      .select({ receivers: sql<number[]>`array(select user_id from kudos_receivers r where r.kudos_id = ${kudos.id})` })
      .from(kudos)
      .where(eq(kudos.id, access.contentId));
    return { recipients: [access.authorId, ...(row?.receivers ?? []).map(Number)], notification: "comment" };
  },
  vote: (db, actor, itemId, value) => plusOneKudos(db, actor, itemId, value),
  remove: (db, actor, itemId) => withdrawKudos(db, actor, itemId, "Removed by a moderator after a flag."),
  searchDocument: (access) => ({ outbox: "kudos", id: access.contentId }),
});
