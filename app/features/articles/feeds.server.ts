import { and, asc, desc, eq, inArray, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { articles, follows, spaces, users } from "#db/schema/index.ts";
import { plainExcerpt } from "#app/features/social/excerpt.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { isRowId } from "#app/lib/ids.ts";
import { inFeed } from "./access.server.ts";
import type { ArticleSort, ArticleStatus, ArticleType } from "./schemas.ts";

/**
 * Article lists: the company feed (every space the reader may see), a space's feed, a person's
 * articles on their profile, and the reader's own drafts. Feeds show published articles only, never
 * deleted ones. A page is one query (the rows with their authors and spaces), and a second one
 * counts when the page is full. Pages are numbered (there are far fewer articles than questions, and "Most read"
 * has no stable key to page by).
 */

export const FEED_PAGE_SIZE = 20;
export const PROFILE_ARTICLES = 5;

/** One article in a list. `Time` is `Date` on the server; a component taking loader data also accepts strings. */
export type ArticleRow<Time = Date> = {
  id: number;
  title: string;
  type: ArticleType;
  excerpt: string;
  tags: string[];
  score: number;
  commentCount: number;
  viewCount: number;
  publishedAt: Time;
  author: { id: number; name: string; title: string };
  space: { slug: string; name: string };
};

export type ArticleFeedInput = {
  spaceId?: number | undefined;
  authorId?: number | undefined;
  type?: ArticleType | undefined;
  tag?: string | undefined;
  sort: ArticleSort;
  page: number;
  pageSize?: number;
};

export type ArticleFeedPage = { rows: ArticleRow[]; total: number; offset: number; pageSize: number };

const rowFields = {
  id: articles.id,
  title: articles.title,
  type: articles.type,
  // An excerpt needs the start of the text only.
  body: sql<string>`left(${articles.body}, 600)`,
  tags: articles.tags,
  score: articles.score,
  commentCount: articles.commentCount,
  viewCount: articles.viewCount,
  publishedAt: articles.publishedAt,
  author: { id: users.id, name: users.name, title: users.title },
  space: { slug: spaces.slug, name: spaces.name },
};

function toRow({ body, publishedAt, ...r }: { body: string; publishedAt: Date | null } & Omit<ArticleRow, "excerpt" | "publishedAt">): ArticleRow {
  // Published rows always carry their time; the fallback only keeps the type honest.
  return { ...r, excerpt: plainExcerpt(body, 220), publishedAt: publishedAt ?? new Date(0) };
}

/** The people `actorId` follows, as a subquery on `follows`. */
function followedAuthors(actorId: number): SQL {
  return sql`${articles.authorId} in (select ${follows.personId} from ${follows} where ${follows.userId} = ${actorId} and ${follows.personId} is not null)`;
}

export async function articleFeed(db: Db | Tx, actor: Actor, input: ArticleFeedInput): Promise<ArticleFeedPage> {
  const pageSize = input.pageSize ?? FEED_PAGE_SIZE;
  const offset = (Math.max(1, input.page) - 1) * pageSize;
  const conditions: SQL[] = [inFeed(actor)];
  if (input.spaceId !== undefined) conditions.push(eq(articles.spaceId, input.spaceId));
  if (input.authorId !== undefined) conditions.push(eq(articles.authorId, input.authorId));
  if (input.type) conditions.push(eq(articles.type, input.type));
  if (input.tag) conditions.push(sql`${articles.tags} @> array[${input.tag}]::text[]`);
  if (input.sort === "following") conditions.push(followedAuthors(actor.id));
  const order = input.sort === "most_read" ? [desc(articles.viewCount), desc(articles.publishedAt), desc(articles.id)] : [desc(articles.publishedAt), desc(articles.id)];
  // The page walks the feed's index and stops at its last row (a window count would make it read
  // every match); the count, only when the page is full or past the end, reads the same partial index.
  // The page's ids first, from the articles alone: the excerpt, the author and the space are then
  // read for those rows only, not for every match the sort has to look at.
  const pageIds = db
    .select({ id: articles.id })
    .from(articles)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(pageSize)
    .offset(offset)
    .as("page_ids");
  const rows = await db
    .select(rowFields)
    .from(articles)
    .innerJoin(pageIds, eq(pageIds.id, articles.id))
    .innerJoin(users, eq(users.id, articles.authorId))
    .innerJoin(spaces, eq(spaces.id, articles.spaceId))
    .orderBy(...order);
  const lastPage = rows.length < pageSize && (rows.length > 0 || offset === 0);
  const total = lastPage ? offset + rows.length : await db.$count(articles, and(...conditions));
  return { rows: rows.map(toRow), total, offset, pageSize };
}

/** The person a feed is filtered to (`?author=`), or null when there is no such profile: the filter is dropped. */
export async function feedAuthor(db: Db | Tx, userId: number | undefined): Promise<{ id: number; name: string } | null> {
  if (userId === undefined || !isRowId(userId)) return null;
  const [row] = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.kind, "employee"), isNotNull(users.emailVerifiedAt)));
  return row ?? null;
}

/** A person's newest published articles the viewer may see, and how many there are: their profile's section. */
export async function articlesBy(db: Db | Tx, viewer: Actor, userId: number) {
  const page = await articleFeed(db, viewer, { authorId: userId, sort: "newest", page: 1, pageSize: PROFILE_ARTICLES });
  return { rows: page.rows, total: page.total };
}

export type DraftRow<Time = Date> = {
  id: number;
  title: string;
  type: ArticleType;
  status: Exclude<ArticleStatus, "published">;
  publishAt: Time | null;
  updatedAt: Time;
  space: { slug: string; name: string };
};

/** The reader's own drafts and scheduled articles (the next to go out first, then the latest drafts). */
export async function myDrafts(db: Db | Tx, actor: Actor, page: number): Promise<{ rows: DraftRow[]; total: number; offset: number; pageSize: number }> {
  const pageSize = FEED_PAGE_SIZE;
  const offset = (Math.max(1, page) - 1) * pageSize;
  const conditions = and(eq(articles.authorId, actor.id), inArray(articles.status, ["draft", "scheduled"]), isNull(articles.deletedAt), inVisibleSpace(actor, articles.spaceId));
  const rows = await db
    .select({
      id: articles.id,
      title: articles.title,
      type: articles.type,
      status: articles.status,
      publishAt: articles.publishAt,
      updatedAt: articles.updatedAt,
      space: { slug: spaces.slug, name: spaces.name },
      total: sql<number>`(count(*) over ())::int`,
    })
    .from(articles)
    .innerJoin(spaces, eq(spaces.id, articles.spaceId))
    .where(conditions)
    .orderBy(sql`${articles.status} = 'scheduled' desc`, asc(articles.publishAt), desc(articles.updatedAt), desc(articles.id))
    .limit(pageSize)
    .offset(offset);
  const total = rows[0]?.total ?? (offset > 0 ? await db.$count(articles, conditions) : 0);
  return {
    rows: rows.map(({ total: _total, status, ...r }) => ({ ...r, status: status === "scheduled" ? "scheduled" : "draft" })),
    total,
    offset,
    pageSize,
  };
}
