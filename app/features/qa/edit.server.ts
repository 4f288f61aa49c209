import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { posts, questionTags } from "#db/schema/index.ts";
import { notifyMentions } from "#app/features/notifications/mentions.server.ts";
import { getReputationRules, hasPrivilege, type ReputationActor } from "#app/features/reputation/rules.server.ts";
import { canToggleDeletion, MODERATOR_DELETED } from "#app/features/social/deletion.ts";
import { appendRevision, revisionAt } from "#app/features/social/revisions.server.ts";
import { attachUploads } from "#app/features/uploads/attach.server.ts";
import { ForbiddenError, InputError } from "#app/lib/errors.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { type Post, type PostAccess, type PostKey, loadPost, loadPostBy, loadQuestion, postNotFound } from "./access.server.ts";
import { withdrawAcceptOnDelete } from "./accept.server.ts";
import type { EditInput } from "./schemas.ts";
import { adjustSpaceTagCounts, resolveTags } from "./tag-writes.server.ts";
import { relatedTagsChanged } from "./related-tags.server.ts";
import { recordDeletion } from "#app/features/audit/audit.server.ts";

/**
 * Editing, rolling back, deleting and undeleting questions and answers (comments are the social
 * layer's, app/features/social/comments.server.ts). Each write is
 * one transaction on the locked post row; every edit and rollback appends a revision, and the
 * counters a change touches (answer counts, comment counts, per-space tag counts) move with it.
 *
 * Lock order, shared with answering and accepting: the question row first, then the answer row.
 */

/** Who may edit a post: its author, moderators, and people with the "edit others" privilege. */
export async function canEditPost(db: Db | Tx, actor: ReputationActor, access: PostAccess): Promise<boolean> {
  if (access.post.authorId === actor.id || access.canModerate) return true;
  return hasPrivilege(actor, "editOthers", await getReputationRules(db), access.membership);
}

/** Locks a post, and for an answer its question before it, so that edits, deletes and accepts serialize. */
async function lockPost(tx: Tx, actor: ReputationActor, key: PostKey, options: { allowDeleted: boolean }): Promise<PostAccess & { question: Post | null }> {
  const peek = await loadPostBy(tx, actor, key, options);
  const question = peek.post.parentId ? (await loadQuestion(tx, actor, peek.post.parentId, { forUpdate: true, allowDeleted: true })).post : null;
  const access = await loadPost(tx, actor, peek.post.id, { ...options, forUpdate: true });
  return { ...access, question };
}

type Change = EditInput & { kind: "edit" | "rollback"; rolledBackTo?: number };

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

async function applyChange(db: Db, actor: ReputationActor, postId: number, change: Change, bodyHtml: string): Promise<{ revision: number }> {
  let retagged = false;
  const applied = await db.transaction(async (tx) => {
    const access = await lockPost(tx, actor, { postId }, { allowDeleted: false });
    const { post, membership, question } = access;
    if (!(await canEditPost(tx, actor, access))) throw new ForbiddenError("You can edit your own posts; editing other people's takes more reputation.");
    const isQuestion = post.type === "question";
    const title = isQuestion ? (change.title ?? post.title!) : null;
    const tagNames = isQuestion ? (change.tags ?? post.tags) : [];
    if (title === post.title && change.body === post.body && sameList(tagNames, post.tags)) {
      throw new InputError(
        change.kind === "rollback" ? "That revision is the current text already: there is nothing to roll back." : "Nothing changed: edit the text, title or tags before saving.",
      );
    }

    if (isQuestion && !sameList(tagNames, post.tags)) {
      const tagRows = await resolveTags(tx, actor, membership, tagNames);
      const current = await tx.select({ tagId: questionTags.tagId }).from(questionTags).where(eq(questionTags.postId, post.id));
      const currentIds = new Set(current.map((r) => r.tagId));
      const nextIds = new Set(tagRows.map((t) => t.id));
      const removed = [...currentIds].filter((id) => !nextIds.has(id));
      const added = [...nextIds].filter((id) => !currentIds.has(id));
      retagged = true;
      if (removed.length > 0) await tx.delete(questionTags).where(and(eq(questionTags.postId, post.id), inArray(questionTags.tagId, removed)));
      if (added.length > 0) await tx.insert(questionTags).values(added.map((tagId) => ({ postId: post.id, tagId })));
      await adjustSpaceTagCounts(tx, post.spaceId, removed, -1);
      await adjustSpaceTagCounts(tx, post.spaceId, added, 1);
      // The top tags of the asker and of everyone who answered come from this question's tags.
      const answerers = await tx
        .select({ authorId: posts.authorId })
        .from(posts)
        .where(and(eq(posts.parentId, post.id), isNull(posts.deletedAt)));
      await enqueueIndexing(tx, "person", [post.authorId, ...answerers.map((a) => a.authorId)], { priority: 1 });
    }

    const { number } = await appendRevision(tx, {
      itemId: post.itemId,
      kind: change.kind,
      editorId: actor.id,
      title,
      body: change.body,
      tags: tagNames,
      comment: change.comment,
      rolledBackTo: change.rolledBackTo ?? null,
    });
    await tx
      .update(posts)
      .set({
        ...(isQuestion ? { title, tags: tagNames } : {}),
        body: change.body,
        bodyHtml,
        lastEditedAt: sql`now()`,
        lastEditorId: actor.id,
        revisionCount: number,
      })
      .where(eq(posts.id, post.id));
    // Files the editor pasted into the new text now belong to this post.
    await attachUploads(tx, { uploaderId: actor.id, itemId: post.itemId, body: change.body });
    await tx
      .update(posts)
      .set({ lastActivityAt: sql`now()` })
      .where(eq(posts.id, post.parentId ?? post.id));
    // An answer's text lives in its question's document.
    await enqueueIndexing(tx, "question", [post.parentId ?? post.id]);
    // Only people the new text mentions and the old one did not.
    await notifyMentions(tx, { actorId: actor.id, spaceId: post.spaceId, itemId: (question ?? post).itemId, subjectItemId: post.itemId, text: change.body, previousText: post.body });
    return { revision: number };
  });
  // Related tags are counted on the questions carrying each tag: after the commit, so no read keeps the old tags.
  if (retagged) relatedTagsChanged();
  return applied;
}

