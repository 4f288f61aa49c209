import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { posts, questionTags } from "#db/schema/index.ts";
import { anonymousAskerOf } from "#app/features/anonymous/askers.server.ts";
import { notifyMentions } from "#app/features/notifications/mentions.server.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import { addComment as addItemComment } from "#app/features/social/comments.server.ts";
import { followInTx, itemFollowers, notifyTagFollowers } from "#app/features/social/follows.server.ts";
import { notify } from "#app/features/social/notify.server.ts";
import { appendRevision } from "#app/features/social/revisions.server.ts";
import { attachUploads } from "#app/features/uploads/attach.server.ts";
import { onceBySubmission } from "#app/features/social/submission.server.ts";
import { type Space, spaceBySlugForActor } from "#app/features/spaces/visibility.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import { isRowId } from "#app/lib/ids.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { recordRoutedAnswer } from "#app/features/routing/answers.server.ts";
// issue 21: webhook event
import { emitAnswerCreated, emitQuestionCreated } from "#app/features/webhooks/build.server.ts";
import { loadQuestion } from "./access.server.ts";
import type { AnswerInput, AskInput, CommentInput } from "./schemas.ts";
import { adjustSpaceTagCounts, resolveTags } from "./tag-writes.server.ts";
import { relatedTagsChanged } from "./related-tags.server.ts";

// Where these lived before the social layer; new code imports them from their modules.
export { renderField } from "#app/lib/markdown.server.ts";
export { adjustSpaceTagCounts, resolveTags } from "./tag-writes.server.ts";

/**
 * Writing questions, answers and comments. Each write is one transaction: the row, its first
 * revision, the counters it changes, follows and notifications. Markdown is rendered (and
 * sanitized) before the transaction opens; a text the module refuses comes back as a field error.
 */

const submissionColumns = { author: posts.authorId, key: posts.submissionKey, id: posts.id };

/**
 * Asking anonymously (app/features/anonymous/ask.server.ts) writes the same question under another
 * name: `writer` gives the account everyone sees as its author (the stand-in) once the space is
 * known, and `recorded` keeps the real asker apart; both run in this transaction. Everything others
 * can read (the post, its first revision, new tags, notifications) names the writer; the asker
 * only follows the question, so its answers still reach them.
 */
export type AskAs = {
  writer(tx: Tx, space: Space): Promise<number>;
  recorded(tx: Tx, question: { id: number; itemId: number }): Promise<void>;
};

export async function askQuestion(db: Db, actor: ReputationActor, input: AskInput, as?: AskAs): Promise<{ id: number; created: boolean }> {
  const bodyHtml = renderField(input.body);
  const asked = await db.transaction(async (tx) => {
    const { space, membership } = await spaceBySlugForActor(tx, actor, input.space);
    const writerId = as ? await as.writer(tx, space) : actor.id;
    let itemId = 0;
    let tagRows: Array<{ id: number; name: string }> = [];
    const { id, created } = await onceBySubmission(tx, posts, submissionColumns, writerId, input.submissionKey, async () => {
      // New tags take the asker's reputation but are recorded as the writer's.
      tagRows = await resolveTags(tx, { ...actor, id: writerId }, membership, input.tags);
      const [question] = await tx
        .insert(posts)
        .values({
          type: "question",
          spaceId: space.id,
          authorId: writerId,
          title: input.title,
          body: input.body,
          bodyHtml,
          tags: tagRows.map((t) => t.name),
          submissionKey: input.submissionKey ?? null,
        })
        .onConflictDoNothing({ target: [posts.authorId, posts.submissionKey] })
        .returning({ id: posts.id, itemId: posts.itemId });
      itemId = question?.itemId ?? 0;
      return question?.id ?? null;
    });
    if (!created) return { id, created: false };
    const tagIds = tagRows.map((t) => t.id);
    await tx.insert(questionTags).values(tagRows.map((t) => ({ postId: id, tagId: t.id })));
    await adjustSpaceTagCounts(tx, space.id, tagIds, 1);
    await appendRevision(tx, { itemId, kind: "create", editorId: writerId, title: input.title, body: input.body, tags: tagRows.map((t) => t.name) });
    await attachUploads(tx, { uploaderId: actor.id, itemId, body: input.body });
    if (as) await as.recorded(tx, { id, itemId });
    await followInTx(tx, actor.id, itemId);
    await enqueueIndexing(tx, "question", [id]);
    // A person's top tags come from the questions they ask and answer (not from anonymous ones, which are not theirs to anyone else).
    if (!as) await enqueueIndexing(tx, "person", [actor.id], { priority: 1 });
    // One notification per person: someone mentioned in the question is not told again as a tag follower.
    const mentioned = await notifyMentions(tx, { actorId: writerId, spaceId: space.id, itemId, text: input.body });
    await notifyTagFollowers(tx, { actorId: writerId, spaceId: space.id, itemId, tagIds, except: as ? new Set([...mentioned, actor.id]) : mentioned });
    // issue 21: webhook event
    await emitQuestionCreated(tx, { questionId: id, spaceId: space.id });
    return { id, created: true };
  });
  // The question joins its tags' latest questions, which related tags are counted on.
  if (asked.created) relatedTagsChanged();
  return asked;
}

