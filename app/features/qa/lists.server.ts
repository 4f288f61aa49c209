import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db, Tx } from "#db/client.server.ts";
import { posts, questionTags, spaces, tags, users } from "#db/schema/index.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import type { QuestionRow, QuestionSort, TopPeriod } from "./list-params.ts";

export type { QuestionRow, QuestionSort, TopPeriod };

/**
 * Question lists: across every space the actor may see, in one space, or under one tag. One
 * query per page, whatever the page size: the row, its author and its space come in one join.
 *
 * Pagination is by keyset, not offset: the cursor names the last row's sort key and id, so a page
 * never repeats or skips rows when questions are asked while someone pages, and page 500 costs the
 * same as page 1. Timestamps travel in the cursor as PostgreSQL prints them (microseconds), not as
 * JavaScript dates (milliseconds), so rows whose times differ by less than a millisecond keep
 * their order and none is lost at a page boundary.
 */

export const PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 50;

export type QuestionPage = {
  rows: QuestionRow[];
  /** Cursors for the neighbouring pages, or null at either end. */
  next: string | null;
  prev: string | null;
};

export type QuestionListInput = {
  spaceId?: number | undefined;
  /** Only questions in these spaces (the home page's "your spaces"). */
  spaceIds?: number[] | undefined;
  tag?: string | undefined;
  sort: QuestionSort;
  period?: TopPeriod | undefined;
  cursor?: string | null | undefined;
  limit?: number | undefined;
};

const PERIOD_DAYS: Record<Exclude<TopPeriod, "all">, number> = {
  week: 7,
  month: 30,
};

// The sort key of a row as exact text: timestamps in UTC with microseconds.
const isoUtc = (column: AnyPgColumn) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const CursorSchema = z.object({
  /** The sort (and period) the cursor was made for: a cursor from another tab starts at the top. */
  s: z.string().max(20),
  /** "a": the page after this key; "b": the page before it. */
  d: z.enum(["a", "b"]),
  /** The sort key: a timestamp, or for `top` the score and a timestamp. */
  k: z.tuple([z.iso.datetime({ precision: 6 })]).or(z.tuple([z.number().int().min(-2_147_483_648).max(2_147_483_647), z.iso.datetime({ precision: 6 })])),
  i: z.number().int().positive().max(2_147_483_647),
});
type Cursor = z.infer<typeof CursorSchema>;

