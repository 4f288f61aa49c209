import { eq, sql } from "drizzle-orm";
import { data } from "react-router";
import type { Db, Tx } from "#db/client.server.ts";
import { posts } from "#db/schema/index.ts";
import { notify } from "#app/features/notifications/notify.server.ts";
import {
  lockUsers,
  recordReputation,
  reverseReputation,
  unreversedEvents,
} from "#app/features/reputation/ledger.server.ts";
import {
  getReputationRules,
  isModerator,
  type ReputationActor,
} from "#app/features/reputation/rules.server.ts";
import {
  type Post,
  type PostAccess,
  loadPost,
  loadQuestion,
} from "./access.server.ts";
import { questionTagIds } from "./votes.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";

/**
 * Accepting an answer: the asker (or a moderator) marks the answer that solved the question.
 * The answerer gets `answerAccepted` and the asker `acceptGiven`, as on Stack Overflow: nobody
 * earns reputation for accepting their own answer, and a moderator accepting on the asker's
 * behalf earns nothing. The events an accept created are the unreversed accept events on the
 * answer, so un-accepting or switching to another answer reverses exactly those.
 */

const ACCEPT_REASONS = ["answer_accepted", "accept_given"] as const;

/** Only the asker and moderators accept; others see the question but may not change it (403). */
function requireAccepter(actor: ReputationActor, access: PostAccess): void {
  if (
    access.post.authorId !== actor.id &&
    !isModerator(actor, access.membership)
  )
    throw data(null, { status: 403 });
}

/**
 * Takes back the reputation of an accept when its answer is deleted, inside the deleting
 * transaction (which holds the question's row lock). Restoring the answer does not restore the
 * accept: the asker accepts again.
 */
export async function withdrawAcceptOnDelete(tx: Tx, answer: Pick<Post, "id" | "authorId">, question: Pick<Post, "authorId">): Promise<void> {
  await lockUsers(tx, [answer.authorId, question.authorId]);
  await reverseAccept(tx, answer.id);
}

async function reverseAccept(tx: Tx, answerId: number): Promise<void> {
  for (const id of await unreversedEvents(tx, answerId, ACCEPT_REASONS))
    await reverseReputation(tx, id);
}

export async function acceptAnswer(
  db: Db,
  actor: ReputationActor,
  answerId: number,
): Promise<{ questionId: number; acceptedAnswerId: number }> {
  return db.transaction(async (tx) => {
    const { post: found } = await loadPost(tx, actor, answerId, {
      type: "answer",
    });
    // The question's row is the lock: accepts, answers and deletes on one thread take turns.
    const access = await loadQuestion(tx, actor, found.parentId!, {
      forUpdate: true,
    });
    const question = access.post;
    requireAccepter(actor, access);
    const { post: answer } = await loadPost(tx, actor, answerId, {
      type: "answer",
    });
    if (question.acceptedAnswerId === answer.id)
      return { questionId: question.id, acceptedAnswerId: answer.id };

    const previous = question.acceptedAnswerId
      ? await authorOf(tx, question.acceptedAnswerId)
      : null;
    await lockUsers(tx, [
      answer.authorId,
      actor.id,
      question.authorId,
      ...(previous ? [previous] : []),
    ]);
    if (question.acceptedAnswerId)
      await reverseAccept(tx, question.acceptedAnswerId);

    const rules = await getReputationRules(tx);
    const tagIds = await questionTagIds(tx, question.id);
    const subject = {
      actorId: actor.id,
      postId: answer.id,
      spaceId: question.spaceId,
      tagIds,
      rules,
      countsTowardCap: false,
    };
    const ownAnswer =
      answer.authorId === question.authorId || answer.authorId === actor.id;
    if (!ownAnswer)
      await recordReputation(tx, {
        ...subject,
        userId: answer.authorId,
        reason: "answer_accepted",
        delta: rules.weights.answerAccepted,
      });
    if (actor.id === question.authorId && !ownAnswer)
      await recordReputation(tx, {
        ...subject,
        userId: actor.id,
        reason: "accept_given",
        delta: rules.weights.acceptGiven,
      });

    await tx
      .update(posts)
      .set({ acceptedAnswerId: answer.id, lastActivityAt: sql`now()` })
      .where(eq(posts.id, question.id));
    await enqueueIndexing(tx, "question", [question.id]);
    await notify(tx, [answer.authorId], {
      kind: "accept",
      actorId: actor.id,
      spaceId: question.spaceId,
      questionId: question.id,
      postId: answer.id,
    });
    return { questionId: question.id, acceptedAnswerId: answer.id };
  });
}

/**
 * Takes the accept back. With `answerId`, only when that answer is still the accepted one (a
 * stale page must not un-accept the answer someone chose since).
 */
export async function unacceptAnswer(
  db: Db,
  actor: ReputationActor,
  questionId: number,
  options: { answerId?: number } = {},
): Promise<{ questionId: number }> {
  return db.transaction(async (tx) => {
    const access = await loadQuestion(tx, actor, questionId, {
      forUpdate: true,
    });
    requireAccepter(actor, access);
    const question: Post = access.post;
    // Already un-accepted (a second click, another tab): nothing to undo.
    if (!question.acceptedAnswerId || (options.answerId !== undefined && options.answerId !== question.acceptedAnswerId)) return { questionId: question.id };
    const author = await authorOf(tx, question.acceptedAnswerId);
    await lockUsers(tx, [author ?? actor.id, actor.id, question.authorId]);
    await reverseAccept(tx, question.acceptedAnswerId);
    await tx
      .update(posts)
      .set({ acceptedAnswerId: null })
      .where(eq(posts.id, question.id));
    await enqueueIndexing(tx, "question", [question.id]);
    return { questionId: question.id };
  });
}

async function authorOf(tx: Tx, postId: number): Promise<number | null> {
  const [row] = await tx
    .select({ authorId: posts.authorId })
    .from(posts)
    .where(eq(posts.id, postId));
  return row?.authorId ?? null;
}
