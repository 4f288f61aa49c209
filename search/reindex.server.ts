import { and, asc, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import type { Meilisearch, Task } from "meilisearch";
import type { Db } from "#db/client.server.ts";
import { meiliErrorCode, settled } from "./client.server.ts";
import { articles, badges, ideas, kudos, outbox, posts, users, wikiPages } from "#db/schema/index.ts";
import {
  articleDocuments,
  badgeDocuments,
  type Documents,
  ideaDocuments,
  kudosDocuments,
  pageDocuments,
  personDocuments,
  questionDocuments,
  searchableArticle,
  searchableBadge,
  searchableKudos,
} from "./documents.server.ts";
import { OUTBOX_CHANNEL, type OutboxKind } from "./outbox.server.ts";
import { INDEX_SETTINGS, type IndexedKind, indexName } from "./indexes.ts";
// Issue 19, forum search: the forum's documents and which threads are live.
import { forumThreadDocuments, liveForumThread } from "./forum.server.ts";
import { forumThreads } from "#db/schema/index.ts";

/**
 * A full rebuild from PostgreSQL: each kind is streamed into a NEW index, which is then swapped in
 * for the live one (Meilisearch swap-indexes, atomic), and the old one is deleted. Searches keep
 * hitting the live index until the swap. Writes made during the rebuild are named again in the
 * outbox after the swap, so the relay brings the new index up to them (their rows may have gone
 * to the old index, or been read before the change).
 */

/** Items read from PostgreSQL at a time (one `ids` and one `documents` call). */
export const REINDEX_BATCH = 1_000;
/**
 * Documents sent to Meilisearch in one task, at most: Meilisearch's work per task grows with the
 * index (after each batch it indexes it updates its prefix and facet databases), so fewer, larger
 * tasks index faster. Its memory stays within --max-indexing-memory whatever the size.
 */
export const REINDEX_TASK_DOCUMENTS = 5_000;
/** ...and at most this many characters of JSON (72 MB of UTF-8 at worst), under Meilisearch's 100 MB payload limit. */
const TASK_CHARACTERS = 24_000_000;
/** Tasks sent and not yet indexed before the rebuild waits: Meilisearch batches what is queued together. */
export const REINDEX_PENDING_TASKS = 4;

export type ReindexTuning = { readBatch: number; taskDocuments: number; pendingTasks: number };
const TUNING: ReindexTuning = { readBatch: REINDEX_BATCH, taskDocuments: REINDEX_TASK_DOCUMENTS, pendingTasks: REINDEX_PENDING_TASKS };

/** How long one Meilisearch task may take before the rebuild gives up. */
const TASK_TIMEOUT_MS = 10 * 60_000;
/** Polled every 20 ms: a rebuild waits on about thirty short tasks (create, settings, swap, delete) besides the indexing. */
const WAIT = { timeoutMs: TASK_TIMEOUT_MS, intervalMs: 20 };
/** Writes committed shortly before the rebuild started may have been read either way: re-queue them too. */
const RACE_MARGIN = sql`interval '1 minute'`;

export type ReindexProgress = { kind: IndexedKind; indexed: number; deleted: number; elapsedMs: number; done: boolean };

export type ReindexResult = Record<IndexedKind, { index: string; documents: number; ms: number }>;

type Builder = {
  /** The outbox kind of its items: what is queued again for writes made during the rebuild. */
  outbox: OutboxKind;
  /** Items read at a time, when not the default (REINDEX_BATCH). */
  batch?: number;
  /** The next `limit` live ids after `after`, in id order. */
  ids: (db: Db, after: number, limit: number) => Promise<number[]>;
  documents: (db: Db, ids: number[]) => Promise<Documents<{ id: number | string }>>;
};

/** What each index is built from: one kind each, but kudos and badges share `recognition`. */
const BUILDERS: Record<IndexedKind, Builder[]> = {
  question: [
    {
      outbox: "question",
      ids: async (db, after, limit) =>
        (
          await db
            .select({ id: posts.id })
            .from(posts)
            .where(and(eq(posts.type, "question"), isNull(posts.deletedAt), gt(posts.id, after)))
            .orderBy(asc(posts.id))
            .limit(limit)
        ).map((r) => r.id),
      documents: questionDocuments,
    },
  ],
  person: [
    {
      outbox: "person",
      // A person's top tags and expertise are read by scanning their posts and evidence: the cost
      // of a read hardly grows with the people in it, so a rebuild reads many at once.
      batch: 5_000,
      ids: async (db, after, limit) =>
        (
          await db
            .select({ id: users.id })
            .from(users)
            .where(and(eq(users.kind, "employee"), isNull(users.deactivatedAt), isNotNull(users.emailVerifiedAt), gt(users.id, after)))
            .orderBy(asc(users.id))
            .limit(limit)
        ).map((r) => r.id),
      documents: personDocuments,
    },
  ],
  idea: [
    {
      outbox: "idea",
      // Every idea, merged ones included: they stay findable with status "merged".
      ids: async (db, after, limit) => (await db.select({ id: ideas.id }).from(ideas).where(gt(ideas.id, after)).orderBy(asc(ideas.id)).limit(limit)).map((r) => r.id),
      documents: ideaDocuments,
    },
  ],
  wiki_page: [
    {
      outbox: "wiki_page",
      ids: async (db, after, limit) =>
        (
          await db
            .select({ id: wikiPages.id })
            .from(wikiPages)
            .where(and(isNull(wikiPages.deletedAt), gt(wikiPages.id, after)))
            .orderBy(asc(wikiPages.id))
            .limit(limit)
        ).map((r) => r.id),
      documents: pageDocuments,
    },
  ],
  article: [
    {
      outbox: "article",
      // Published and not deleted: drafts and scheduled articles are not searchable.
      ids: async (db, after, limit) =>
        (
          await db
            .select({ id: articles.id })
            .from(articles)
            .where(and(searchableArticle(), gt(articles.id, after)))
            .orderBy(asc(articles.id))
            .limit(limit)
        ).map((r) => r.id),
      documents: articleDocuments,
    },
  ],
  recognition: [
    {
      outbox: "kudos",
      // Public and not withdrawn: private kudos are never in the index.
      ids: async (db, after, limit) =>
        (
          await db
            .select({ id: kudos.id })
            .from(kudos)
            .where(and(searchableKudos(), gt(kudos.id, after)))
            .orderBy(asc(kudos.id))
            .limit(limit)
        ).map((r) => r.id),
      documents: kudosDocuments,
    },
    {
      outbox: "badge",
      ids: async (db, after, limit) =>
        (
          await db
            .select({ id: badges.id })
            .from(badges)
            .where(and(searchableBadge(), gt(badges.id, after)))
            .orderBy(asc(badges.id))
            .limit(limit)
        ).map((r) => r.id),
      documents: badgeDocuments,
    },
  ],
  // Issue 19, forum search: published threads that are neither withdrawn nor expired.
  forum_thread: [
    {
      outbox: "forum_thread",
      ids: async (db, after, limit) =>
        (
          await db
            .select({ id: forumThreads.id })
            .from(forumThreads)
            .where(and(liveForumThread(), gt(forumThreads.id, after)))
            .orderBy(asc(forumThreads.id))
            .limit(limit)
        ).map((r) => r.id),
      documents: forumThreadDocuments,
    },
  ],
};

function succeeded(task: Task, what: string): void {
  if (task.status !== "succeeded") throw new Error(`${what}: Meilisearch task ${task.uid} ${task.status}${task.error ? `: ${task.error.message}` : ""}`);
}

/** Rebuilds one kind's index and swaps it in; returns how many documents it holds. */
async function reindexKind(
  db: Db,
  client: Meilisearch,
  kind: IndexedKind,
  prefix: string,
  onProgress: (p: ReindexProgress) => void | Promise<void>,
  tuning: ReindexTuning,
): Promise<{ index: string; documents: number; ms: number }> {
  const started = Date.now();
  const live = indexName(kind, prefix);
  const build = `${live}_build_${started}`;
  await removeLeftoverBuilds(client, live);
  succeeded(await settled(client, client.createIndex(build, { primaryKey: "id" }), WAIT), `creating ${build}`);
  const createdAt = (await client.index(build).getRawInfo()).createdAt;
  let indexed = 0;
  let deleted = 0;
  try {
    succeeded(await settled(client, client.index(build).updateSettings(INDEX_SETTINGS[kind]), WAIT), `settings of ${build}`);
    const index = client.index(build);
    const pending: number[] = [];
    // Each read batch's documents as JSON (an array without its brackets), joined into one task.
    let queued: string[] = [];
    let queuedDocuments = 0;
    let queuedCharacters = 0;
    const send = async () => {
      if (queued.length === 0) return;
      const body = `[${queued.join(",")}]`;
      queued = [];
      queuedDocuments = 0;
      queuedCharacters = 0;
      pending.push((await index.addDocumentsFromString(body, "application/json", { primaryKey: "id" })).taskUid);
      // Meilisearch indexes the earlier tasks while the next ones are read; keep a short queue.
      while (pending.length > tuning.pendingTasks) succeeded(await settled(client, pending.shift()!, WAIT), `indexing into ${build}`);
    };
    for (const builder of BUILDERS[kind]) {
      // The next batch is read from PostgreSQL while this one is sent: the two overlap.
      const read = (after: number) => {
        const batch = (async () => {
          const ids = await builder.ids(db, after, builder.batch ?? tuning.readBatch);
          return ids.length === 0 ? null : { last: ids.at(-1)!, ...(await builder.documents(db, ids)) };
        })();
        // Awaited on the next turn of the loop; until then a failure must not count as unhandled.
        batch.catch(() => {});
        return batch;
      };
      for (let next = read(0); ;) {
        const batch = await next;
        if (!batch) break;
        next = read(batch.last);
        // Deleted between the id query and the document query: simply not in the new index.
        deleted += batch.deletes.length;
        if (batch.upserts.length > 0) {
          const json = JSON.stringify(batch.upserts).slice(1, -1);
          if (queuedCharacters + json.length > TASK_CHARACTERS) await send();
          queued.push(json);
          queuedDocuments += batch.upserts.length;
          queuedCharacters += json.length;
        }
        indexed += batch.upserts.length;
        if (queuedDocuments >= tuning.taskDocuments) await send();
        await onProgress({ kind, indexed, deleted, elapsedMs: Date.now() - started, done: false });
      }
    }
    await send();
    for (const uid of pending) succeeded(await settled(client, uid, WAIT), `indexing into ${build}`);

    const exists = await client
      .index(live)
      .getRawInfo()
      .then(
        () => true,
        (error: unknown) => {
          if (meiliErrorCode(error) === "index_not_found") return false;
          throw error;
        },
      );
    // Published only whole: the build must still be the index this rebuild created (a document
    // addition to an index deleted meanwhile makes a new, partial one of the same name) and hold
    // every document sent to it.
    const [info, stats] = await Promise.all([client.index(build).getRawInfo(), client.index(build).getStats()]);
    if (String(info.createdAt) !== String(createdAt) || stats.numberOfDocuments !== indexed) {
      throw new Error(
        `${build} holds ${stats.numberOfDocuments} of the ${indexed} documents sent${String(info.createdAt) === String(createdAt) ? "" : " and was made anew meanwhile"}: not swapped in`,
      );
    }
    // The first rebuild has no live index to swap with: the build is renamed into place instead.
    const swap = exists ? { indexes: [live, build] as [string, string], rename: false } : { indexes: [build, live] as [string, string], rename: true };
    succeeded(await settled(client, client.swapIndexes([swap]), WAIT), `swapping ${build} into ${live}`);
    await onProgress({ kind, indexed, deleted, elapsedMs: Date.now() - started, done: true });
  } catch (error) {
    // The half-built index goes. When the failure was Meilisearch going away, this delete fails
    // too: the failure that stopped the rebuild is the one reported, and the next rebuild removes
    // the leftover (removeLeftoverBuilds).
    await deleteBuild(client, build).catch(() => {});
    throw error;
  }
  // After the swap this is the old index.
  await deleteBuild(client, build);
  return { index: live, documents: indexed, ms: Date.now() - started };
}

async function deleteBuild(client: Meilisearch, build: string): Promise<void> {
  const removed = await settled(client, client.deleteIndex(build), WAIT);
  if (removed.status === "failed" && removed.error?.code !== "index_not_found") succeeded(removed, `deleting ${build}`);
}

/**
 * Deletes the build indexes an interrupted rebuild of `live` left behind (Meilisearch killed or
 * the rebuild stopped before its own clean-up): they were never swapped in, nothing searches
 * them, and each holds a copy of the data. One rebuild runs at a time; a second one started
 * meanwhile removes the first one's build, which then fails without publishing anything.
 */
async function removeLeftoverBuilds(client: Meilisearch, live: string): Promise<void> {
  const leftovers: string[] = [];
  for (let offset = 0; ; offset += 1000) {
    const { results, total } = await client.getIndexes({ offset, limit: 1000 });
    leftovers.push(...results.map((i) => i.uid).filter((uid) => uid.startsWith(`${live}_build_`) && /^\d+$/.test(uid.slice(live.length + 7))));
    if (offset + results.length >= total || results.length === 0) break;
  }
  for (const uid of leftovers) {
    const removed = await settled(client, client.deleteIndex(uid), WAIT);
    if (removed.status === "failed" && removed.error?.code !== "index_not_found") succeeded(removed, `deleting the leftover ${uid}`);
  }
}

/**
 * Rebuilds every index from PostgreSQL. Items written during the rebuild are queued again for
 * the relay once the new indexes are live.
 */
export async function reindexAll(
  db: Db,
  client: Meilisearch,
  options: { prefix?: string; kinds?: IndexedKind[]; onProgress?: (p: ReindexProgress) => void | Promise<void>; tuning?: Partial<ReindexTuning> } = {},
): Promise<ReindexResult> {
  const prefix = options.prefix ?? "";
  const kinds = options.kinds ?? (Object.keys(BUILDERS) as IndexedKind[]);
  const [clock] = await db.execute<{ started_at: string }>(sql`select now()::text as started_at`);
  const startedAt = clock!.started_at;
  const result = {} as ReindexResult;
  for (const kind of kinds) result[kind] = await reindexKind(db, client, kind, prefix, options.onProgress ?? (() => {}), { ...TUNING, ...options.tuning });
  const outboxKinds = kinds.flatMap((kind) => BUILDERS[kind].map((b) => b.outbox));
  await db.execute(sql`
    insert into ${outbox} (kind, item_id)
    select distinct kind, item_id from ${outbox}
    where created_at >= ${startedAt}::timestamptz - ${RACE_MARGIN} and kind = any(${`{${outboxKinds.join(",")}}`}::text[])`);
  await db.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
  return result;
}