/** Edits a question (title, body, tags) or an answer (body), keeping the old text as a revision. */
export async function editPost(db: Db, actor: ReputationActor, postId: number, input: EditInput): Promise<{ revision: number }> {
  const bodyHtml = renderField(input.body);
  return applyChange(db, actor, postId, { ...input, kind: "edit" }, bodyHtml);
}

/** Restores an earlier revision's title, body and tags as a new revision. */
export async function rollbackPost(db: Db, actor: ReputationActor, postId: number, revisionNumber: number): Promise<{ revision: number }> {
  const { post } = await loadPost(db, actor, postId);
  const target = await revisionAt(db, post.itemId, revisionNumber);
  if (!target) postNotFound();
  const bodyHtml = renderField(target.body);
  return applyChange(
    db,
    actor,
    postId,
    {
      ...(target.title !== null ? { title: target.title, tags: target.tags } : {}),
      body: target.body,
      comment: `Rolled back to revision ${revisionNumber}`,
      kind: "rollback",
      rolledBackTo: revisionNumber,
    },
    bodyHtml,
  );
}

/**
 * Soft-deletes (or restores) a question or answer. An answer leaves (or rejoins) its question's
 * answer count and, when deleted, stops being the accepted one; a question leaves (or rejoins)
 * its tags' counts in the space. Deleting what is already deleted changes nothing.
 */
async function setPostDeleted(db: Db | Tx, actor: ReputationActor, key: PostKey, deleted: boolean): Promise<{ changed: boolean; questionId: number }> {
  const result = await db.transaction(async (tx) => {
    const { post, question, canModerate } = await lockPost(tx, actor, key, { allowDeleted: true });
    if (post.authorId !== actor.id && !canModerate) throw new ForbiddenError("Only the author or a moderator can delete or restore this post.");
    if (!deleted && !canToggleDeletion(actor.id, post, canModerate)) throw new ForbiddenError(MODERATOR_DELETED);
    const questionId = question?.id ?? post.id;
    if ((post.deletedAt !== null) === deleted) return { changed: false, questionId };
    await tx
      .update(posts)
      .set(deleted ? { deletedAt: sql`now()`, deletedById: actor.id } : { deletedAt: null, deletedById: null })
      .where(eq(posts.id, post.id));
    await recordDeletion(tx, actor.id, { type: post.type, id: post.itemId, spaceId: post.spaceId, authorId: post.authorId }, deleted);
    if (question) {
      if (deleted && question.acceptedAnswerId === post.id) await withdrawAcceptOnDelete(tx, post, question);
      await tx
        .update(posts)
        .set({
          answerCount: sql`greatest(${posts.answerCount} + ${deleted ? -1 : 1}, 0)`,
          ...(deleted && question.acceptedAnswerId === post.id ? { acceptedAnswerId: null } : {}),
        })
        .where(eq(posts.id, question.id));
    } else {
      const tagRows = await tx.select({ tagId: questionTags.tagId }).from(questionTags).where(eq(questionTags.postId, post.id));
      await adjustSpaceTagCounts(
        tx,
        post.spaceId,
        tagRows.map((r) => r.tagId),
        deleted ? -1 : 1,
      );
    }
    // A deleted question leaves the index; a deleted answer leaves its question's document. Its
    // author's top tags no longer count it.
    await enqueueIndexing(tx, "question", [questionId]);
    await enqueueIndexing(tx, "person", [post.authorId], { priority: 1 });
    return { changed: true, questionId };
  });
  // A question leaving or rejoining its tags' windows moves related tags. Inside the moderation
  // queue's transaction this runs just before that commits: RELATED_CACHE_MS bounds that gap.
  if (result.changed) relatedTagsChanged();
  return result;
}

// `Db | Tx`: the moderation queue deletes a flagged post inside its own transaction (a savepoint here).
export function deletePost(db: Db | Tx, actor: ReputationActor, postId: number) {
  return setPostDeleted(db, actor, { postId }, true);
}

export function undeletePost(db: Db, actor: ReputationActor, postId: number) {
  return setPostDeleted(db, actor, { postId }, false);
}

/** Deleting a post named by its post or item id: the question and answer kinds' `remove`, for the moderation queue. */
export async function removePost(db: Db | Tx, actor: ReputationActor, key: PostKey): Promise<{ changed: boolean }> {
  const { changed } = await setPostDeleted(db, actor, key, true);
  return { changed };
}

/** What the edit form starts from: the post as it is now, its question (for the title and link), and its space. */
export async function editablePost(db: Db, actor: ReputationActor, postId: number) {
  const access = await loadPost(db, actor, postId);
  if (!(await canEditPost(db, actor, access))) throw new ForbiddenError("You can edit your own posts; editing other people's takes more reputation.");
  const { post, space } = access;
  const question = post.parentId ? (await loadQuestion(db, actor, post.parentId)).post : post;
  return {
    post: { id: post.id, type: post.type, title: post.title, body: post.body, tags: post.tags, revisionCount: post.revisionCount },
    question: { id: question.id, title: question.title ?? "" },
    space: { slug: space.slug, name: space.name },
  };
}
