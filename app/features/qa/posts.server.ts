import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { comments, postRevisions, posts, questionFollows, questionTags, spaceTags, tags } from "#db/schema/index.ts";
import { notifyTagFollowers } from "#app/features/notifications/follows.server.ts";
import { notifyMentions } from "#app/features/notifications/mentions.server.ts";
import { notify } from "#app/features/notifications/notify.server.ts";
import { getReputationRules, hasPrivilege, type ReputationActor } from "#app/features/reputation/rules.server.ts";
import { type Membership, spaceBySlugForActor } from "#app/features/spaces/visibility.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { MarkdownError, renderMarkdown } from "#app/lib/markdown.server.ts";
import { loadPost, loadQuestion } from "./access.server.ts";
import type { AnswerInput, AskInput, CommentInput } from "./schemas.ts";

/**
 * Writing questions, answers and comments. Each write is one transaction: the row, its first
 * revision, the counters it changes, follows and notifications. Markdown is rendered (and
 * sanitized) before the transaction opens; a text the module refuses comes back as a field error.
 */

/** Markdown to stored HTML, or an InputError on `field` saying what to change. */
export function renderField(source: string, field = "body"): string {
  try {
    return renderMarkdown(source);
  } catch (error) {
    if (error instanceof MarkdownError) throw InputError.field(field, error.message);
    throw error;
  }
}

/**
 * The tag rows for these names, in the given order. Missing tags are created when the actor may
 * create tags (reputation threshold or moderator); otherwise an InputError names the new tag.
 */
export async function resolveTags(tx: Tx, actor: ReputationActor, membership: Membership, names: string[]): Promise<Array<{ id: number; name: string }>> {
  if (names.length === 0) return [];
  const found = await tx.select({ id: tags.id, name: tags.name }).from(tags).where(inArray(tags.name, names));
  const missing = names.filter((n) => !found.some((t) => t.name === n));
  if (missing.length > 0) {
    const rules = await getReputationRules(tx);
    if (!hasPrivilege(actor, "createTag", rules, membership)) {
      const list = missing.map((n) => `“${n}”`).join(", ");
      throw InputError.field(
        "tags",
        `${list} ${missing.length === 1 ? "is a new tag" : "are new tags"}. Creating tags takes ${rules.thresholds.createTag} reputation (you have ${actor.reputation}): use an existing tag, or ask a moderator to create it.`,
      );
    }
    await tx
      .insert(tags)
      .values(missing.map((name) => ({ name, createdById: actor.id })))
      .onConflictDoNothing();
    found.push(...(await tx.select({ id: tags.id, name: tags.name }).from(tags).where(inArray(tags.name, missing))));
  }
  return names.map((n) => found.find((t) => t.name === n)!);
}

/** Moves a question's tag counts in its space by `delta` (+1 when it gains tags or is restored, -1 when it loses them). */
export async function adjustSpaceTagCounts(tx: Tx, spaceId: number, tagIds: number[], delta: 1 | -1): Promise<void> {
  if (tagIds.length === 0) return;
  await tx
    .insert(spaceTags)
    .values(tagIds.map((tagId) => ({ spaceId, tagId, questionCount: Math.max(delta, 0) })))
    .onConflictDoUpdate({
      target: [spaceTags.spaceId, spaceTags.tagId],
      set: { questionCount: sql`greatest(${spaceTags.questionCount} + ${delta}, 0)` },
    });
}

async function existingSubmission(tx: Tx, authorId: number, key: string | undefined) {
  if (!key) return null;
  const [row] = await tx
    .select({ id: posts.id, parentId: posts.parentId })
    .from(posts)
    .where(and(eq(posts.authorId, authorId), eq(posts.submissionKey, key)));
  return row ?? null;
}

export async function askQuestion(db: Db, actor: ReputationActor, input: AskInput): Promise<{ id: number; created: boolean }> {
  const bodyHtml = renderField(input.body);
  return db.transaction(async (tx) => {
    const { space, membership } = await spaceBySlugForActor(tx, actor, input.space);
    const earlier = await existingSubmission(tx, actor.id, input.submissionKey);
    if (earlier) return { id: earlier.id, created: false };
    const tagRows = await resolveTags(tx, actor, membership, input.tags);
    const [question] = await tx
      .insert(posts)
      .values({
        type: "question",
        spaceId: space.id,
        authorId: actor.id,
        title: input.title,
        body: input.body,
        bodyHtml,
        tags: tagRows.map((t) => t.name),
        submissionKey: input.submissionKey ?? null,
      })
      .onConflictDoNothing({ target: [posts.authorId, posts.submissionKey] })
      .returning({ id: posts.id });
    if (!question) {
      // A second submit raced the first one past the check above: answer with the first one's question.
      const first = await existingSubmission(tx, actor.id, input.submissionKey);
      return { id: first!.id, created: false };
    }
    await tx.insert(questionTags).values(tagRows.map((t) => ({ postId: question.id, tagId: t.id })));
    await adjustSpaceTagCounts(
      tx,
      space.id,
      tagRows.map((t) => t.id),
      1,
    );
    await tx.insert(postRevisions).values({
      postId: question.id,
      number: 1,
      kind: "create",
      editorId: actor.id,
      title: input.title,
      body: input.body,
      tags: tagRows.map((t) => t.name),
    });
    await tx.insert(questionFollows).values({ userId: actor.id, postId: question.id }).onConflictDoNothing();
    await enqueueIndexing(tx, "question", [question.id]);
    // A person's top tags come from the questions they ask and answer.
    await enqueueIndexing(tx, "person", [actor.id]);
    // One notification per person: someone mentioned in the question is not told again as a tag follower.
    const mentioned = await notifyMentions(tx, { actorId: actor.id, spaceId: space.id, questionId: question.id, postId: question.id, text: input.body });
    await notifyTagFollowers(tx, { actorId: actor.id, spaceId: space.id, questionId: question.id, tagIds: tagRows.map((t) => t.id), except: mentioned });
    return { id: question.id, created: true };
  });
}