export async function postAnswer(db: Db, actor: ReputationActor, questionId: number, input: AnswerInput): Promise<{ id: number; questionId: number; created: boolean }> {
  const bodyHtml = renderField(input.body);
  const answered = await db.transaction(async (tx) => {
    // Locking the question serializes its answer count with other answers, deletes and accepts.
    const { post: question } = await loadQuestion(tx, actor, questionId, { forUpdate: true });
    let itemId = 0;
    const { id, created } = await onceBySubmission(tx, posts, submissionColumns, actor.id, input.submissionKey, async () => {
      if (question.closedAt) throw new InputError("This question is closed, so it takes no new answers.");
      const [answer] = await tx
        .insert(posts)
        .values({
          type: "answer",
          spaceId: question.spaceId,
          parentId: question.id,
          authorId: actor.id,
          body: input.body,
          bodyHtml,
          submissionKey: input.submissionKey ?? null,
        })
        .onConflictDoNothing({ target: [posts.authorId, posts.submissionKey] })
        .returning({ id: posts.id, itemId: posts.itemId });
      itemId = answer?.itemId ?? 0;
      return answer?.id ?? null;
    });
    if (!created) {
      // A double submit: the first submit's answer (and the question it went to).
      const [first] = await tx.select({ parentId: posts.parentId }).from(posts).where(eq(posts.id, id));
      return { id, questionId: first?.parentId ?? questionId, created: false };
    }
    await appendRevision(tx, { itemId, kind: "create", editorId: actor.id, body: input.body });
    await attachUploads(tx, { uploaderId: actor.id, itemId, body: input.body });
    await tx
      .update(posts)
      .set({ answerCount: sql`${posts.answerCount} + 1`, lastActivityAt: sql`now()` })
      .where(eq(posts.id, question.id));
    await enqueueIndexing(tx, "question", [question.id]);
    await enqueueIndexing(tx, "person", [actor.id], { priority: 1 });
    const mentioned = await notifyMentions(tx, { actorId: actor.id, spaceId: question.spaceId, itemId: question.itemId, subjectItemId: itemId, text: input.body });
    const followers = await itemFollowers(tx, question.itemId);
    // The asker hears of every answer, following or not; an anonymous question's asker is kept apart from its author.
    const askerId = (await anonymousAskerOf(tx, question.id)) ?? question.authorId;
    await notify(
      tx,
      [askerId, ...followers].filter((userId) => !mentioned.has(userId)),
      {
        kind: "answer",
        actorId: actor.id,
        spaceId: question.spaceId,
        itemId: question.itemId,
        subjectItemId: itemId,
      },
    );
    await followInTx(tx, actor.id, question.itemId);
    // @routing-answer: the question's routing is answered; a person it was sent to earns the routed answer's reputation (docs/routing.md).
    await recordRoutedAnswer(tx, { questionId: question.id, questionItemId: question.itemId, spaceId: question.spaceId, authorId: actor.id });
    // issue 21: webhook event
    await emitAnswerCreated(tx, { answerId: id, questionId: question.id, spaceId: question.spaceId });
    return { id, questionId: question.id, created: true };
  });
  // The tag page's top answerers are counted on its tags' latest questions (tags.server.ts).
  if (answered.created) relatedTagsChanged();
  return answered;
}

/**
 * A comment on a question or answer named by its post id (the seed, the factories and the
 * importer name posts): the social layer's `addComment` on the post's item.
 */
export async function addComment(db: Db, actor: ReputationActor, postId: number, input: CommentInput): Promise<{ id: number; questionId: number; created: boolean }> {
  const [post] = isRowId(postId) ? await db.select({ itemId: posts.itemId, parentId: posts.parentId }).from(posts).where(eq(posts.id, postId)) : [];
  if (!post) throw new NotFoundError();
  const result = await addItemComment(db, actor, post.itemId, input);
  return { id: result.id, questionId: post.parentId ?? postId, created: result.created };
}

/** The item of a post (for callers that name posts), or a 404 for none. */
export async function postItemId(db: Db | Tx, postId: number): Promise<number> {
  const [post] = isRowId(postId) ? await db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, postId)) : [];
  if (!post) throw new NotFoundError();
  return post.itemId;
}
