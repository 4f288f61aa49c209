import { and, asc, desc, eq, gt, isNotNull, isNull, lt, min, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { forumAnswers, forumThreads } from "#db/schema/index.ts";

/**
 * What the forum's pages read: the published tables only (the forum's role can read nothing else).
 * Withdrawn and expired threads are filtered here, in every query, by the clock of PostgreSQL: an
 * expiry takes effect at its moment, before any job has run. So are customers' questions that are
 * not visible: a new account's first question waiting for a moderator, or one a moderator removed.
 */

export const PAGE_SIZE = 30;
export const FEED_SIZE = 50;

export type Thread = typeof forumThreads.$inferSelect;
export type Answer = typeof forumAnswers.$inferSelect;

/** A thread in a list: what its row shows. */
export type ThreadSummary = Pick<Thread, "id" | "slug" | "title" | "summary" | "tags" | "answerCount" | "solved" | "publishedAt" | "updatedAt" | "expiresAt" | "origin">;

/** Not withdrawn and not expired: what was published is still published (whatever a moderator decided). */
export const available: SQL = and(isNull(forumThreads.withdrawnAt), or(isNull(forumThreads.expiresAt), gt(forumThreads.expiresAt, sql`now()`)))!;

/** Shown to everyone: available, and not a customer's question that waits for a moderator or was removed. */
export const live: SQL = and(available, eq(forumThreads.moderation, "visible"))!;

export const summaryColumns = {
  id: forumThreads.id,
  slug: forumThreads.slug,
  title: forumThreads.title,
  summary: forumThreads.summary,
  tags: forumThreads.tags,
  answerCount: forumThreads.answerCount,
  solved: forumThreads.solved,
  publishedAt: forumThreads.publishedAt,
  updatedAt: forumThreads.updatedAt,
  expiresAt: forumThreads.expiresAt,
  origin: forumThreads.origin,
};

/**
 * The newest live threads, optionally of one topic, after the thread `before` (keyset: the cursor
 * is the last thread's id, whose publication time PostgreSQL compares exactly, microseconds and
 * all). One more row than asked says whether there is a next page.
 */
export async function recentThreads(db: Db, options: { tag?: string; before?: number; limit?: number } = {}): Promise<{ threads: ThreadSummary[]; next: number | null }> {
  const limit = options.limit ?? PAGE_SIZE;
  const conditions: SQL[] = [live];
  if (options.tag !== undefined) conditions.push(sql`${forumThreads.tags} @> array[${options.tag}]::text[]`);
  if (options.before !== undefined) {
    conditions.push(sql`(${forumThreads.publishedAt}, ${forumThreads.id}) < (select c.published_at, c.id from forum_threads c where c.id = ${options.before})`);
  }
  const rows = await db
    .select(summaryColumns)
    .from(forumThreads)
    .where(and(...conditions))
    .orderBy(desc(forumThreads.publishedAt), desc(forumThreads.id))
    .limit(limit + 1);
  const threads = rows.slice(0, limit);
  return { threads, next: rows.length > limit ? threads[threads.length - 1]!.id : null };
}

export interface Topic {
  tag: string;
  count: number;
}

/** The topics of live threads with how many each has, the busiest first. */
export async function topics(db: Db, options: { limit: number; offset?: number; byName?: boolean }): Promise<Topic[]> {
  const order = options.byName ? sql`tag` : sql`count(*) desc, tag`;
  const rows = await db.execute<{ tag: string; count: number }>(sql`
    select tag, count(*)::int as count
    from ${forumThreads}, unnest(${forumThreads.tags}) as tag
    where ${live}
    group by tag
    order by ${order}
    limit ${options.limit} offset ${options.offset ?? 0}`);
  return rows.map((row) => ({ tag: row.tag, count: Number(row.count) }));
}

/** When the next live thread expires: a cached list that shows it (or counts it) must not outlive that. */
export async function nextExpiry(db: Db): Promise<Date | null> {
  const [row] = await db
    .select({ at: min(forumThreads.expiresAt) })
    .from(forumThreads)
    .where(and(live, isNotNull(forumThreads.expiresAt)));
  return row?.at ? new Date(row.at) : null;
}

/**
 * A thread by id in whatever state, with whether it is still published (the page answers 410 when
 * not). Its `moderation` says whether everyone may see it: the page decides for a pending one.
 */
export async function threadById(db: Db, id: number): Promise<(Thread & { isLive: boolean }) | undefined> {
  const [row] = await db
    .select({ thread: forumThreads, isLive: sql<boolean>`${available}` })
    .from(forumThreads)
    .where(eq(forumThreads.id, id))
    .limit(1);
  return row ? { ...row.thread, isLive: row.isLive } : undefined;
}

/** A thread's answers, the accepted one first, then in the order they were published in. */
export function threadAnswers(db: Db, threadId: number): Promise<Answer[]> {
  return db.select().from(forumAnswers).where(eq(forumAnswers.threadId, threadId)).orderBy(desc(forumAnswers.accepted), asc(forumAnswers.position), asc(forumAnswers.id));
}

/** Every live thread for the sitemap: its address and when it last changed. */
export function sitemapThreads(db: Db): Promise<Array<Pick<Thread, "id" | "slug" | "updatedAt" | "tags">>> {
  return db
    .select({ id: forumThreads.id, slug: forumThreads.slug, updatedAt: forumThreads.updatedAt, tags: forumThreads.tags })
    .from(forumThreads)
    .where(live)
    .orderBy(desc(forumThreads.updatedAt))
    .limit(50_000);
}

/** Whether the forum's role can read its tables: the readiness check. */
export async function canRead(db: Db): Promise<boolean> {
  await db.select({ id: forumThreads.id }).from(forumThreads).where(lt(forumThreads.id, 0)).limit(1);
  return true;
}

/** How many topics live threads have, for the topic index's pages. */
export async function topicCount(db: Db): Promise<number> {
  const [row] = await db.execute<{ count: number }>(sql`
    select count(distinct tag)::int as count from ${forumThreads}, unnest(${forumThreads.tags}) as tag where ${live}`);
  return Number(row?.count ?? 0);
}