/** People following a question (its asker follows it from the start). */
async function questionFollowers(tx: Tx, questionId: number): Promise<number[]> {
  const rows = await tx.select({ userId: questionFollows.userId }).from(questionFollows).where(eq(questionFollows.postId, questionId));
  return rows.map((r) => r.userId);
}

export async function postAnswer(db: Db, actor: ReputationActor, questionId: number, input: AnswerInput): Promise<{ id: number; questionId: number; created: boolean }> {
  const bodyHtml = renderField(input.body);
  return db.transaction(async (tx) => {
    // Locking the question serializes its answer count with other answers, deletes and accepts.
    const { post: question } = await loadQuestion(tx, actor, questionId, { forUpdate: true });
    const earlier = await existingSubmission(tx, actor.id, input.submissionKey);
    if (earlier) return { id: earlier.id, questionId: earlier.parentId ?? questionId, created: false };
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
      .returning({ id: posts.id });
    if (!answer) {
      const first = await existingSubmission(tx, actor.id, input.submissionKey);
      return { id: first!.id, questionId, created: false };
    }
    await tx.insert(postRevisions).values({ postId: answer.id, number: 1, kind: "create", editorId: actor.id, body: input.body });
    await tx
      .update(posts)
      .set({ answerCount: sql`${posts.answerCount} + 1`, lastActivityAt: sql`now()` })
      .where(eq(posts.id, question.id));
    await enqueueIndexing(tx, "question", [question.id]);
    await enqueueIndexing(tx, "person", [actor.id]);
    const mentioned = await notifyMentions(tx, { actorId: actor.id, spaceId: question.spaceId, questionId: question.id, postId: answer.id, text: input.body });
    const followers = await questionFollowers(tx, question.id);
    await notify(tx, [question.authorId, ...followers].filter((id) => !mentioned.has(id)), {
      kind: "answer",
      actorId: actor.id,
      spaceId: question.spaceId,
      questionId: question.id,
      postId: answer.id,
    });
    await tx.insert(questionFollows).values({ userId: actor.id, postId: question.id }).onConflictDoNothing();
    return { id: answer.id, questionId: question.id, created: true };
  });
}

export async function addComment(db: Db, actor: ReputationActor, postId: number, input: CommentInput): Promise<{ id: number; questionId: number; created: boolean }> {
  const bodyHtml = renderField(input.body);
  return db.transaction(async (tx) => {
    const { post } = await loadPost(tx, actor, postId);
    const questionId = post.parentId ?? post.id;
    if (post.parentId) await loadQuestion(tx, actor, post.parentId);
    if (input.submissionKey) {
      const [earlier] = await tx
        .select({ id: comments.id })
        .from(comments)
        .where(and(eq(comments.authorId, actor.id), eq(comments.submissionKey, input.submissionKey)));
      if (earlier) return { id: earlier.id, questionId, created: false };
    }
    const [comment] = await tx
      .insert(comments)
      .values({ postId: post.id, spaceId: post.spaceId, authorId: actor.id, body: input.body, bodyHtml, submissionKey: input.submissionKey ?? null })
      .onConflictDoNothing({ target: [comments.authorId, comments.submissionKey] })
      .returning({ id: comments.id });
    if (!comment) {
      const [first] = await tx
        .select({ id: comments.id })
        .from(comments)
        .where(and(eq(comments.authorId, actor.id), eq(comments.submissionKey, input.submissionKey!)));
      return { id: first!.id, questionId, created: false };
    }
    await tx
      .update(posts)
      .set({ commentCount: sql`${posts.commentCount} + 1` })
      .where(eq(posts.id, post.id));
    await tx.update(posts).set({ lastActivityAt: sql`now()` }).where(eq(posts.id, questionId));
    // Comments are not indexed, but the question's activity time (a sort key of its document) moved.
    await enqueueIndexing(tx, "question", [questionId]);
    const mentioned = await notifyMentions(tx, { actorId: actor.id, spaceId: post.spaceId, questionId, postId: post.id, commentId: comment.id, text: input.body });
    const followers = await questionFollowers(tx, questionId);
    await notify(tx, [post.authorId, ...followers].filter((id) => !mentioned.has(id)), {
      kind: "comment",
      actorId: actor.id,
      spaceId: post.spaceId,
      questionId,
      postId: post.id,
      commentId: comment.id,
    });
    return { id: comment.id, questionId, created: true };
  });
}
