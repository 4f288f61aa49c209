import { and, asc, eq, gt, isNotNull, isNull } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import type { Db } from "#db/client.server.ts";
import { meiliErrorCode } from "./client.server.ts";
import { ideas, outbox, posts, users } from "#db/schema/index.ts";
import { type IndexedKind, INDEX_NAMES, indexName } from "./indexes.ts";
import { enqueueIndexing } from "./outbox.server.ts";

/**
 * Reconcile: compares, for every index, the ids and versions of the live items in PostgreSQL with
 * those of the documents in Meilisearch, and queues what differs in the outbox (the relay then
 * writes or deletes it, from PostgreSQL's current state). It repairs drift the outbox cannot see:
 * an index restored from an old dump, documents written by hand, data that predates the outbox.
 *
 * A document's `version` is its item's `updated_at` in milliseconds. Items that already have a
 * pending outbox row are on their way and are not counted as drift.
 */

export type ReconcileCounts = {
  /** Live items in PostgreSQL. */
  checked: number;
  /** Live items with no document. */
  missing: number;
  /** Documents with another version than their item. */
  stale: number;
  /** Documents whose item is deleted or gone. */
  extra: number;
  /** Outbox rows added (missing + stale + extra). */
  queued: number;
};
export type ReconcileReport = Record<IndexedKind, ReconcileCounts>;

const PAGE = 5_000;
const DOCUMENT_PAGE = 1_000;

type Versions = (db: Db, after: number, limit: number) => Promise<{ id: number; version: number }[]>;

/** The live items of each kind, in id order, with the version their document carries. */
const LIVE: Record<IndexedKind, Versions> = {
  question: async (db, after, limit) =>
    (
      await db
        .select({ id: posts.id, updatedAt: posts.updatedAt })
        .from(posts)
        .where(and(eq(posts.type, "question"), isNull(posts.deletedAt), gt(posts.id, after)))
        .orderBy(asc(posts.id))
        .limit(limit)
    ).map((r) => ({ id: r.id, version: r.updatedAt.getTime() })),
  person: async (db, after, limit) =>
    (
      await db
        .select({ id: users.id, updatedAt: users.updatedAt })
        .from(users)
        .where(and(eq(users.kind, "employee"), isNull(users.deactivatedAt), isNotNull(users.emailVerifiedAt), gt(users.id, after)))
        .orderBy(asc(users.id))
        .limit(limit)
    ).map((r) => ({ id: r.id, version: r.updatedAt.getTime() })),
  idea: async (db, after, limit) =>
    (await db.select({ id: ideas.id, updatedAt: ideas.updatedAt }).from(ideas).where(gt(ideas.id, after)).orderBy(asc(ideas.id)).limit(limit)).map((r) => ({
      id: r.id,
      version: r.updatedAt.getTime(),
    })),
};

/** Every document's id and version; an index that does not exist yet holds none. */
async function indexedVersions(client: Meilisearch, uid: string): Promise<Map<number, number>> {
  const versions = new Map<number, number>();
  for (let offset = 0; ; offset += DOCUMENT_PAGE) {
    let page;
    try {
      page = await client.index(uid).getDocuments<{ id: number; version?: number }>({ fields: ["id", "version"], limit: DOCUMENT_PAGE, offset });
    } catch (error) {
      if (meiliErrorCode(error) === "index_not_found") return versions;
      throw error;
    }
    for (const doc of page.results) versions.set(Number(doc.id), Number(doc.version ?? -1));
    if (page.results.length < DOCUMENT_PAGE) return versions;
  }
}

async function pendingItems(db: Db, kind: IndexedKind): Promise<Set<number>> {
  const rows = await db
    .selectDistinct({ itemId: outbox.itemId })
    .from(outbox)
    .where(and(eq(outbox.kind, kind), eq(outbox.status, "pending")));
  return new Set(rows.map((r) => r.itemId));
}

async function reconcileKind(db: Db, client: Meilisearch, kind: IndexedKind, prefix: string): Promise<ReconcileCounts> {
  const indexed = await indexedVersions(client, indexName(kind, prefix));
  const pending = await pendingItems(db, kind);
  const counts: ReconcileCounts = { checked: 0, missing: 0, stale: 0, extra: 0, queued: 0 };
  const queue = async (ids: number[]) => {
    if (ids.length === 0) return;
    await db.transaction((tx) => enqueueIndexing(tx, kind, ids));
    counts.queued += ids.length;
  };

  for (let after = 0; ;) {
    const live = await LIVE[kind](db, after, PAGE);
    if (live.length === 0) break;
    after = live.at(-1)!.id;
    counts.checked += live.length;
    const drifted: number[] = [];
    for (const item of live) {
      const version = indexed.get(item.id);
      indexed.delete(item.id);
      if (pending.has(item.id)) continue;
      if (version === undefined) counts.missing += 1;
      else if (version !== item.version) counts.stale += 1;
      else continue;
      drifted.push(item.id);
    }
    await queue(drifted);
  }
  // What is left in the index has no live item: the relay deletes a document whose item is gone.
  const extra = [...indexed.keys()].filter((id) => !pending.has(id));
  counts.extra = extra.length;
  for (let i = 0; i < extra.length; i += PAGE) await queue(extra.slice(i, i + PAGE));
  return counts;
}

export async function reconcileIndexes(db: Db, client: Meilisearch, options: { prefix?: string; kinds?: IndexedKind[] } = {}): Promise<ReconcileReport> {
  const report = {} as ReconcileReport;
  for (const kind of options.kinds ?? (Object.keys(INDEX_NAMES) as IndexedKind[])) {
    report[kind] = await reconcileKind(db, client, kind, options.prefix ?? "");
  }
  return report;
}

/** How many items a reconcile queued, over all kinds. */
export function driftTotal(report: ReconcileReport): number {
  return Object.values(report).reduce((sum, c) => sum + c.queued, 0);
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * Runs the reconcile a little after start (once the relay has had a go at what is queued) and then
 * daily. Drift is logged as a warning: it means something wrote around the outbox.
 */
export function startReconcileJob(
  db: Db,
  client: Meilisearch,
  log: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void },
  options: { firstAfterMs?: number; everyMs?: number } = {},
): () => void {
  const run = async () => {
    try {
      const report = await reconcileIndexes(db, client);
      if (driftTotal(report) > 0) log.warn({ report }, "search reconcile: the index had drifted; the differences are queued");
      else log.info({ report }, "search reconcile: the indexes match PostgreSQL");
    } catch (error) {
      log.warn({ err: error }, "search reconcile failed; it runs again later");
    }
  };
  const first = setTimeout(run, options.firstAfterMs ?? 60_000).unref();
  const timer = setInterval(run, options.everyMs ?? DAY).unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
