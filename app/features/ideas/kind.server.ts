import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { ideas } from "#db/schema/index.ts";
import { itemFollowers } from "#app/features/social/follows.server.ts";
import { plainExcerpt } from "#app/features/social/excerpt.ts";
import { KIND_FEATURES } from "#app/features/social/kinds.ts";
import { type ItemAccess, type ItemSummary, registerKind, type VoteOutcome, type VoteValue } from "#app/features/social/registry.server.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { type IdeaAccess, loadIdeaByItem } from "./access.server.ts";
import { acceptedOwnerIds } from "./audience.server.ts";
import { ideaUrl } from "./idea-url.ts";
import { castIdeaVote, retractIdeaVote } from "./votes.server.ts";

/**
 * Ideas on the social layer (docs/adding-a-kind.md): who sees one is loadIdea's rule (the
 * campaign's space), and the campaign's sponsor moderates its comments beside the space's
 * moderators. Ideas have no soft delete: one that is gone is a 404. Votes are support votes, one
 * per person, within the campaign's budget (votes.server.ts).
 *
 * This module must not import ideas.server.ts: that one reads comments through the social layer,
 * which imports every kind's registration (an import cycle).
 */

function toItemAccess({ idea, space, membership, canManage }: IdeaAccess): ItemAccess {
  return {
    itemId: idea.itemId,
    kind: "idea",
    contentId: idea.id,
    spaceId: idea.spaceId,
    space,
    membership,
    authorId: idea.authorId,
    deletedAt: null,
    deletedById: null,
    title: idea.title,
    pageItemId: idea.itemId,
    url: ideaUrl(idea),
    // The sponsor, admins, site moderators and the space's moderators.
    canModerate: canManage,
  };
}

async function describe(db: Db | Tx, actor: Actor, itemIds: readonly number[]): Promise<ItemSummary[]> {
  const ids = itemIds.filter(isRowId);
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: ideas.id, itemId: ideas.itemId, spaceId: ideas.spaceId, authorId: ideas.authorId, title: ideas.title, body: ideas.body })
    .from(ideas)
    .where(and(inArray(ideas.itemId, ids), inVisibleSpace(actor, ideas.spaceId)));
  return rows.map((r) => ({
    itemId: r.itemId,
    kind: "idea",
    contentId: r.id,
    spaceId: r.spaceId,
    title: r.title,
    pageItemId: r.itemId,
    url: ideaUrl(r),
    deleted: false,
    authorId: r.authorId,
    excerpt: `${r.title}: ${plainExcerpt(r.body, 180)}`,
  }));
}

async function vote(db: Db, actor: ReputationActor, itemId: number, value: VoteValue): Promise<VoteOutcome> {
  if (value === -1) {
    // Checked for visibility before anything is said about the vote: a hidden idea is a 404.
    await loadIdeaByItem(db, actor, itemId);
    throw new InputError("Ideas take support votes only: vote or take your vote back.");
  }
  // Casting and retracting load the idea for the voter (visibility, locks) in their transaction.
  const [row] = isRowId(itemId) ? await db.select({ id: ideas.id }).from(ideas).where(eq(ideas.itemId, itemId)) : [];
  if (!row) throw new NotFoundError();
  const result = value === 1 ? await castIdeaVote(db, actor, row.id) : await retractIdeaVote(db, actor, row.id);
  return { myVote: result.voted ? 1 : 0, score: result.voteCount, votesLeft: result.votesLeft };
}

registerKind({
  kind: "idea",
  features: KIND_FEATURES.idea,
  // `forUpdate` is loadIdea's lock: the campaign FOR SHARE, then the idea FOR UPDATE (decision 007's order).
  load: async (tx, actor, itemId, options) => toItemAccess(await loadIdeaByItem(tx, actor, itemId, { lock: options?.forUpdate })),
  describe,
  async commentsChanged(tx, access, delta) {
    await tx
      .update(ideas)
      .set({ commentCount: sql`greatest(${ideas.commentCount} + ${delta}, 0)` })
      .where(eq(ideas.id, access.contentId));
    // The comment count is in the idea's search document.
    await enqueueIndexing(tx, "idea", [access.contentId]);
  },
  async commentAudience(tx, access) {
    // Owners who accepted and followers; people only invited to own it are not told yet.
    const [owners, followers] = await Promise.all([acceptedOwnerIds(tx, access.contentId), itemFollowers(tx, access.itemId)]);
    return { recipients: [...new Set([...owners, ...followers])], notification: "idea_comment" };
  },
  vote,
  // No `remove`: ideas are not deleted but declined, so the moderation queue only dismisses their flags.
  searchDocument: (access) => ({ outbox: "idea", id: access.contentId }),
});
