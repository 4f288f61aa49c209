import { and, asc, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { comments, items, users } from "#db/schema/index.ts";
import { notifyMentions } from "#app/features/notifications/mentions.server.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, NotFoundError } from "#app/lib/errors.ts";
import { recordDeletion } from "#app/features/audit/audit.server.ts";
import { isRowId } from "#app/lib/ids.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import { canToggleDeletion, MODERATOR_DELETED } from "./deletion.ts";
import { followInTx } from "./follows.server.ts";
import { type ItemAccess, kindDefinition, loadItem } from "./kinds.server.ts";
import { type ItemKind, KIND_FEATURES, KIND_NOUNS } from "./kinds.ts";
import { notify } from "./notify.server.ts";
import { onceBySubmission } from "./submission.server.ts";

/**
 * Comments on any item whose kind has them (questions, answers, ideas): one table, one set of
 * rules. Writing one is one transaction: the row, the kind's counters (through `commentsChanged`),
 * @mentions, the kind's audience, and the commenter following the page. Deleting and restoring
 * follow `canToggleDeletion`. Markdown is rendered before the transaction opens.
 */

export type CommentInput = { body: string; submissionKey?: string | undefined };

/** The page a comment is seen on, scrolled to it. */
function commentUrl(access: Pick<ItemAccess, "url">, commentId: number): string {
  return `${access.url.split("#")[0]}#comment-${commentId}`;
}

const submissionColumns = { author: comments.authorId, key: comments.submissionKey, id: comments.id };

export async function addComment(db: Db, actor: ReputationActor, itemId: number, input: CommentInput): Promise<{ id: number; itemId: number; pageUrl: string; created: boolean }> {
  const bodyHtml = renderField(input.body);
  return db.transaction(async (tx) => {
    const access = await loadItem(tx, actor, itemId);
    const definition = kindDefinition(access.kind);
    if (!definition.features.comments) throw new ForbiddenError(`A ${KIND_NOUNS[access.kind]} takes no comments.`);
    const { id, created } = await onceBySubmission(tx, comments, submissionColumns, actor.id, input.submissionKey, async () => {
      const [row] = await tx
        .insert(comments)
        .values({ itemId: access.itemId, spaceId: access.spaceId, authorId: actor.id, body: input.body, bodyHtml, submissionKey: input.submissionKey ?? null })
        .onConflictDoNothing({ target: [comments.authorId, comments.submissionKey] })
        .returning({ id: comments.id });
      return row?.id ?? null;
    });
    if (!created) {
      // A double submit: the first submit's comment, wherever it went.
      const [first] = await tx.select({ itemId: comments.itemId }).from(comments).where(eq(comments.id, id));
      const firstAccess = first && first.itemId !== access.itemId ? await loadItem(tx, actor, first.itemId, { allowDeleted: true }) : access;
      return { id, itemId: firstAccess.itemId, pageUrl: commentUrl(firstAccess, id), created: false };
    }
    await definition.commentsChanged(tx, access, 1);
    const mentioned = await notifyMentions(tx, {
      actorId: actor.id,
      spaceId: access.spaceId,
      itemId: access.pageItemId,
      subjectItemId: access.itemId,
      commentId: id,
      text: input.body,
    });
    const audience = await definition.commentAudience(tx, access);
    await notify(
      tx,
      audience.recipients.filter((userId) => !mentioned.has(userId)),
      { kind: audience.notification, actorId: actor.id, spaceId: access.spaceId, itemId: access.pageItemId, subjectItemId: access.itemId, commentId: id },
    );
    // The commenter hears about what happens next on the page, where its kind can be followed.
    if (KIND_FEATURES[await pageKind(tx, access)].follows) await followInTx(tx, actor.id, access.pageItemId);
    return { id, itemId: access.itemId, pageUrl: commentUrl(access, id), created: true };
  });
}

/** The kind of the page an item is seen on: its own, or (for an answer) its question's. */
export async function pageKind(db: Db | Tx, access: Pick<ItemAccess, "itemId" | "kind" | "pageItemId">): Promise<ItemKind> {
  if (access.pageItemId === access.itemId) return access.kind;
  const [page] = await db.select({ kind: items.kind }).from(items).where(eq(items.id, access.pageItemId));
  return page?.kind ?? access.kind;
}

/**
 * Soft-deletes (or restores) a comment (see `canToggleDeletion`); the item's counters follow
 * through its kind. The content row is the lock: comment counts and deletes on one item take
 * turns on it. Deleting what is deleted (or restoring what is live) changes nothing.
 */
async function setCommentDeleted(db: Db | Tx, actor: ReputationActor, commentId: number, deleted: boolean): Promise<{ changed: boolean; pageUrl: string }> {
  if (!isRowId(commentId)) throw new NotFoundError();
  return db.transaction(async (tx) => {
    const [ref] = await tx.select({ itemId: comments.itemId }).from(comments).where(eq(comments.id, commentId));
    if (!ref) throw new NotFoundError();
    const access = await loadItem(tx, actor, ref.itemId, { allowDeleted: true, forUpdate: true });
    const [comment] = await tx.select().from(comments).where(eq(comments.id, commentId)).for("update");
    if (!comment) throw new NotFoundError();
    if (comment.authorId !== actor.id && !access.canModerate) {
      // A deleted comment is not there for anyone who may not see it.
      if (comment.deletedAt) throw new NotFoundError();
      throw new ForbiddenError("Only the author or a moderator can delete or restore this comment.");
    }
    if (!deleted && !canToggleDeletion(actor.id, comment, access.canModerate)) throw new ForbiddenError(MODERATOR_DELETED);
    const pageUrl = commentUrl(access, comment.id);
    if ((comment.deletedAt !== null) === deleted) return { changed: false, pageUrl };
    await tx
      .update(comments)
      .set(deleted ? { deletedAt: sql`now()`, deletedById: actor.id } : { deletedAt: null, deletedById: null })
      .where(eq(comments.id, comment.id));
    await recordDeletion(tx, actor.id, { type: "comment", id: comment.id, spaceId: comment.spaceId, authorId: comment.authorId }, deleted);
    await kindDefinition(access.kind).commentsChanged(tx, access, deleted ? -1 : 1);
    return { changed: true, pageUrl };
  });
}

// `Db | Tx`: the moderation queue deletes a flagged comment inside its own transaction (a savepoint here).
export function deleteComment(db: Db | Tx, actor: ReputationActor, commentId: number) {
  return setCommentDeleted(db, actor, commentId, true);
}

export function undeleteComment(db: Db, actor: ReputationActor, commentId: number) {
  return setCommentDeleted(db, actor, commentId, false);
}

export type CommentView = {
  id: number;
  itemId: number;
  author: { id: number; name: string; title: string; reputation: number };
  body: string;
  bodyHtml: string;
  createdAt: Date;
  deletedAt: Date | null;
  /** `deletedAt !== null`, for the list's marking. */
  deleted: boolean;
  /** Whether the reader may delete it now, or restore it now (see `canToggleDeletion`). */
  canDelete: boolean;
  canUndelete: boolean;
  /** Someone else's live comment: the reader may flag it. */
  canFlag: boolean;
};

/**
 * The comments on these items, by item id, oldest first, in one query. Deleted comments are
 * shown (marked) only to moderators and to their own authors. `canModerate`: whether the reader
 * moderates the page the items are on (the caller has loaded it). `itemIds` may be a subquery
 * that selects them, so a page can ask for the comments beside the query that finds its items.
 */
export async function commentsOn(db: Db | Tx, actor: Actor, itemIds: readonly number[] | SQL, options: { canModerate: boolean }): Promise<Map<number, CommentView[]>> {
  const byItem = new Map<number, CommentView[]>();
  let onItems: SQL;
  if (Array.isArray(itemIds)) {
    const ids = [...new Set(itemIds)].filter(isRowId);
    if (ids.length === 0) return byItem;
    onItems = inArray(comments.itemId, ids);
  } else {
    onItems = sql`${comments.itemId} in (${itemIds})`;
  }
  const rows = await db
    .select({
      id: comments.id,
      itemId: comments.itemId,
      authorId: comments.authorId,
      body: comments.body,
      bodyHtml: comments.bodyHtml,
      createdAt: comments.createdAt,
      deletedAt: comments.deletedAt,
      deletedById: comments.deletedById,
      author: { id: users.id, name: users.name, title: users.title, reputation: users.reputation },
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(and(onItems, options.canModerate ? undefined : or(isNull(comments.deletedAt), eq(comments.authorId, actor.id))))
    .orderBy(asc(comments.createdAt), asc(comments.id));
  for (const { authorId, deletedById, ...c } of rows) {
    const mayToggle = canToggleDeletion(actor.id, { authorId, deletedAt: c.deletedAt, deletedById }, options.canModerate);
    const list = byItem.get(c.itemId) ?? [];
    list.push({
      ...c,
      deleted: c.deletedAt !== null,
      canDelete: c.deletedAt === null && mayToggle,
      canUndelete: c.deletedAt !== null && mayToggle,
      canFlag: c.deletedAt === null && authorId !== actor.id,
    });
    byItem.set(c.itemId, list);
  }
  return byItem;
}
