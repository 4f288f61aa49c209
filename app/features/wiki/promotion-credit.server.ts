import { and, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { posts, reputationEvents, wikiPages, wikiPromotions } from "#db/schema/index.ts";
import { questionTagIds } from "#app/features/qa/votes.server.ts";
import { notify } from "#app/features/social/notify.server.ts";
import { recordWikiReputation } from "./reputation.server.ts";

/**
 * What happens when an answer has become a page or a section of one, whichever way it got there
 * (promoted straight in, or as a suggested edit an owner approved): the link between the two, a
 * reputation event for the answer's author, and their notification. Its own module because both
 * promotion.server.ts and suggestions.server.ts call it, and the first calls the second.
 *
 * The answer's author earns "answer_promoted" once per answer however many pages it becomes, and
 * not when they promoted it themselves. The answer's row is locked first, so two promotions of
 * one answer at once take turns and the second sees the first's event.
 */
export async function recordPromotion(tx: Tx, input: { postId: number; pageId: number; promotedById: number }): Promise<{ earned: number }> {
  const [answer] = await tx
    .select({ id: posts.id, itemId: posts.itemId, authorId: posts.authorId, parentId: posts.parentId, spaceId: posts.spaceId })
    .from(posts)
    .where(eq(posts.id, input.postId))
    .for("update");
  const [page] = await tx.select({ itemId: wikiPages.itemId, spaceId: wikiPages.spaceId }).from(wikiPages).where(eq(wikiPages.id, input.pageId));
  if (!answer || !page) return { earned: 0 };
  await tx.insert(wikiPromotions).values({ postId: answer.id, pageId: input.pageId, promotedById: input.promotedById }).onConflictDoNothing();
  await notify(tx, [answer.authorId], { kind: "promotion", actorId: input.promotedById, spaceId: page.spaceId, itemId: page.itemId });
  if (answer.authorId === input.promotedById) return { earned: 0 };
  const [earlier] = await tx
    .select({ id: reputationEvents.id })
    .from(reputationEvents)
    .where(
      and(
        eq(reputationEvents.itemId, answer.itemId),
        eq(reputationEvents.reason, "answer_promoted"),
        isNull(reputationEvents.reversesEventId),
        sql`not exists (select 1 from ${reputationEvents} r where r.reverses_event_id = ${reputationEvents.id})`,
      ),
    )
    .limit(1);
  if (earlier) return { earned: 0 };
  const event = await recordWikiReputation(tx, {
    userId: answer.authorId,
    reason: "answer_promoted",
    actorId: input.promotedById,
    // Earned on the answer (the profile links there), in its space, under its question's tags.
    itemId: answer.itemId,
    spaceId: answer.spaceId,
    tagIds: answer.parentId === null ? [] : await questionTagIds(tx, answer.parentId),
  });
  return { earned: event.delta };
}
