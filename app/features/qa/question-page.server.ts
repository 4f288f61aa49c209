import { and, asc, desc, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "#db/client.server.ts";
import { posts, postViews, users } from "#db/schema/index.ts";
import { hasPrivilege, readReputationRules, type ReputationActor } from "#app/features/reputation/rules.server.ts";
import { type CommentView, commentsOn } from "#app/features/social/comments.server.ts";
import { canToggleDeletion } from "#app/features/social/deletion.ts";
import { wikiPageUrl } from "#app/features/wiki/page-url.ts";
import { isPromotable, ownsPageInSpaceSql, promotedPageSql } from "#app/features/wiki/promotion.server.ts";
import type { PostSource } from "#app/components/qa/imported-source.tsx";
import { loadQuestion } from "./access.server.ts";
import { type DuplicateLinks, duplicateLinksOf } from "./close.server.ts";
import { relatedTagsFor } from "./related-tags.server.ts";

/**
 * The question page in a fixed number of queries, however many answers and comments it has, and
 * in two round trips after sign-in: first the question (through the access module, which decides
 * the 404), then everything else at once: the view, every post of the thread with its author, last
 * editor and the reader's vote (and whether they follow it), every comment with its author, the
 * closing and duplicate links, and related tags. The rules come from a short cache, and so do the
 * related tags' counts (per tag set; the reader's spaces are applied fresh, see related-tags.server.ts).
 */

/** A post's author or editor as the user card shows them: reputation and badge counts by tier (issue 17). */
export type PersonRef = { id: number; name: string; title: string; reputation: number; goldBadges: number; silverBadges: number; bronzeBadges: number };

export type { CommentView };

export type PostView = {
  id: number;
  /** Its item on the social layer: what its votes, comments and flags are posted to. */
  itemId: number;
  type: "question" | "answer";
  bodyHtml: string;
  score: number;
  createdAt: Date;
  lastEditedAt: Date | null;
  revisionCount: number;
  deleted: boolean;
  accepted: boolean;
  author: PersonRef;
  editor: PersonRef | null;
  canEdit: boolean;
  canDelete: boolean;
  comments: CommentView[];
  /** Imported posts: where the original lives, its author there and its licence (shown as the credit). */
  source: PostSource | null;
  /** Answers: the wiki page it became, when the reader sees it; and whether the reader may promote it. */
  promotedTo: { title: string; url: string } | null;
  canPromote: boolean;
};

export type QuestionView = PostView & {
  title: string;
  tags: string[];
  viewCount: number;
  answerCount: number;
  acceptedAnswerId: number | null;
  closedAt: Date | null;
  closeReason: (typeof posts.$inferSelect)["closeReason"];
  duplicateOfId: number | null;
  lastActivityAt: Date;
};

export type QuestionPage = {
  question: QuestionView;
  answers: PostView[];
  /** The reader's votes on the thread's posts, by post id. */
  votes: Record<number, 1 | -1>;
  following: boolean;
  closure: DuplicateLinks;
  related: Awaited<ReturnType<typeof relatedTagsFor>>;
  space: { id: number; slug: string; name: string; visibility: "open" | "restricted" };
  /** Site moderators and admins, and this space's moderators. */
  canModerate: boolean;
};

/**
 * Counts a view once per person per hour: the upsert only touches the row when the last counted
 * view is an hour old, and the counter moves only when the upsert wrote. One statement. Returns
 * the new count when this view counted, null when it did not.
 */
export async function recordView(db: Db, userId: number, questionId: number, now: Date): Promise<number | null> {
  const at = now.toISOString();
  const rows = await db.execute(sql`
    with counted as (
      insert into ${postViews} (post_id, user_id, viewed_at) values (${questionId}, ${userId}, ${at}::timestamptz)
      on conflict (post_id, user_id) do update set viewed_at = excluded.viewed_at
        where ${postViews.viewedAt} <= ${at}::timestamptz - interval '1 hour'
      returning 1
    )
    update ${posts} set view_count = view_count + 1
    where id = ${questionId} and exists (select 1 from counted)
    returning view_count`);
  return rows.length > 0 ? Number((rows[0] as { view_count: number }).view_count) : null;
}

/**
 * Forgets views older than the counting window: a missing row counts exactly like an hour-old one,
 * so the table only ever holds the last hour. Run by the hourly housekeeping.
 */
export async function pruneViews(db: Db, now = new Date()): Promise<number> {
  const rows = await db.execute(sql`delete from ${postViews} where ${postViews.viewedAt} <= ${now.toISOString()}::timestamptz - interval '1 hour' returning 1`);
  return rows.length;
}

const author = alias(users, "author");
const editor = alias(users, "editor");

/** Deleted rows stay visible to moderators and to whoever wrote them. */
function liveOrVisibleToActor(deletedAt: typeof posts.deletedAt, authorId: typeof posts.authorId, actor: ReputationActor, canModerate: boolean): SQL | undefined {
  if (canModerate) return undefined;
  return or(isNull(deletedAt), eq(authorId, actor.id));
}

export async function questionPage(db: Db, actor: ReputationActor, questionId: number, now: Date): Promise<QuestionPage> {
  const [access, rules] = await Promise.all([loadQuestion(db, actor, questionId, { allowDeleted: true }), readReputationRules(db)]);
  const { post: q, space, membership, canModerate } = access;

  const threadCondition = or(eq(posts.id, q.id), eq(posts.parentId, q.id));
  const [viewed, rows, byItem, closure, related] = await Promise.all([
    recordView(db, actor.id, q.id, now),
    db
      .select({
        id: posts.id,
        itemId: posts.itemId,
        type: posts.type,
        authorId: posts.authorId,
        title: posts.title,
        bodyHtml: posts.bodyHtml,
        tags: posts.tags,
        score: posts.score,
        viewCount: posts.viewCount,
        answerCount: posts.answerCount,
        acceptedAnswerId: posts.acceptedAnswerId,
        closedAt: posts.closedAt,
        closeReason: posts.closeReason,
        duplicateOfId: posts.duplicateOfId,
        lastActivityAt: posts.lastActivityAt,
        createdAt: posts.createdAt,
        lastEditedAt: posts.lastEditedAt,
        revisionCount: posts.revisionCount,
        deletedAt: posts.deletedAt,
        deletedById: posts.deletedById,
        sourceUrl: posts.sourceUrl,
        sourceAuthor: posts.sourceAuthor,
        sourceLicense: posts.sourceLicense,
        // The reader's vote on each post, and whether they follow the question: columns of this
        // query rather than queries of their own (literal names: a bare "id" would be ambiguous here).
        myVote: sql<number | null>`(select v.value from votes v where v.item_id = "posts"."item_id" and v.user_id = ${actor.id})`,
        following: sql<boolean>`exists (select 1 from follows f where f.user_id = ${actor.id} and f.item_id = ${q.itemId})`,
        // Wiki promotion: the page each answer became, and whether the reader owns a page in this space (one value for every row).
        promotedTo: promotedPageSql(actor),
        ownsWikiPage: ownsPageInSpaceSql(actor.id, q.spaceId),
        author: {
          id: author.id,
          name: author.name,
          title: author.title,
          reputation: author.reputation,
          goldBadges: author.goldBadges,
          silverBadges: author.silverBadges,
          bronzeBadges: author.bronzeBadges,
        },
        editor: {
          id: editor.id,
          name: editor.name,
          title: editor.title,
          reputation: editor.reputation,
          goldBadges: editor.goldBadges,
          silverBadges: editor.silverBadges,
          bronzeBadges: editor.bronzeBadges,
        },
      })
      .from(posts)
      .innerJoin(author, eq(author.id, posts.authorId))
      .leftJoin(editor, eq(editor.id, posts.lastEditorId))
      .where(and(threadCondition, liveOrVisibleToActor(posts.deletedAt, posts.authorId, actor, canModerate)))
      // Accepted first, then by score, then oldest first; the question sorts wherever, it is picked out below.
      .orderBy(sql`${posts.id} = ${q.acceptedAnswerId ?? 0} desc`, desc(posts.score), asc(posts.createdAt), asc(posts.id)),
    // Every comment of the thread in one query, beside the posts (their items by subquery).
    commentsOn(db, actor, sql`select ${posts.itemId} from ${posts} where ${threadCondition}`, { canModerate }),
    duplicateLinksOf(db, actor, access, rules),
    relatedTagsFor(db, actor, q.tags),
  ]);

  const mayEditOthers = hasPrivilege(actor, "editOthers", rules, membership);
  const mayPromote = (r: (typeof rows)[number]) => hasPrivilege(actor, "promoteAnswer", rules, membership) || Boolean(r.ownsWikiPage);
  const view = (r: (typeof rows)[number]): PostView => ({
    id: r.id,
    itemId: r.itemId,
    type: r.type,
    bodyHtml: r.bodyHtml,
    score: r.score,
    createdAt: r.createdAt,
    lastEditedAt: r.lastEditedAt,
    revisionCount: r.revisionCount,
    deleted: r.deletedAt !== null,
    accepted: r.id === q.acceptedAnswerId,
    author: r.author,
    editor: r.editor?.id ? r.editor : null,
    canEdit: r.authorId === actor.id || mayEditOthers,
    canDelete: canToggleDeletion(actor.id, r, canModerate),
    comments: byItem.get(r.itemId) ?? [],
    source: r.sourceUrl ? { url: r.sourceUrl, author: r.sourceAuthor, license: r.sourceLicense } : null,
    promotedTo: r.promotedTo ? { title: r.promotedTo.title, url: wikiPageUrl(r.promotedTo) } : null,
    canPromote: r.type === "answer" && q.deletedAt === null && isPromotable({ score: r.score, deleted: r.deletedAt !== null, accepted: r.id === q.acceptedAnswerId }) && mayPromote(r),
  });

  const questionRow = rows.find((r) => r.id === q.id)!;
  return {
    question: {
      ...view(questionRow),
      title: questionRow.title ?? "",
      tags: questionRow.tags,
      // The view was counted beside the read: whichever finished first, show the larger count.
      viewCount: Math.max(questionRow.viewCount, viewed ?? 0),
      answerCount: questionRow.answerCount,
      acceptedAnswerId: questionRow.acceptedAnswerId,
      closedAt: questionRow.closedAt,
      closeReason: questionRow.closeReason,
      duplicateOfId: questionRow.duplicateOfId,
      lastActivityAt: questionRow.lastActivityAt,
    },
    answers: rows.filter((r) => r.id !== q.id).map(view),
    votes: Object.fromEntries(rows.filter((r) => r.myVote === 1 || r.myVote === -1).map((r) => [r.id, r.myVote === 1 ? 1 : -1])),
    following: Boolean(questionRow.following),
    closure,
    related,
    space: { id: space.id, slug: space.slug, name: space.name, visibility: space.visibility },
    canModerate,
  };
}
