import { and, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { rewards, spaces } from "#db/schema/index.ts";
import { KIND_FEATURES } from "#app/features/social/kinds.ts";
import { type ItemAccess, type ItemSummary, registerKind } from "#app/features/social/registry.server.ts";
import { type Actor, canSeeSpace, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import { handlesRewards } from "./rewards.server.ts";

/**
 * Rewards on the social layer (docs/adding-a-kind.md): only so that the inbox can name them. The
 * notifications of a redemption's steps point at the reward's item; the reward has no comments,
 * votes, flags or search document. It lives in the company space, which every active employee
 * sees, so any of them can read the notification, even about a reward since withdrawn from the
 * catalogue. Where it leads depends on the reader: HR and admins to their queue, everyone else to
 * their own redemptions.
 */

const CATALOGUE_URL = "/rewards";

function urlFor(actor: Actor): string {
  return handlesRewards(actor) ? "/rewards/manage" : "/rewards/mine";
}

async function load(tx: Db | Tx, actor: Actor, itemId: number, options: { forUpdate?: boolean } = {}): Promise<ItemAccess> {
  if (!isRowId(itemId)) throw new NotFoundError();
  const query = tx
    .select({ reward: rewards, space: spaces })
    .from(rewards)
    .innerJoin(spaces, eq(spaces.id, rewards.spaceId))
    .where(and(eq(rewards.itemId, itemId), inVisibleSpace(actor, rewards.spaceId)));
  const [row] = options.forUpdate ? await query.for("update", { of: rewards }) : await query;
  if (!row || !canSeeSpace(actor, row.space, null)) throw new NotFoundError();
  return {
    itemId: row.reward.itemId,
    kind: "reward",
    contentId: row.reward.id,
    spaceId: row.reward.spaceId,
    space: row.space,
    membership: null,
    authorId: row.reward.createdById,
    deletedAt: null,
    deletedById: null,
    title: row.reward.name,
    pageItemId: row.reward.itemId,
    url: CATALOGUE_URL,
    canModerate: handlesRewards(actor),
  };
}

async function describe(db: Db | Tx, actor: Actor, itemIds: readonly number[]): Promise<ItemSummary[]> {
  const ids = itemIds.filter(isRowId);
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: rewards.id, itemId: rewards.itemId, spaceId: rewards.spaceId, name: rewards.name, createdById: rewards.createdById })
    .from(rewards)
    .where(and(inArray(rewards.itemId, ids), inVisibleSpace(actor, rewards.spaceId)));
  const url = urlFor(actor);
  return rows.map((r) => ({
    itemId: r.itemId,
    kind: "reward" as const,
    contentId: r.id,
    spaceId: r.spaceId,
    title: r.name,
    pageItemId: r.itemId,
    url,
    deleted: false,
    authorId: r.createdById,
    excerpt: r.name,
  }));
}

registerKind({
  kind: "reward",
  features: KIND_FEATURES.reward,
  load,
  describe,
  // Rewards take no comments: nothing counts them, and no one hears about them.
  async commentsChanged() {},
  async commentAudience() {
    return { recipients: [], notification: "reward" };
  },
  searchDocument: () => null,
});
