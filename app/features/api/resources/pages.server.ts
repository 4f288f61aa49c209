import { and, asc, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { articles, spaces, users, wikiPages } from "#db/schema/index.ts";
import { articleUrl } from "#app/features/articles/article-url.ts";
import { inFeed } from "#app/features/articles/access.server.ts";
import { articlePage } from "#app/features/articles/page.server.ts";
import { ARTICLE_TYPES } from "#app/features/articles/schemas.ts";
import { plainExcerpt } from "#app/features/social/excerpt.ts";
import { spaceBySlugForActor } from "#app/features/spaces/visibility.server.ts";
import { wikiPageUrl } from "#app/features/wiki/page-url.ts";
import { needsReview, pageView } from "#app/features/wiki/view.server.ts";
import { type AnyEndpoint, endpoint, PageQuery, pageOf, PersonRef } from "../endpoint.server.ts";
import { absolute, beforeTime, cursorTime, decodeCursor, IdCursor, IdParams, iso, isoOrNull, IsoTime, keysetPage, personRef, personRefs, SlugParams, TimeCursor } from "./shared.server.ts";

/**
 * Wiki pages and articles (issue 21, REST API). One page is read through `pageView` and one
 * article through `articlePage`, the functions their pages use: a page in a space the token's
 * owner may not see, a deleted one (but for its owners and moderators) and a draft that is not
 * theirs all answer the 404 of a missing one. A page's HTML is the reader's: links to pages they
 * may not see are plain text, as on screen. Lists use the same visibility rules, in keyset order.
 */

const PAGES = "Pages";
const ARTICLES = "Articles";

const SpaceRef = z.object({ slug: z.string(), name: z.string() });

// ---- wiki pages --------------------------------------------------------------------------------

const PageSummary = z.object({
  id: z.number().int(),
  title: z.string(),
  parentId: z.number().int().nullable(),
  tags: z.array(z.string()),
  createdAt: IsoTime,
  /** The last edit, or the creation when never edited. */
  updatedAt: IsoTime,
  verified: z.boolean(),
  /** Verified, and past its review date. */
  needsReview: z.boolean(),
  url: z.string(),
});

const Page = PageSummary.extend({
  space: SpaceRef,
  body: z.string().meta({ description: "The page as written (markdown, with [[Page title]] links)." }),
  bodyHtml: z.string().meta({ description: "The page rendered and sanitized for the token's owner: links to pages they may not see are plain text." }),
  author: PersonRef.nullable(),
  lastEditor: PersonRef.nullable(),
  owners: z.array(PersonRef),
  revisionCount: z.number().int(),
  verification: z.object({
    /** When an owner last vouched for the page ("last reviewed"); null when it is not verified. */
    verifiedAt: IsoTime.nullable(),
    verifiedBy: PersonRef.nullable(),
    reviewIntervalDays: z.number().int().nullable(),
    reviewDueAt: IsoTime.nullable(),
  }),
  breadcrumbs: z.array(z.object({ id: z.number().int(), title: z.string(), url: z.string() })),
  /** Only owners and moderators ever read a deleted page. */
  deleted: z.boolean(),
});

const listSpacePages = endpoint({
  method: "get",
  path: "/spaces/{slug}/pages",
  operationId: "listSpacePages",
  summary: "A space's wiki pages",
  description: "Every page of the space's wiki, oldest first (so a page written while paging comes on a later page). A space the token's owner may not see is a 404.",
  tag: PAGES,
  scope: "read",
  params: SlugParams,
  query: PageQuery,
  response: pageOf(PageSummary),
  handler: async ({ db, user }, { params, query }) => {
    const { space } = await spaceBySlugForActor(db, user, params.slug);
    const after = decodeCursor(query.cursor, IdCursor);
    const now = new Date();
    const rows = await db
      .select({
        id: wikiPages.id,
        title: wikiPages.title,
        slug: wikiPages.slug,
        parentId: wikiPages.parentId,
        tags: wikiPages.tags,
        createdAt: wikiPages.createdAt,
        lastEditedAt: wikiPages.lastEditedAt,
        verifiedAt: wikiPages.verifiedAt,
        reviewDueAt: wikiPages.reviewDueAt,
      })
      .from(wikiPages)
      .where(and(eq(wikiPages.spaceId, space.id), isNull(wikiPages.deletedAt), after ? gt(wikiPages.id, after.id) : undefined))
      .orderBy(asc(wikiPages.id))
      .limit(query.limit + 1);
    return keysetPage(
      rows,
      query.limit,
      (last) => ({ id: last.id }),
      (r) => ({
        id: r.id,
        title: r.title,
        parentId: r.parentId,
        tags: r.tags,
        createdAt: iso(r.createdAt),
        updatedAt: iso(r.lastEditedAt ?? r.createdAt),
        verified: r.verifiedAt !== null,
        needsReview: needsReview(r, now),
        url: absolute(wikiPageUrl(r)),
      }),
    );
  },
});

const getPage = endpoint({
  method: "get",
  path: "/pages/{id}",
  operationId: "getPage",
  summary: "One wiki page",
  description: "The page's text (markdown and the HTML the page shows), its owners, when it was last reviewed and when it is due again.",
  tag: PAGES,
  scope: "read",
  params: IdParams,
  response: Page,
  handler: async ({ db, user }, { params }) => {
    const now = new Date();
    const view = await pageView(db, user, params.id, now);
    const { page } = view;
    // The source is read after pageView has decided the reader may see the page.
    const [[source], people] = await Promise.all([
      db.select({ body: wikiPages.body, parentId: wikiPages.parentId }).from(wikiPages).where(eq(wikiPages.id, page.id)),
      personRefs(
        db,
        [page.author, page.lastEditor, page.verification.verifiedBy].flatMap((p) => (p ? [p.id] : [])),
      ),
    ]);
    const ref = (p: { id: number } | null) => (p ? (people.get(p.id) ?? null) : null);
    return {
      id: page.id,
      title: page.title,
      parentId: source!.parentId,
      tags: page.tags,
      createdAt: iso(page.createdAt),
      updatedAt: iso(page.lastEditedAt ?? page.createdAt),
      verified: page.verification.verifiedAt !== null,
      needsReview: page.verification.needsReview,
      url: absolute(page.url),
      space: { slug: view.space.slug, name: view.space.name },
      body: source!.body,
      bodyHtml: page.bodyHtml,
      author: ref(page.author),
      lastEditor: ref(page.lastEditor),
      owners: view.owners.map(personRef),
      revisionCount: page.revisionCount,
      verification: {
        verifiedAt: isoOrNull(page.verification.verifiedAt),
        verifiedBy: ref(page.verification.verifiedBy),
        reviewIntervalDays: page.verification.reviewIntervalDays,
        reviewDueAt: isoOrNull(page.verification.reviewDueAt),
      },
      breadcrumbs: view.breadcrumbs.map((b) => ({ ...b, url: absolute(b.url) })),
      deleted: page.deletedAt !== null,
    };
  },
});

// ---- articles ----------------------------------------------------------------------------------

const ArticleSummary = z.object({
  id: z.number().int(),
  title: z.string(),
  type: z.enum(ARTICLE_TYPES),
  excerpt: z.string(),
  tags: z.array(z.string()),
  score: z.number().int(),
  commentCount: z.number().int(),
  viewCount: z.number().int(),
  /** Null only for the author's own drafts and scheduled articles. */
  publishedAt: IsoTime.nullable(),
  author: PersonRef,
  space: SpaceRef,
  url: z.string(),
});

const Article = ArticleSummary.extend({
  status: z.enum(["draft", "scheduled", "published"]).meta({ description: "Drafts and scheduled articles are seen by their author only." }),
  publishAt: IsoTime.nullable(),
  body: z.string().meta({ description: "The article as written (markdown)." }),
  bodyHtml: z.string().meta({ description: "The article rendered and sanitized, as its page shows it." }),
  createdAt: IsoTime,
  lastEditedAt: IsoTime.nullable(),
  deleted: z.boolean(),
});

const ArticlesQuery = PageQuery.extend({
  space: z.string().trim().min(1).max(100).optional().meta({ description: "Only this space's articles (its slug)." }),
  type: z.enum(ARTICLE_TYPES).optional(),
  tag: z.string().trim().min(1).max(35).optional(),
});

const listArticles = endpoint({
  method: "get",
  path: "/articles",
  operationId: "listArticles",
  summary: "Published articles",
  description: "Published articles in spaces the token's owner may see, newest first, as the articles feed lists them.",
  tag: ARTICLES,
  scope: "read",
  query: ArticlesQuery,
  response: pageOf(ArticleSummary),
  handler: async ({ db, user }, { query }) => {
    const after = decodeCursor(query.cursor, TimeCursor);
    const rows = await db
      .select({
        id: articles.id,
        title: articles.title,
        type: articles.type,
        body: sql<string>`left(${articles.body}, 600)`,
        tags: articles.tags,
        score: articles.score,
        commentCount: articles.commentCount,
        viewCount: articles.viewCount,
        publishedAt: articles.publishedAt,
        at: cursorTime(articles.publishedAt),
        author: { id: users.id, name: users.name, title: users.title },
        space: { slug: spaces.slug, name: spaces.name },
      })
      .from(articles)
      .innerJoin(users, eq(users.id, articles.authorId))
      .innerJoin(spaces, eq(spaces.id, articles.spaceId))
      .where(
        and(
          inFeed(user),
          query.space ? eq(spaces.slug, query.space) : undefined,
          query.type ? eq(articles.type, query.type) : undefined,
          query.tag ? sql`${articles.tags} @> array[${query.tag.toLowerCase()}]::text[]` : undefined,
          beforeTime(articles.publishedAt, articles.id, after),
        ),
      )
      .orderBy(desc(articles.publishedAt), desc(articles.id))
      .limit(query.limit + 1);
    return keysetPage(
      rows,
      query.limit,
      (last) => ({ t: last.at, id: last.id }),
      ({ body, at: _at, ...r }) => ({
        ...r,
        excerpt: plainExcerpt(body, 220),
        publishedAt: isoOrNull(r.publishedAt),
        author: personRef(r.author),
        url: absolute(articleUrl(r)),
      }),
    );
  },
});

const getArticle = endpoint({
  method: "get",
  path: "/articles/{id}",
  operationId: "getArticle",
  summary: "One article",
  description: "The article's text (markdown and the HTML its page shows). A draft or scheduled article is its author's alone: a 404 for everyone else.",
  tag: ARTICLES,
  scope: "read",
  params: IdParams,
  response: Article,
  handler: async ({ db, user }, { params }) => {
    const page = await articlePage(db, user, params.id);
    const { article: a } = page;
    // The source is read after articlePage has decided the reader may see the article.
    const [source] = await db.select({ body: articles.body }).from(articles).where(eq(articles.id, a.id));
    return {
      id: a.id,
      title: a.title,
      type: a.type,
      excerpt: plainExcerpt(source!.body, 220),
      tags: a.tags,
      score: a.score,
      commentCount: a.commentCount,
      viewCount: a.viewCount,
      publishedAt: isoOrNull(a.publishedAt),
      author: personRef(page.author),
      space: { slug: page.space.slug, name: page.space.name },
      url: absolute(articleUrl(a)),
      status: a.status,
      publishAt: isoOrNull(a.publishAt),
      body: source!.body,
      bodyHtml: a.bodyHtml,
      createdAt: iso(a.createdAt),
      lastEditedAt: isoOrNull(a.lastEditedAt),
      deleted: a.deleted,
    };
  },
});

export const pageEndpoints: AnyEndpoint[] = [listSpacePages, getPage, listArticles, getArticle];
