import { createHash } from "node:crypto";
import { and, asc, inArray, type SQL, sql } from "drizzle-orm";
import type { Key, Meilisearch } from "meilisearch";
import type { Db } from "#db/client.server.ts";
import { forumAnswers, forumRuntime, forumThreads } from "#db/schema/index.ts";
import { meiliErrorCode } from "./client.server.ts";
import { ANSWER_LIMIT, BODY_LIMIT, type Documents, htmlText, TOP_ANSWERS } from "./documents.server.ts";
import { FORUM_SEARCH_RUNTIME_KEY, type ForumSearchRuntime, indexName } from "./indexes.ts";

/**
 * The public forum's search (issue 19), on the app's side: the documents of its own index, built
 * from the published snapshots in `forum_threads` and never from an internal table, and the
 * search-only key the forum process searches that index with. The forum's side is
 * forum/search.server.ts.
 */

export interface ForumThreadDocument {
  id: number;
  slug: string;
  title: string;
  summary: string;
  tags: string[];
  /** The question's text without markup (from its approved HTML), cut to BODY_LIMIT. */
  body: string;
  /** The approved answers' text, the accepted one first, as many and as long as a question's. */
  answers: string[];
  /** Seconds since the epoch. */
  publishedAt: number;
  solved: boolean;
  /** `updated_at` (the last publication) in milliseconds: lets a reconcile compare versions. */
  version: number;
}

/** Every field of a forum thread's document (the compiler checks the list against the interface). */
export const FORUM_DOCUMENT_FIELDS = Object.keys({
  id: true,
  slug: true,
  title: true,
  summary: true,
  tags: true,
  body: true,
  answers: true,
  publishedAt: true,
  solved: true,
  version: true,
} satisfies Record<keyof ForumThreadDocument, true>);

/**
 * A thread is on the forum while it is neither withdrawn nor past its expiry (the database's clock),
 * and (part 2) not a customer's post waiting for a moderator or removed by one.
 */
export function liveForumThread(): SQL {
  return sql`(${forumThreads.withdrawnAt} is null and (${forumThreads.expiresAt} is null or ${forumThreads.expiresAt} > now()) and ${forumThreads.moderation} = 'visible')`;
}

/**
 * The current documents of forum threads, in two queries. Withdrawn, expired and missing threads
 * come back in `deletes`, so unpublishing or an expiry takes a thread out of the index.
 */
export async function forumThreadDocuments(db: Db, ids: number[]): Promise<Documents<ForumThreadDocument>> {
  if (ids.length === 0) return { upserts: [], deletes: [] };
  const rows = await db
    .select({
      id: forumThreads.id,
      slug: forumThreads.slug,
      title: forumThreads.title,
      summary: forumThreads.summary,
      tags: forumThreads.tags,
      bodyHtml: forumThreads.bodyHtml,
      solved: forumThreads.solved,
      publishedAt: forumThreads.publishedAt,
      updatedAt: forumThreads.updatedAt,
    })
    .from(forumThreads)
    .where(and(inArray(forumThreads.id, ids), liveForumThread()));

  const answers = new Map<number, string[]>();
  if (rows.length > 0) {
    // In the order the forum shows them (the accepted one first), as many as a question's document carries.
    const ranked = db
      .select({
        threadId: forumAnswers.threadId,
        bodyHtml: forumAnswers.bodyHtml,
        rank: sql<number>`row_number() over (partition by ${forumAnswers.threadId} order by ${forumAnswers.accepted} desc, ${forumAnswers.position}, ${forumAnswers.id})`.as("rank"),
      })
      .from(forumAnswers)
      .where(
        inArray(
          forumAnswers.threadId,
          rows.map((r) => r.id),
        ),
      )
      .as("ranked");
    const answerRows = await db
      .select({ threadId: ranked.threadId, bodyHtml: ranked.bodyHtml })
      .from(ranked)
      .where(sql`${ranked.rank} <= ${TOP_ANSWERS + 1}`)
      .orderBy(asc(ranked.threadId), asc(ranked.rank));
    for (const a of answerRows) answers.set(a.threadId, [...(answers.get(a.threadId) ?? []), htmlText(a.bodyHtml).slice(0, ANSWER_LIMIT)]);
  }

  const upserts = rows.map((r): ForumThreadDocument => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    tags: r.tags,
    body: htmlText(r.bodyHtml).slice(0, BODY_LIMIT),
    answers: answers.get(r.id) ?? [],
    publishedAt: Math.floor(r.publishedAt.getTime() / 1000),
    solved: r.solved,
    version: r.updatedAt.getTime(),
  }));
  const found = new Set(upserts.map((d) => d.id));
  return { upserts, deletes: ids.filter((id) => !found.has(id)) };
}

export const FORUM_SEARCH_KEY_NAME = "commons-forum-search";
const FORUM_SEARCH_ACTIONS = ["search"];

/**
 * The uid of the forum's key for an index: a version-4-shaped UUID from a hash of the index name,
 * so every start (and every instance) finds the same key instead of adding one, and a second
 * installation with its own prefix on the same Meilisearch has a key of its own.
 */
export function forumSearchKeyUid(index: string): string {
  const hex = createHash("sha256").update(`commons-forum-search:${index}`).digest("hex").slice(0, 32).split("");
  hex[12] = "4";
  hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const fitsForum = (key: Key, index: string) => key.expiresAt === null && key.actions.length === 1 && key.actions[0] === "search" && key.indexes.length === 1 && key.indexes[0] === index;

async function keyByUid(client: Meilisearch, uid: string): Promise<Key | undefined> {
  try {
    return await client.getKey(uid);
  } catch (error) {
    if (meiliErrorCode(error) === "api_key_not_found") return undefined;
    throw error;
  }
}

/**
 * Makes sure the forum's key exists (idempotently, by its fixed uid) and tells the forum process
 * about it through `forum_runtime`. `client` must hold the master key, which never leaves the app:
 * the forum is given only this key, which can search the forum's index and do nothing else, not
 * even read a document by id or a task. Meilisearch derives a key's value from its uid and the
 * master key, so a new master key means a new value, written here at the next start.
 */
export async function ensureForumSearchKey(client: Meilisearch, db: Db, prefix = ""): Promise<ForumSearchRuntime> {
  const index = indexName("forum_thread", prefix);
  const uid = forumSearchKeyUid(index);
  let key = await keyByUid(client, uid);
  if (key && !fitsForum(key, index)) {
    // A key's actions and indexes can't be changed in place: one that has drifted is made again.
    await client.deleteKey(uid);
    key = undefined;
  }
  if (!key) {
    try {
      key = await client.createKey({
        uid,
        name: FORUM_SEARCH_KEY_NAME,
        description: `The public forum's key: search in the ${index} index only.`,
        actions: FORUM_SEARCH_ACTIONS,
        indexes: [index],
        expiresAt: null,
      });
    } catch (error) {
      // Another instance starting at the same moment made it first.
      if (meiliErrorCode(error) !== "api_key_already_exists") throw error;
      key = await client.getKey(uid);
    }
  }
  const value: ForumSearchRuntime = { key: key.key, index };
  await db
    .insert(forumRuntime)
    .values({ key: FORUM_SEARCH_RUNTIME_KEY, value })
    .onConflictDoUpdate({ target: forumRuntime.key, set: { value, updatedAt: sql`now()` } });
  return value;
}
