import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { posts } from "#db/schema/index.ts";
import { anonymousAskerOf } from "#app/features/anonymous/askers.server.ts";
import { notify } from "#app/features/social/notify.server.ts";
import { ForbiddenError } from "#app/lib/errors.ts";
import { lockUsers, recordReputation, reverseReputation, unreversedEvents } from "#app/features/reputation/ledger.server.ts";
import { getReputationRules, isModerator, type ReputationActor } from "#app/features/reputation/rules.server.ts";
import { type Post, type PostAccess, loadPost, loadQuestion } from "./access.server.ts";
import { questionTagIds } from "./votes.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
// issue 21: webhook event
import { emitAnswerAccepted } from "#app/features/webhooks/build.server.ts";

/**
 * Accepting an answer: the asker (or a moderator) marks the answer that solved the question.
 * The answerer gets `answerAccepted` and the asker `acceptGiven`, as on Stack Overflow: nobody
 * earns reputation for accepting their own answer, and a moderator accepting on the asker's
 * behalf earns nothing. The events an accept created are the unreversed accept events on the
 * answer, so un-accepting or switching to another answer reverses exactly those.
 */

const ACCEPT_REASONS = ["answer_accepted", "accept_given"] as const;

/**
 * Only the asker and moderators accept; others see the question but may not change it (403). The
 * asker of an anonymous question is not its author (the stand-in is): they are found apart. Returns
 * whether the actor accepts as that hidden asker, who then acts under the stand-in's name.
 */
async function requireAccepter(tx: Tx, actor: ReputationActor, access: PostAccess): Promise<boolean> {
  if (access.post.authorId === actor.id) return false;
  const hiddenAsker = (await anonymousAskerOf(tx, access.post.id)) === actor.id;
  if (!hiddenAsker && !isModerator(actor, access.membership)) throw new ForbiddenError("Only the person who asked and the moderators of this space accept an answer.");
  return hiddenAsker;
}

/**
 * Takes back the reputation of an accept when its answer is deleted, inside the deleting
 * transaction (which holds the question's row lock). Restoring the answer does not restore the
 * accept: the asker accepts again.
 */
export async function withdrawAcceptOnDelete(tx: Tx, answer: Pick<Post, "itemId" | "authorId">, question: Pick<Post, "authorId">): Promise<void> {
  await lockUsers(tx, [answer.authorId, question.authorId]);
  await reverseAccept(tx, answer.itemId);
}

/** Reverses the accept events still standing on an answer (by its item: the ledger names items). */
async function reverseAccept(tx: Tx, answerItemId: number): Promise<void> {
  for (const id of await unreversedEvents(tx, answerItemId, ACCEPT_REASONS)) await reverseReputation(tx, id);
}

export async function acceptAnswer(db: Db, actor: ReputationActor, answerId: number): Promise<{ questionId: number; acceptedAnswerId: number }> {
  return db.transaction(async (tx) => {
    const { post: found } = await loadPost(tx, actor, answerId, {
      type: "answer",
    });
    // The question's row is the lock: accepts, answers and deletes on one thread take turns.
    const access = await loadQuestion(tx, actor, found.parentId!, {
      forUpdate: true,
    });
    const question = access.post;
    // An anonymous asker's accept is shown (ledger, notification) as the stand-in's, which earns nothing for accepting.
    const shownActorId = (await requireAccepter(tx, actor, access)) ? question.authorId : actor.id;
    const { post: answer } = await loadPost(tx, actor, answerId, {
      type: "answer",
    });
    if (question.acceptedAnswerId === answer.id) return { questionId: question.id, acceptedAnswerId: answer.id };

    const previous = question.acceptedAnswerId ? await answerOf(tx, question.acceptedAnswerId) : null;
    await lockUsers(tx, [answer.authorId, actor.id, question.authorId, ...(previous ? [previous.authorId] : [])]);
    if (previous) await reverseAccept(tx, previous.itemId);

    const rules = await getReputationRules(tx);
    const tagIds = await questionTagIds(tx, question.id);
    const subject = {
      actorId: shownActorId,
      itemId: answer.itemId,
      spaceId: question.spaceId,
      tagIds,
      rules,
      countsTowardCap: false,
    };
    const ownAnswer = answer.authorId === question.authorId || answer.authorId === actor.id;
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
      actorId: shownActorId,
      spaceId: question.spaceId,
      itemId: question.itemId,
      subjectItemId: answer.itemId,
    });
    // issue 21: webhook event
    await emitAnswerAccepted(tx, { answerId: answer.id, questionId: question.id, spaceId: question.spaceId });
    return { questionId: question.id, acceptedAnswerId: answer.id };
  });
}

/**
 * Takes the accept back. With `answerId`, only when that answer is still the accepted one (a
 * stale page must not un-accept the answer someone chose since).
 */
export async function unacceptAnswer(db: Db, actor: ReputationActor, questionId: number, options: { answerId?: number } = {}): Promise<{ questionId: number }> {
  return db.transaction(async (tx) => {
    const access = await loadQuestion(tx, actor, questionId, {
      forUpdate: true,
    });
    await requireAccepter(tx, actor, access);
    const question: Post = access.post;
    // Already un-accepted (a second click, another tab): nothing to undo.
    if (!question.acceptedAnswerId || (options.answerId !== undefined && options.answerId !== question.acceptedAnswerId)) return { questionId: question.id };
    const accepted = await answerOf(tx, question.acceptedAnswerId);
    await lockUsers(tx, [accepted?.authorId ?? actor.id, actor.id, question.authorId]);
    if (accepted) await reverseAccept(tx, accepted.itemId);
    await tx.update(posts).set({ acceptedAnswerId: null }).where(eq(posts.id, question.id));
    await enqueueIndexing(tx, "question", [question.id]);
    return { questionId: question.id };
  });
}

async function answerOf(tx: Tx, postId: number): Promise<{ authorId: number; itemId: number } | null> {
  const [row] = await tx.select({ authorId: posts.authorId, itemId: posts.itemId }).from(posts).where(eq(posts.id, postId));
  return row ?? null;
}
