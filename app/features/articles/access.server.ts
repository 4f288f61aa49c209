import { and, eq, isNull, or, type SQL } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { articles, spaceMembers, spaces } from "#db/schema/index.ts";
import { isModerator } from "#app/features/reputation/rules.server.ts";
import { type Actor, canSeeSpace, inVisibleSpace, type Membership, type Space, spaceNotFound, visibleSpacesCondition } from "#app/features/spaces/visibility.server.ts";
import { isRowId } from "#app/lib/ids.ts";

/**
 * Loading one article for someone, through the visibility module. Beyond the space's rules, a
 * draft or scheduled article is its author's alone: anyone else, moderators and admins included,
 * gets exactly the 404 of a missing article. A deleted one stays visible to its author and the
 * space's moderators where deleted items may be loaded at all, as a deleted question does.
 */

export type Article = typeof articles.$inferSelect;
export type ArticleAccess = {
  article: Article;
  space: Space;
  membership: Membership;
  /** Site moderators and admins, and moderators of this article's space. */
  canModerate: boolean;
};

/** An article by its own id, or by its item's id (the social layer's routes name items). */
export type ArticleKey = { articleId: number } | { itemId: number };

export async function loadArticleBy(db: Db | Tx, actor: Actor, key: ArticleKey, options: { allowDeleted?: boolean; forUpdate?: boolean } = {}): Promise<ArticleAccess> {
  const id = "articleId" in key ? key.articleId : key.itemId;
  if (!isRowId(id)) spaceNotFound();
  const query = db
    .select({ article: articles, space: spaces, role: spaceMembers.role })
    .from(articles)
    .innerJoin(spaces, eq(spaces.id, articles.spaceId))
    .leftJoin(spaceMembers, and(eq(spaceMembers.spaceId, spaces.id), eq(spaceMembers.userId, actor.id)))
    .where(and("articleId" in key ? eq(articles.id, id) : eq(articles.itemId, id), visibleSpacesCondition(actor)))
    .limit(1);
  const [row] = options.forUpdate ? await query.for("update", { of: articles }) : await query;
  if (!row) spaceNotFound();
  const membership: Membership = row.role ? { role: row.role } : null;
  if (!canSeeSpace(actor, row.space, membership)) spaceNotFound();
  const isAuthor = row.article.authorId === actor.id;
  if (row.article.status !== "published" && !isAuthor) spaceNotFound();
  const canModerate = isModerator(actor, membership);
  if (row.article.deletedAt && !(options.allowDeleted && (canModerate || isAuthor))) spaceNotFound();
  return { article: row.article, space: row.space, membership, canModerate };
}

export function loadArticle(db: Db | Tx, actor: Actor, articleId: number, options: { allowDeleted?: boolean; forUpdate?: boolean } = {}): Promise<ArticleAccess> {
  return loadArticleBy(db, actor, { articleId }, options);
}

/** Who may edit an article: its author and the moderators of its space (who only ever reach published ones). */
export function canEditArticle(actor: Actor, access: ArticleAccess): boolean {
  return access.article.authorId === actor.id || access.canModerate;
}

/** The articles `actor` may see at all, as SQL: in a visible space, and published unless their own. */
export function visibleArticles(actor: Actor): SQL {
  return and(inVisibleSpace(actor, articles.spaceId), or(eq(articles.status, "published"), eq(articles.authorId, actor.id)))!;
}

/** What every feed shows: published, not deleted, in a space `actor` may see. */
export function inFeed(actor: Actor): SQL {
  return and(inVisibleSpace(actor, articles.spaceId), eq(articles.status, "published"), isNull(articles.deletedAt))!;
}