function sortTag(sort: QuestionSort, period: TopPeriod): string {
  return sort === "top" ? `top-${period}` : sort;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

/** The cursor, or null when it is missing, malformed or made for another sort: the first page. */
export function decodeCursor(raw: string | null | undefined, sort: QuestionSort, period: TopPeriod): Cursor | null {
  if (!raw || raw.length > 300 || !/^[A-Za-z0-9_-]+$/.test(raw)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    // Not JSON: someone edited the URL. The first page is the honest answer.
    return null;
  }
  const parsed = CursorSchema.safeParse(json);
  if (!parsed.success || parsed.data.s !== sortTag(sort, period)) return null;
  if ((sort === "top") !== (parsed.data.k.length === 2)) return null;
  return parsed.data;
}

export async function questionList(db: Db | Tx, actor: Actor, input: QuestionListInput): Promise<QuestionPage> {
  const { sort } = input;
  const period: TopPeriod = input.period ?? "week";
  const limit = Math.min(Math.max(Math.trunc(input.limit ?? PAGE_SIZE) || PAGE_SIZE, 1), MAX_PAGE_SIZE);
  const cursor = decodeCursor(input.cursor, sort, period);
  const backwards = cursor?.d === "b";

  // A tag's newest questions come off question_tags' (tag, question time, id) index: the keys are
  // the copies there, equal to the question's own, so cursors mean the same either way.
  const byTagIndex = input.tag !== undefined && sort === "newest";
  // The key columns, most significant first; every sort ends with the id so the order is total.
  const timeColumn = sort === "active" ? posts.lastActivityAt : posts.createdAt;
  const keyColumns: SQL[] = byTagIndex
    ? [sql`${questionTags.questionCreatedAt}`, sql`${questionTags.postId}`]
    : sort === "top"
      ? [sql`${posts.score}`, sql`${timeColumn}`, sql`${posts.id}`]
      : [sql`${timeColumn}`, sql`${posts.id}`];
  const tagId = input.tag !== undefined ? db.select({ id: tags.id }).from(tags).where(eq(tags.name, input.tag)) : undefined;

  const conditions: Array<SQL | undefined> = [
    // Exactly the predicate of the partial indexes in db/schema/qa.ts, so the planner can use them.
    eq(posts.type, "question"),
    isNull(posts.deletedAt),
    inVisibleSpace(actor, posts.spaceId),
    input.spaceId !== undefined ? eq(posts.spaceId, input.spaceId) : undefined,
    input.spaceIds !== undefined ? (input.spaceIds.length > 0 ? inArray(posts.spaceId, input.spaceIds) : sql`false`) : undefined,
    byTagIndex
      ? sql`${questionTags.tagId} = (${tagId})`
      : tagId
        ? inArray(
            posts.id,
            db
              .select({ id: questionTags.postId })
              .from(questionTags)
              .where(sql`${questionTags.tagId} = (${tagId})`),
          )
        : undefined,
    sort === "unanswered" ? eq(posts.answerCount, 0) : undefined,
    sort === "top" && period !== "all" ? sql`${posts.createdAt} >= now() - make_interval(days => ${PERIOD_DAYS[period]})` : undefined,
  ];
  if (cursor) {
    const values: SQL[] =
      cursor.k.length === 2 ? [sql`${cursor.k[0]}::int`, sql`${cursor.k[1]}::timestamptz`, sql`${cursor.i}::int`] : [sql`${cursor.k[0]}::timestamptz`, sql`${cursor.i}::int`];
    // All keys descend, so one row comparison expresses "after this row" (or "before" it).
    const left = sql.join(keyColumns, sql`, `);
    const right = sql.join(values, sql`, `);
    conditions.push(backwards ? sql`(${left}) > (${right})` : sql`(${left}) < (${right})`);
  }

  const order = keyColumns.map((c) => (backwards ? asc(c) : desc(c)));
  const columns = {
    id: posts.id,
    title: posts.title,
    score: posts.score,
    answerCount: posts.answerCount,
    acceptedAnswerId: posts.acceptedAnswerId,
    viewCount: posts.viewCount,
    closedAt: posts.closedAt,
    tags: posts.tags,
    authorId: users.id,
    authorName: users.name,
    spaceSlug: spaces.slug,
    spaceName: spaces.name,
    createdAt: posts.createdAt,
    lastActivityAt: posts.lastActivityAt,
    timeKey: isoUtc(timeColumn),
  };
  const found = byTagIndex
    ? await db
        .select(columns)
        .from(questionTags)
        .innerJoin(posts, eq(posts.id, questionTags.postId))
        .innerJoin(users, eq(users.id, posts.authorId))
        .innerJoin(spaces, eq(spaces.id, posts.spaceId))
        .where(and(...conditions))
        .orderBy(...order)
        .limit(limit + 1)
    : await db
        .select(columns)
        .from(posts)
        .innerJoin(users, eq(users.id, posts.authorId))
        .innerJoin(spaces, eq(spaces.id, posts.spaceId))
        .where(and(...conditions))
        .orderBy(...order)
        .limit(limit + 1);

  const more = found.length > limit;
  const page = found.slice(0, limit);
  if (backwards) page.reverse();

  const keyOf = (row: (typeof page)[number]): Cursor["k"] => (sort === "top" ? [row.score, row.timeKey] : [row.timeKey]);
  const s = sortTag(sort, period);
  const first = page[0];
  const last = page.at(-1);
  // Going forwards, a previous page exists because we came from one; going backwards, a next one does.
  const hasNext = backwards ? true : more;
  const hasPrev = backwards ? more : cursor !== null;
  return {
    rows: page.map((r) => ({
      id: r.id,
      title: r.title ?? "",
      score: r.score,
      answerCount: r.answerCount,
      accepted: r.acceptedAnswerId !== null,
      viewCount: r.viewCount,
      closed: r.closedAt !== null,
      tags: r.tags,
      author: { id: r.authorId, name: r.authorName },
      space: { slug: r.spaceSlug, name: r.spaceName },
      createdAt: r.createdAt,
      lastActivityAt: r.lastActivityAt,
    })),
    next: hasNext && last ? encodeCursor({ s, d: "a", k: keyOf(last), i: last.id }) : null,
    prev: hasPrev && first ? encodeCursor({ s, d: "b", k: keyOf(first), i: first.id }) : null,
  };
}
