import { and, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { forumRuntime, forumThreads } from "#db/schema/index.ts";
import { createMeiliClient, meiliErrorCode } from "#search/client.server.ts";
import { FORUM_SEARCH_RUNTIME_KEY, type ForumSearchRuntime } from "#search/indexes.ts";

/**
 * The forum's search, inside the forum process. It has no master key and no internal index: the
 * app writes a key that can search the forum's index and nothing else into `forum_runtime`
 * (search/forum.server.ts), and this reads it from there with the forum's own database role.
 * A Meilisearch that is down, slow (the client's 2-second timeout) or not set up yet makes the
 * page say search is unavailable; it never fails the request.
 */

export const FORUM_SEARCH_PAGE_SIZE = 20;
/** Past this many matches Meilisearch stops counting (the index's maxTotalHits). */
const MAX_HITS = 1000;
const MAX_QUERY_LENGTH = 200;
/** The key changes only when the app starts with another master key: a minute's staleness is fine. */
const RUNTIME_TTL_MS = 60_000;

export type ForumSearchHit = { id: number; slug: string; title: string; summary: string; tags: string[]; publishedAt: Date; solved: boolean };
export type ForumSearchResult = { hits: ForumSearchHit[]; total: number; unavailable: boolean };

const UNAVAILABLE: ForumSearchResult = { hits: [], total: 0, unavailable: true };

const runtimes = new WeakMap<Db, { value: ForumSearchRuntime; readAt: number }>();

/** The key and index the app wrote, cached a minute per database; null until the app has written them. */
async function searchRuntime(db: Db): Promise<ForumSearchRuntime | null> {
  const cached = runtimes.get(db);
  if (cached && Date.now() - cached.readAt < RUNTIME_TTL_MS) return cached.value;
  const [row] = await db.select({ value: forumRuntime.value }).from(forumRuntime).where(eq(forumRuntime.key, FORUM_SEARCH_RUNTIME_KEY));
  const value = row?.value as Partial<ForumSearchRuntime> | undefined;
  if (typeof value?.key !== "string" || typeof value.index !== "string") {
    // Not cached: the app may write it any moment (it retries while Meilisearch is down).
    runtimes.delete(db);
    return null;
  }
  const runtime = { key: value.key, index: value.index };
  runtimes.set(db, { value: runtime, readAt: Date.now() });
  return runtime;
}

/** A tag for a Meilisearch filter: always quoted, quotes and backslashes escaped. */
const quoted = (value: string) => `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;

/**
 * One page of published threads matching `q` (20 to a page; newest first when `q` is empty),
 * optionally within a tag. Every hit is checked against `forum_threads` in one query, so a thread
 * withdrawn or expired a moment ago is left out before the relay has taken it out of the index,
 * and so is a customer's question that waits for a moderator or was removed.
 * Titles, summaries and tags come from that row as plain text: nothing Meilisearch marks up is shown.
 */
export async function searchForum(
  db: Db,
  options: { meiliUrl: string | undefined; onError?: (error: unknown) => void },
  q: string,
  { page = 1, tag }: { page?: number; tag?: string } = {},
): Promise<ForumSearchResult> {
  if (!options.meiliUrl) return UNAVAILABLE;
  const runtime = await searchRuntime(db);
  if (!runtime) return UNAVAILABLE;
  const query = q.trim().slice(0, MAX_QUERY_LENGTH);
  const pageNumber = Number.isSafeInteger(page) && page >= 1 ? page : 1;
  const offset = (pageNumber - 1) * FORUM_SEARCH_PAGE_SIZE;
  if (offset >= MAX_HITS) return { hits: [], total: 0, unavailable: false };

  let ids: number[];
  let estimated: number;
  try {
    const client = createMeiliClient(options.meiliUrl, runtime.key);
    const response = await client.index(runtime.index).search(query, {
      offset,
      limit: FORUM_SEARCH_PAGE_SIZE,
      attributesToRetrieve: ["id"],
      ...(tag ? { filter: `tags = ${quoted(tag)}` } : {}),
      ...(query === "" ? { sort: ["publishedAt:desc"] } : {}),
    });
    ids = response.hits.map((h) => Number(h.id)).filter((id) => Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647);
    estimated = response.estimatedTotalHits ?? ids.length;
  } catch (error) {
    // A refused key (the app made a new one with a new master key): read forum_runtime again next time.
    if (meiliErrorCode(error) === "invalid_api_key") runtimes.delete(db);
    options.onError?.(error);
    return UNAVAILABLE;
  }
  if (ids.length === 0) return { hits: [], total: estimated, unavailable: false };

  const rows = await db
    .select({
      id: forumThreads.id,
      slug: forumThreads.slug,
      title: forumThreads.title,
      summary: forumThreads.summary,
      tags: forumThreads.tags,
      publishedAt: forumThreads.publishedAt,
      solved: forumThreads.solved,
    })
    .from(forumThreads)
    .where(
      and(
        inArray(forumThreads.id, ids),
        isNull(forumThreads.withdrawnAt),
        or(isNull(forumThreads.expiresAt), gt(forumThreads.expiresAt, sql`now()`)),
        eq(forumThreads.moderation, "visible"),
      ),
    );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hits = ids.flatMap((id) => byId.get(id) ?? []);
  return { hits, total: Math.max(offset + hits.length, estimated - (ids.length - hits.length)), unavailable: false };
}
