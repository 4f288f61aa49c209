import { eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "#db/client.server.ts";
import { users } from "#db/schema/index.ts";
import { redactedOriginals, type RedactedOriginal } from "#app/features/moderation/redaction.server.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import { commentsOn } from "#app/features/social/comments.server.ts";
import { canToggleDeletion } from "#app/features/social/deletion.ts";
import { type RevisionView as ItemRevision, revisionHistory } from "#app/features/social/revisions.server.ts";
import { ForbiddenError } from "#app/lib/errors.ts";
import { canEditArticle, loadArticle } from "./access.server.ts";

/**
 * What the article's pages read: the article itself (in two round trips after sign-in: the access
 * check, then the people, the reader's vote and follows, and the comments at once), the editor's
 * starting point, and the history.
 */

const author = alias(users, "author");
const editor = alias(users, "editor");

export async function articlePage(db: Db, actor: ReputationActor, articleId: number) {
  const access = await loadArticle(db, actor, articleId, { allowDeleted: true });
  const { article: a, space, canModerate } = access;
  const [[people], comments] = await Promise.all([
    db
      .select({
        author: { id: author.id, name: author.name, title: author.title, reputation: author.reputation },
        editor: { id: editor.id, name: editor.name },
        myVote: sql<number | null>`(select v.value from votes v where v.item_id = ${a.itemId} and v.user_id = ${actor.id})`,
        following: sql<boolean>`exists (select 1 from follows f where f.user_id = ${actor.id} and f.item_id = ${a.itemId})`,
        followingAuthor: sql<boolean>`exists (select 1 from follows f where f.user_id = ${actor.id} and f.person_id = ${a.authorId})`,
      })
      .from(author)
      .leftJoin(editor, eq(editor.id, a.lastEditorId ?? 0))
      .where(eq(author.id, a.authorId)),
    commentsOn(db, actor, [a.itemId], { canModerate }),
  ]);
  const isAuthor = a.authorId === actor.id;
  return {
    article: {
      id: a.id,
      itemId: a.itemId,
      type: a.type,
      status: a.status,
      title: a.title,
      bodyHtml: a.bodyHtml,
      tags: a.tags,
      score: a.score,
      commentCount: a.commentCount,
      viewCount: a.viewCount,
      revisionCount: a.revisionCount,
      publishAt: a.publishAt,
      publishedAt: a.publishedAt,
      createdAt: a.createdAt,
      lastEditedAt: a.lastEditedAt,
      deleted: a.deletedAt !== null,
    },
    author: people!.author,
    editor: people!.editor?.id && people!.editor.id !== a.authorId ? people!.editor : null,
    space: { id: space.id, slug: space.slug, name: space.name, visibility: space.visibility },
    comments: comments.get(a.itemId) ?? [],
    myVote: (people!.myVote === 1 ? 1 : people!.myVote === -1 ? -1 : 0) as 1 | -1 | 0,
    following: Boolean(people!.following),
    followingAuthor: Boolean(people!.followingAuthor),
    isAuthor,
    canEdit: canEditArticle(actor, access) && a.deletedAt === null,
    canToggleDeletion: canToggleDeletion(actor.id, a, canModerate),
    canModerate,
  };
}

export type ArticlePage = Awaited<ReturnType<typeof articlePage>>;

/** What the edit form starts from, for someone who may edit the article (a 403 otherwise). */
export async function editableArticle(db: Db, actor: ReputationActor, articleId: number) {
  const access = await loadArticle(db, actor, articleId);
  if (!canEditArticle(actor, access)) throw new ForbiddenError("Only the article's author and the space's moderators edit it.");
  const { article, space } = access;
  return {
    article: {
      id: article.id,
      type: article.type,
      status: article.status,
      title: article.title,
      body: article.body,
      tags: article.tags,
      publishAt: article.publishAt,
    },
    space: { slug: space.slug, name: space.name },
  };
}

export type RevisionView = Omit<ItemRevision, "id" | "redactedAt"> & {
  redacted: boolean;
  /** What it said before a redaction: for admins only. */
  original: RedactedOriginal | null;
};

/** An article's history: every revision, newest first, with word diffs; who may restore one or redact one. */
export async function articleHistory(db: Db, actor: ReputationActor, articleId: number) {
  // The author and moderators still see the history of a deleted article, as they see the article.
  const access = await loadArticle(db, actor, articleId, { allowDeleted: true });
  const { article, space } = access;
  const rows = await revisionHistory(db, article.itemId);
  const originals = await redactedOriginals(
    db,
    actor,
    rows.filter((r) => r.redactedAt).map((r) => r.id),
  );
  const revisions: RevisionView[] = rows.map(({ id, redactedAt, ...r }) => ({ ...r, redacted: redactedAt !== null, original: originals.get(id) ?? null }));
  return {
    article: { id: article.id, itemId: article.itemId, title: article.title, status: article.status, currentRevision: article.revisionCount, deleted: article.deletedAt !== null },
    space: { slug: space.slug, name: space.name },
    revisions,
    canRestore: canEditArticle(actor, access) && article.deletedAt === null,
    canRedact: access.canModerate,
  };
}
