import { and, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { articles } from "#db/schema/index.ts";
import { itemFollowers } from "#app/features/social/follows.server.ts";
import { KIND_FEATURES } from "#app/features/social/kinds.ts";
import { commentCountChanged, ownPageAccess, ownPageSummary } from "#app/features/social/own-page.server.ts";
import { type ItemAccess, type ItemSummary, registerKind } from "#app/features/social/registry.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { isRowId } from "#app/lib/ids.ts";
import { type ArticleAccess, loadArticleBy, visibleArticles } from "./access.server.ts";
import { articleUrl } from "./article-url.ts";
import { removeArticle } from "./articles.server.ts";
import { castArticleVote } from "./votes.server.ts";

/**
 * Articles on the social layer (docs/adding-a-kind.md). Who sees one is loadArticle's rule: the
 * space, and for a draft or scheduled article its author alone. Votes are up and down, as on
 * answers (votes.server.ts); a deleted article stays with its author and moderators.
 *
 * This module must not import page.server.ts or anything that reads comments: the social layer's
 * comments import every kind's registration (an import cycle).
 */

function toItemAccess({ article, space, membership, canModerate }: ArticleAccess): ItemAccess {
  return ownPageAccess("article", article, { space, membership, canModerate }, articleUrl(article));
}

async function describe(db: Db | Tx, actor: Actor, itemIds: readonly number[]): Promise<ItemSummary[]> {
  const ids = itemIds.filter(isRowId);
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: articles.id,
      itemId: articles.itemId,
      spaceId: articles.spaceId,
      authorId: articles.authorId,
      title: articles.title,
      // Enough of the text for an excerpt, without reading a long article whole.
      body: sql<string>`left(${articles.body}, 600)`,
      deletedAt: articles.deletedAt,
    })
    .from(articles)
    .where(and(inArray(articles.itemId, ids), visibleArticles(actor)));
  return rows.map((r) => ownPageSummary("article", r, articleUrl(r)));
}

registerKind({
  kind: "article",
  features: KIND_FEATURES.article,
  load: async (tx, actor, itemId, options) => toItemAccess(await loadArticleBy(tx, actor, { itemId }, options)),
  describe,
  async commentsChanged(tx, access, delta) {
    await commentCountChanged(tx, articles, "article", access.contentId, delta);
  },
  async commentAudience(tx, access) {
    // The author and the article's followers (commenters follow it from their first comment).
    return { recipients: [access.authorId, ...(await itemFollowers(tx, access.itemId))], notification: "comment" };
  },
  vote: castArticleVote,
  remove: removeArticle,
  searchDocument: (access) => ({ outbox: "article", id: access.contentId }),
});
