import { and, asc, eq, isNull, lte, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { articles } from "#db/schema/index.ts";
import { notifyMentions } from "#app/features/notifications/mentions.server.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import { canToggleDeletion, MODERATOR_DELETED } from "#app/features/social/deletion.ts";
import { followInTx, personFollowers } from "#app/features/social/follows.server.ts";
import { notify } from "#app/features/social/notify.server.ts";
import { appendRevision, revisionAt } from "#app/features/social/revisions.server.ts";
import { onceBySubmission } from "#app/features/social/submission.server.ts";
import { spaceBySlugForActor } from "#app/features/spaces/visibility.server.ts";
import { attachUploads } from "#app/features/uploads/attach.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { recordDeletion } from "#app/features/audit/audit.server.ts";
import { type Article, type ArticleKey, canEditArticle, loadArticle, loadArticleBy } from "./access.server.ts";
import { ARTICLE_TYPES, type ArticleInput, type ArticleStatus, type ArticleType, type EditArticleInput, type PublicationInput, type PublicationIntent } from "./schemas.ts";

/**
 * Writing articles: creating (published now, scheduled or a draft), editing (every save a
 * revision), restoring an old revision, publishing and unscheduling, deleting and restoring, and the
 * job that publishes scheduled articles when their time comes. Each write is one transaction on the
 * locked article row, with its revision, search outbox row and notifications. Markdown is rendered
 * before the transaction opens.
 *
 * Publication is the moment an article reaches people: the ones its text mentions and the author's
 * followers hear about it then, and never about a draft, which only its author may open.
 *
 * This module must not import comments.server.ts (which imports every kind, this one's included).
 */

const SUBMISSION = { author: articles.authorId, key: articles.submissionKey, id: articles.id };

/** Where an article stands after a save: its status, and the times that go with it. */
type Publication = { status: ArticleStatus; publishAt: Date | null; publishedAt: Date | null };

function scheduledTime(publishAt: Date | null, now: Date): Date {
  if (!publishAt) throw InputError.field("publishAt", "Choose when to publish it.");
  if (publishAt.getTime() <= now.getTime()) throw InputError.field("publishAt", "Choose a time in the future (times are in UTC), or publish it now.");
  return publishAt;
}

/**
 * What `intent` makes of an article's publication. Only a draft or scheduled article changes
 * status; a published one stays published (it is deleted, never made a draft again, so what its
 * readers saw stays accountable).
 */
function nextPublication(current: Publication | null, intent: PublicationIntent, publishAt: Date | null, now: Date): Publication {
  const kept: Publication | null = current && { status: current.status, publishAt: current.publishAt, publishedAt: current.publishedAt };
  if (kept?.status === "published") {
    if (intent === "draft" || intent === "schedule") throw new InputError("This article is published already: it can be edited or deleted, not made a draft or scheduled again.");
    return kept;
  }
  switch (intent) {
    case "publish":
      return { status: "published", publishAt: null, publishedAt: now };
    case "schedule":
      return { status: "scheduled", publishAt: scheduledTime(publishAt, now), publishedAt: null };
    case "draft":
      return { status: "draft", publishAt: null, publishedAt: null };
    case "save":
      return kept ?? { status: "draft", publishAt: null, publishedAt: null };
  }
}

/**
 * An article reaches its readers: the people its text mentions, then the author's followers (a
 * mention wins: one notification per person). `notify` keeps to people who may see the space.
 */
async function announce(tx: Tx, article: Pick<Article, "itemId" | "spaceId" | "authorId" | "body">, actorId: number): Promise<void> {
  const mentioned = await notifyMentions(tx, { actorId, spaceId: article.spaceId, itemId: article.itemId, text: article.body });
  const followers = await personFollowers(tx, article.authorId);
  await notify(
    tx,
    followers.filter((id) => !mentioned.has(id)),
    { kind: "article", actorId: article.authorId, spaceId: article.spaceId, itemId: article.itemId },
  );
}

export async function createArticle(db: Db, actor: ReputationActor, input: ArticleInput, now = new Date()): Promise<{ id: number; created: boolean }> {
  const bodyHtml = renderField(input.body);
  // Checked before anything is written: a schedule in the past is the writer's to fix.
  const publication = nextPublication(null, input.intent, input.publishAt, now);
  return db.transaction(async (tx) => {
    const { space } = await spaceBySlugForActor(tx, actor, input.space);
    let inserted: Pick<Article, "itemId" | "spaceId" | "authorId" | "body"> | undefined;
    const { id, created } = await onceBySubmission(tx, articles, SUBMISSION, actor.id, input.submissionKey, async () => {
      const [row] = await tx
        .insert(articles)
        .values({
          spaceId: space.id,
          authorId: actor.id,
          type: input.type,
          title: input.title,
          body: input.body,
          bodyHtml,
          tags: input.tags,
          ...publication,
          submissionKey: input.submissionKey ?? null,
        })
        .onConflictDoNothing({ target: [articles.authorId, articles.submissionKey] })
        // The item is the trigger's (migration 0009): it comes back with the row.
        .returning({ id: articles.id, itemId: articles.itemId, spaceId: articles.spaceId, authorId: articles.authorId, body: articles.body });
      inserted = row;
      return row?.id ?? null;
    });
    if (!created || !inserted) return { id, created: false };
    // The type is kept per revision in its category, so the history shows a change of type and a restore brings it back.
    await appendRevision(tx, { itemId: inserted.itemId, editorId: actor.id, kind: "create", title: input.title, body: input.body, tags: input.tags, category: input.type });
    await followInTx(tx, actor.id, inserted.itemId);
    await attachUploads(tx, { uploaderId: actor.id, itemId: inserted.itemId, body: input.body });
    // Drafts too: the search side removes what is not published from the index.
    await enqueueIndexing(tx, "article", [id]);
    if (publication.status === "published") await announce(tx, inserted, actor.id);
    return { id, created: true };
  });
}

type Change = {
  type: ArticleType;
  title: string;
  body: string;
  tags: string[];
  comment: string;
  kind: "edit" | "rollback";
  rolledBackTo?: number;
  intent: PublicationIntent;
  publishAt: Date | null;
};

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/**
 * Saves a change to an article on its locked row: a new revision when the text changed, the
 * publication `intent` asks for, the search outbox, and notifications: the whole audience when this
 * save publishes it, people newly mentioned when it was published already.
 */
async function applyChange(db: Db, actor: ReputationActor, articleId: number, change: Change, bodyHtml: string, now: Date): Promise<{ id: number; status: ArticleStatus; revision: number }> {
  return db.transaction(async (tx) => {
    const access = await loadArticle(tx, actor, articleId, { forUpdate: true });
    const { article } = access;
    if (!canEditArticle(actor, access)) throw new ForbiddenError("Only the article's author and the space's moderators edit it.");
    const next = nextPublication(article, change.intent, change.publishAt, now);
    const textChanged = change.title !== article.title || change.body !== article.body || change.type !== article.type || !sameList(change.tags, article.tags);
    if (!textChanged && next.status === article.status && sameTime(next.publishAt, article.publishAt)) {
      throw new InputError(
        change.kind === "rollback" ? "That revision is the current text already: there is nothing to restore." : "Nothing changed: edit the title, text, type or tags before saving.",
      );
    }
    let revision = article.revisionCount;
    if (textChanged) {
      ({ number: revision } = await appendRevision(tx, {
        itemId: article.itemId,
        kind: change.kind,
        editorId: actor.id,
        title: change.title,
        body: change.body,
        tags: change.tags,
        category: change.type,
        comment: change.comment,
        rolledBackTo: change.rolledBackTo ?? null,
      }));
    }
    await tx
      .update(articles)
      .set({
        ...next,
        ...(textChanged
          ? { type: change.type, title: change.title, body: change.body, bodyHtml, tags: change.tags, revisionCount: revision, lastEditedAt: now, lastEditorId: actor.id }
          : {}),
      })
      .where(eq(articles.id, article.id));
    if (textChanged) await attachUploads(tx, { uploaderId: actor.id, itemId: article.itemId, body: change.body });
    await enqueueIndexing(tx, "article", [article.id]);
    if (next.status === "published" && article.status !== "published") {
      await announce(tx, { ...article, body: change.body }, actor.id);
    } else if (next.status === "published" && textChanged) {
      // Only people the new text mentions and the old one did not.
      await notifyMentions(tx, { actorId: actor.id, spaceId: article.spaceId, itemId: article.itemId, text: change.body, previousText: article.body });
    }
    return { id: article.id, status: next.status, revision };
  });
}

/** Edits an article's text, type and tags (a new revision), and for a draft or scheduled one, its publication. */
export async function editArticle(db: Db, actor: ReputationActor, articleId: number, input: EditArticleInput, now = new Date()) {
  const bodyHtml = renderField(input.body);
  return applyChange(db, actor, articleId, { ...input, kind: "edit" }, bodyHtml, now);
}

/** Restores an earlier revision's title, text, type and tags as a new revision (kind "rollback"); the status stays. */
export async function restoreArticleRevision(db: Db, actor: ReputationActor, articleId: number, revisionNumber: number, now = new Date()) {
  const { article } = await loadArticle(db, actor, articleId);
  const target = await revisionAt(db, article.itemId, revisionNumber);
  if (!target) throw new NotFoundError();
  if (target.redactedAt) throw new InputError(`Revision ${revisionNumber} was redacted by a moderator, so it can't be restored.`);
  const type = (ARTICLE_TYPES as readonly string[]).includes(target.category) ? (target.category as ArticleType) : article.type;
  const bodyHtml = renderField(target.body);
  return applyChange(
    db,
    actor,
    articleId,
    {
      type,
      title: target.title ?? article.title,
      body: target.body,
      tags: target.tags,
      comment: `Restored revision ${revisionNumber}`,
      kind: "rollback",
      rolledBackTo: revisionNumber,
      intent: "save",
      publishAt: null,
    },
    bodyHtml,
    now,
  );
}

/**
 * Publishes a draft or scheduled article now, schedules it, or takes it back to a draft, without
 * touching its text (the buttons on its page and in the drafts list). Only its author sees it, so
 * only its author reaches this.
 */
export async function changePublication(db: Db, actor: ReputationActor, articleId: number, input: PublicationInput, now = new Date()): Promise<{ id: number; status: ArticleStatus }> {
  return db.transaction(async (tx) => {
    const { article } = await loadArticle(tx, actor, articleId, { forUpdate: true });
    if (article.authorId !== actor.id) throw new ForbiddenError("Only the article's author publishes or schedules it.");
    const next = nextPublication(article, input.intent, input.publishAt, now);
    if (next.status === article.status && sameTime(next.publishAt, article.publishAt)) return { id: article.id, status: article.status };
    await tx.update(articles).set(next).where(eq(articles.id, article.id));
    await enqueueIndexing(tx, "article", [article.id]);
    if (next.status === "published") await announce(tx, article, actor.id);
    return { id: article.id, status: next.status };
  });
}

/**
 * Soft-deletes (or restores) an article: its author or a moderator of its space; an author cannot
 * restore what a moderator removed. Deleting what is deleted changes nothing.
 */
async function setArticleDeleted(db: Db | Tx, actor: ReputationActor, key: ArticleKey, deleted: boolean): Promise<{ changed: boolean; id: number }> {
  return db.transaction(async (tx) => {
    const { article, canModerate } = await loadArticleBy(tx, actor, key, { allowDeleted: true, forUpdate: true });
    if (article.authorId !== actor.id && !canModerate) throw new ForbiddenError("Only the author or a moderator can delete or restore this article.");
    if (!deleted && !canToggleDeletion(actor.id, article, canModerate)) throw new ForbiddenError(MODERATOR_DELETED);
    if ((article.deletedAt !== null) === deleted) return { changed: false, id: article.id };
    await tx
      .update(articles)
      .set(deleted ? { deletedAt: sql`now()`, deletedById: actor.id } : { deletedAt: null, deletedById: null })
      .where(eq(articles.id, article.id));
    await recordDeletion(tx, actor.id, { type: "article", id: article.itemId, spaceId: article.spaceId, authorId: article.authorId }, deleted);
    await enqueueIndexing(tx, "article", [article.id]);
    return { changed: true, id: article.id };
  });
}

// `Db | Tx`: the moderation queue deletes a flagged article inside its own transaction (a savepoint here).
export function deleteArticle(db: Db | Tx, actor: ReputationActor, articleId: number) {
  return setArticleDeleted(db, actor, { articleId }, true);
}

export function undeleteArticle(db: Db, actor: ReputationActor, articleId: number) {
  return setArticleDeleted(db, actor, { articleId }, false);
}

/** Deleting an article named by its item: the article kind's `remove`, for the moderation queue. */
export async function removeArticle(db: Db | Tx, actor: ReputationActor, itemId: number): Promise<{ changed: boolean }> {
  const { changed } = await setArticleDeleted(db, actor, { itemId }, true);
  return { changed };
}

const DUE_BATCH = 50;

/**
 * The schedule job: publishes every scheduled article whose time has come (at `now`), with
 * `publishedAt` its scheduled time, notifying and re-indexing each as a publication from its page
 * does. Rows are claimed with FOR UPDATE SKIP LOCKED a batch at a time, so two instances running it
 * at once share the work and never publish one twice; a deleted article waits until it is restored.
 * Returns how many it published.
 */
export async function publishDueArticles(db: Db, now = new Date()): Promise<number> {
  let published = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const due = await tx
        .select({ id: articles.id, itemId: articles.itemId, spaceId: articles.spaceId, authorId: articles.authorId, body: articles.body, publishAt: articles.publishAt })
        .from(articles)
        .where(and(eq(articles.status, "scheduled"), lte(articles.publishAt, now), isNull(articles.deletedAt)))
        .orderBy(asc(articles.publishAt), asc(articles.id))
        .limit(DUE_BATCH)
        .for("update", { skipLocked: true });
      for (const article of due) {
        // Published at the time it was scheduled for: the feeds order it as its author intended.
        await tx.update(articles).set({ status: "published", publishedAt: article.publishAt }).where(eq(articles.id, article.id));
        await announce(tx, article, article.authorId);
      }
      await enqueueIndexing(
        tx,
        "article",
        due.map((a) => a.id),
      );
      return due.length;
    });
    published += batch;
    if (batch < DUE_BATCH) return published;
  }
}
