import { anonymousAskerOf } from "#app/features/anonymous/askers.server.ts";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { posts, questionTags, votes } from "#db/schema/index.ts";
import { lockUsers, recordReputation, reverseReputation } from "#app/features/reputation/ledger.server.ts";
import { getReputationRules, hasPrivilege, type ReputationActor } from "#app/features/reputation/rules.server.ts";
import { InputError } from "#app/lib/errors.ts";
import type { VoteOutcome, VoteValue } from "#app/features/social/registry.server.ts";
import { loadPost, loadPostBy, type PostKey, loadQuestion, type Post } from "./access.server.ts";
import { questionUrl } from "./question-url.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";

/**
 * Up and down votes on questions and answers: the "up-down" votes of the social layer's `votes`,
 * one per person per post's item (its primary key); the post's row is locked for the whole transaction, so concurrent votes on a post
 * take turns and the stored score, the vote counts and the reputation they cause stay exact.
 */

export type { VoteValue };

/** The tag ids of a question (an answer's are its question's): per-tag reputation is earned in them. */
export async function questionTagIds(tx: Db | Tx, questionId: number): Promise<number[]> {
  const rows = await tx.select({ tagId: questionTags.tagId }).from(questionTags).where(eq(questionTags.postId, questionId));
  return rows.map((r) => r.tagId);
}

/**
 * Casts, changes (1 ↔ -1) or retracts (0) the actor's vote on a post. A post the actor may not
 * see, or a deleted one, answers 404; voting on one's own post or voting down without the
 * privilege is an InputError with a message for the voter.
 */
export function castVote(db: Db, actor: ReputationActor, postId: number, value: VoteValue): Promise<VoteOutcome> {
  return castPostVote(db, actor, { postId }, value);
}

/** `castVote` for a post named by its post or item id (the kinds' vote, app/features/qa/kinds.server.ts). */
export async function castPostVote(db: Db, actor: ReputationActor, key: PostKey, value: VoteValue): Promise<VoteOutcome> {
  if (value !== 1 && value !== -1 && value !== 0) throw new InputError("A vote is up, down or none.");
  return db.transaction(async (tx) => {
    const { post, membership } = await loadPostBy(tx, actor, key, {
      forUpdate: true,
    });
    // An answer under a deleted or hidden question cannot be reached, so it cannot be voted on either.
    if (post.parentId) await loadQuestion(tx, actor, post.parentId);
    if (post.authorId === actor.id) throw new InputError("You can't vote on your own post.");
    // An anonymous question's author is the stand-in; its asker is still voting on their own post.
    if (post.parentId === null && (await anonymousAskerOf(tx, post.id)) === actor.id) throw new InputError("You can't vote on your own post.");
    const [existing] = await tx
      .select()
      .from(votes)
      .where(and(eq(votes.itemId, post.itemId), eq(votes.userId, actor.id)));
    const previous = (existing?.value ?? 0) as VoteValue;
    if (previous === value) return { score: post.score, myVote: value };
    const rules = await getReputationRules(tx);
    if (value === -1 && !hasPrivilege(actor, "voteDown", rules, membership)) {
      throw new InputError(`Voting down takes ${rules.thresholds.voteDown} reputation; you have ${actor.reputation}. You can still vote up what helps.`);
    }

    await lockUsers(tx, [post.authorId, actor.id]);
    if (existing?.authorEventId) await reverseReputation(tx, existing.authorEventId);
    if (existing?.voterEventId) await reverseReputation(tx, existing.voterEventId);

    if (value === 0) {
      await tx.delete(votes).where(and(eq(votes.itemId, post.itemId), eq(votes.userId, actor.id)));
    } else {
      const events = await voteEvents(tx, actor, post, value, rules);
      await tx
        .insert(votes)
        .values({ itemId: post.itemId, userId: actor.id, value, ...events })
        .onConflictDoUpdate({
          target: [votes.itemId, votes.userId],
          set: { value, ...events, updatedAt: new Date() },
        });
    }

    const up = (value === 1 ? 1 : 0) - (previous === 1 ? 1 : 0);
    const down = (value === -1 ? 1 : 0) - (previous === -1 ? 1 : 0);
    const [updated] = await tx
      .update(posts)
      .set({
        score: sql`${posts.score} + ${value - previous}`,
        upvoteCount: sql`${posts.upvoteCount} + ${up}`,
        downvoteCount: sql`${posts.downvoteCount} + ${down}`,
      })
      .where(eq(posts.id, post.id))
      .returning({ score: posts.score });
    // The question's document holds its score and its top answers (ranked by score); the people
    // whose reputation moved are named by the ledger.
    await enqueueIndexing(tx, "question", [post.parentId ?? post.id], { priority: 1 });
    return { score: updated!.score, myVote: value };
  });
}

/** The reputation a new vote causes: the author's gain or loss, and a downvoter's cost on answers (as on Stack Overflow). */
async function voteEvents(tx: Tx, actor: ReputationActor, post: Post, value: 1 | -1, rules: Awaited<ReturnType<typeof getReputationRules>>) {
  const tagIds = await questionTagIds(tx, post.parentId ?? post.id);
  const subject = {
    actorId: actor.id,
    itemId: post.itemId,
    spaceId: post.spaceId,
    tagIds,
    rules,
  };
  if (value === 1) {
    const question = post.type === "question";
    const author = await recordReputation(tx, {
      ...subject,
      userId: post.authorId,
      reason: question ? "question_upvoted" : "answer_upvoted",
      delta: question ? rules.weights.questionUpvoted : rules.weights.answerUpvoted,
      countsTowardCap: true,
    });
    return { authorEventId: author.id, voterEventId: null };
  }
  const author = await recordReputation(tx, {
    ...subject,
    userId: post.authorId,
    reason: "post_downvoted",
    delta: rules.weights.postDownvoted,
    countsTowardCap: false,
  });
  const voter =
    post.type === "answer"
      ? await recordReputation(tx, {
          ...subject,
          userId: actor.id,
          reason: "downvote_cast",
          delta: rules.weights.downvoteCast,
          countsTowardCap: false,
        })
      : null;
  return { authorEventId: author.id, voterEventId: voter?.id ?? null };
}

/** The actor's votes on these posts, for a question page: `{ [postId]: 1 | -1 }`. */
export async function myVotes(db: Db | Tx, actorId: number, postIds: readonly number[]): Promise<Record<number, 1 | -1>> {
  if (postIds.length === 0) return {};
  const rows = await db
    .select({ postId: posts.id, value: votes.value })
    .from(votes)
    .innerJoin(posts, eq(posts.itemId, votes.itemId))
    .where(and(eq(votes.userId, actorId), inArray(posts.id, [...postIds])));
  return Object.fromEntries(rows.map((r) => [r.postId, r.value === 1 ? 1 : -1]));
}

/**
 * Where a post sits on its question's page (`/questions/42/slug#answer-7`), for sending a
 * browser without JavaScript back after a vote or an accept. A hidden post answers 404.
 */
export async function postPermalink(db: Db | Tx, actor: ReputationActor, postId: number): Promise<string> {
  const { post } = await loadPost(db, actor, postId, { allowDeleted: true });
  if (!post.parentId) return `${questionUrl(post)}#question`;
  const { post: question } = await loadQuestion(db, actor, post.parentId, { allowDeleted: true });
  return questionUrl(question, `answer-${post.id}`);
}
