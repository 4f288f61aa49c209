import { and, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { articles, votes } from "#db/schema/index.ts";
import { lockUsers, recordReputation, reverseReputation } from "#app/features/reputation/ledger.server.ts";
import { getReputationRules, hasPrivilege, type ReputationActor } from "#app/features/reputation/rules.server.ts";
import type { VoteOutcome, VoteValue } from "#app/features/social/registry.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { loadArticleBy } from "./access.server.ts";

/**
 * Up and down votes on articles, as on answers: one per person per article's item, the article's
 * row locked for the whole transaction so the score, the counts and the reputation they cause stay
 * exact. The author gains `articleUpvoted` for an upvote (within the daily cap, as for posts) and
 * loses `articleDownvoted` for a downvote; voting down takes the same privilege as on posts. Only a
 * published article can be voted on: a draft is its author's, who may not vote on their own.
 */
export async function castArticleVote(db: Db, actor: ReputationActor, itemId: number, value: VoteValue): Promise<VoteOutcome> {
  if (value !== 1 && value !== -1 && value !== 0) throw new InputError("A vote is up, down or none.");
  return db.transaction(async (tx) => {
    const { article, membership } = await loadArticleBy(tx, actor, { itemId }, { forUpdate: true });
    if (article.authorId === actor.id) throw new InputError("You can't vote on your own article.");
    const [existing] = await tx
      .select()
      .from(votes)
      .where(and(eq(votes.itemId, article.itemId), eq(votes.userId, actor.id)));
    const previous = (existing?.value ?? 0) as VoteValue;
    if (previous === value) return { score: article.score, myVote: value };
    const rules = await getReputationRules(tx);
    if (value === -1 && !hasPrivilege(actor, "voteDown", rules, membership)) {
      throw new InputError(`Voting down takes ${rules.thresholds.voteDown} reputation; you have ${actor.reputation}. You can still vote up what helps.`);
    }

    await lockUsers(tx, [article.authorId, actor.id]);
    if (existing?.authorEventId) await reverseReputation(tx, existing.authorEventId);
    if (existing?.voterEventId) await reverseReputation(tx, existing.voterEventId);

    if (value === 0) {
      await tx.delete(votes).where(and(eq(votes.itemId, article.itemId), eq(votes.userId, actor.id)));
    } else {
      const event = await recordReputation(tx, {
        userId: article.authorId,
        reason: value === 1 ? "article_upvoted" : "article_downvoted",
        delta: value === 1 ? rules.weights.articleUpvoted : rules.weights.articleDownvoted,
        actorId: actor.id,
        itemId: article.itemId,
        spaceId: article.spaceId,
        // Article tags are labels on the article, not rows of `tags`: no per-tag reputation.
        tagIds: [],
        countsTowardCap: value === 1,
        rules,
      });
      const events = { authorEventId: event.id, voterEventId: null };
      await tx
        .insert(votes)
        .values({ itemId: article.itemId, userId: actor.id, value, ...events })
        .onConflictDoUpdate({ target: [votes.itemId, votes.userId], set: { value, ...events, updatedAt: new Date() } });
    }

    const up = (value === 1 ? 1 : 0) - (previous === 1 ? 1 : 0);
    const down = (value === -1 ? 1 : 0) - (previous === -1 ? 1 : 0);
    const [updated] = await tx
      .update(articles)
      .set({
        score: sql`${articles.score} + ${value - previous}`,
        upvoteCount: sql`${articles.upvoteCount} + ${up}`,
        downvoteCount: sql`${articles.downvoteCount} + ${down}`,
      })
      .where(eq(articles.id, article.id))
      .returning({ score: articles.score });
    // The score is in the article's search document.
    await enqueueIndexing(tx, "article", [article.id], { priority: 1 });
    return { score: updated!.score, myVote: value };
  });
}
