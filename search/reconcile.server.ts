import { and, asc, eq, gt, isNotNull, isNull } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import type { Db } from "#db/client.server.ts";
import { meiliErrorCode } from "./client.server.ts";
import { articles, badges, ideas, kudos, outbox, posts, users, wikiPages } from "#db/schema/index.ts";
import { pageFreshnessSql, searchableArticle, searchableBadge, searchableKudos } from "./documents.server.ts";
import { type IndexedKind, INDEX_NAMES, indexName, parseRecognitionId, type RecognitionKind, recognitionDocumentId } from "./indexes.ts";
import { enqueueIndexing, type OutboxKind } from "./outbox.server.ts";
// Issue 19, forum search: which threads are live.
import { liveForumThread } from "./forum.server.ts";
import { forumThreads } from "#db/schema/index.ts";

/**
 * Reconcile: compares, for every index, the ids and versions of the live items in PostgreSQL with
 * those of the documents in Meilisearch, and queues what differs in the outbox (the relay then
 * writes or deletes it, from PostgreSQL's current state). It repairs drift the outbox cannot see:
 * an index restored from an old dump, documents written by hand, data that predates the outbox.
 *
 * A document's `version` is its item's `updated_at` in milliseconds. A page's document also has
 * to carry its freshness of now: a review that came due changes no row, and a page the review job
 * did not queue (it was not running) would otherwise keep ranking as fresh. Items that already
 * have a pending outbox row are on their way and are not counted as drift.
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

/** What must match between an item and its document: the version, and for pages the freshness too. */
type Stamped = { id: number; stamp: string };
type Live = (db: Db, after: number, limit: number) => Promise<Stamped[]>;

/** The items of one outbox kind in an index. */
type Part = {
  outbox: OutboxKind;
  /** The live items of the kind, in id order, each with the stamp its document must carry. */
  live: Live;
  /** The document id of an item, and back (null: not one of this kind's documents). */
  documentId: (id: number) => string;
  itemId: (documentId: string) => number | null;
};

type Kind = {
  /** One part per outbox kind; only `recognition` has two (kudos and badges). */
  parts: Part[];
  /** The document's fields the stamp is made of. */
  fields: string[];
  stamp: (doc: Record<string, unknown>) => string;
};

/** An index of one kind, whose document ids are the items' own. */
const single = (outbox: OutboxKind, live: Live): Part[] => [{ outbox, live, documentId: String, itemId: (id) => (/^[1-9][0-9]*$/.test(id) ? Number(id) : null) }];

/** Kudos or badges in the `recognition` index. */
const recognitionPart = (outbox: RecognitionKind, live: Live): Part => ({
  outbox,
  live,
  documentId: (id) => recognitionDocumentId(outbox, id),
  itemId: (documentId) => {
    const parsed = parseRecognitionId(documentId);
    return parsed?.kind === outbox ? parsed.id : null;
  },
});

const liveByVersion =
  (rows: (db: Db, after: number, limit: number) => Promise<Array<{ id: number; updatedAt: Date }>>): Live =>
  async (db, after, limit) =>
    (await rows(db, after, limit)).map((r) => ({ id: r.id, stamp: String(r.updatedAt.getTime()) }));

const byVersion = (doc: Record<string, unknown>) => String(doc.version ?? -1);
const pageStamp = (version: unknown, freshness: unknown) => `${String(version ?? -1)}/${String(freshness ?? -1)}`;

const KINDS: Record<IndexedKind, Kind> = {
  question: {
    parts: single(
      "question",
      liveByVersion((db, after, limit) =>
        db
          .select({ id: posts.id, updatedAt: posts.updatedAt })
          .from(posts)
          .where(and(eq(posts.type, "question"), isNull(posts.deletedAt), gt(posts.id, after)))
          .orderBy(asc(posts.id))
          .limit(limit),
      ),
    ),
    fields: ["id", "version"],
    stamp: byVersion,
  },
  person: {
    parts: single(
      "person",
      liveByVersion((db, after, limit) =>
        db
          .select({ id: users.id, updatedAt: users.updatedAt })
          .from(users)
          .where(and(eq(users.kind, "employee"), isNull(users.deactivatedAt), isNotNull(users.emailVerifiedAt), gt(users.id, after)))
          .orderBy(asc(users.id))
          .limit(limit),
      ),
    ),
    fields: ["id", "version"],
    stamp: byVersion,
  },
  idea: {
    parts: single(
      "idea",
      liveByVersion((db, after, limit) => db.select({ id: ideas.id, updatedAt: ideas.updatedAt }).from(ideas).where(gt(ideas.id, after)).orderBy(asc(ideas.id)).limit(limit)),
    ),
    fields: ["id", "version"],
    stamp: byVersion,
  },
  wiki_page: {
    parts: single("wiki_page", async (db, after, limit) =>
      (
        await db
          .select({ id: wikiPages.id, updatedAt: wikiPages.updatedAt, freshness: pageFreshnessSql })
          .from(wikiPages)
          .where(and(isNull(wikiPages.deletedAt), gt(wikiPages.id, after)))
          .orderBy(asc(wikiPages.id))
          .limit(limit)
      ).map((r) => ({ id: r.id, stamp: pageStamp(r.updatedAt.getTime(), Number(r.freshness)) })),
    ),
    fields: ["id", "version", "freshness"],
    stamp: (doc) => pageStamp(doc.version, doc.freshness),
  },
  article: {
    parts: single(
      "article",
      liveByVersion((db, after, limit) =>
        db
          .select({ id: articles.id, updatedAt: articles.updatedAt })
          .from(articles)
          .where(and(searchableArticle(), gt(articles.id, after)))
          .orderBy(asc(articles.id))
          .limit(limit),
      ),
    ),
    fields: ["id", "version"],
    stamp: byVersion,
  },
  // Kudos and badges side by side: each part compares its own documents ("kudos-12", "badge-3").
  recognition: {
    parts: [
      recognitionPart(
        "kudos",
        liveByVersion((db, after, limit) =>
          db
            .select({ id: kudos.id, updatedAt: kudos.updatedAt })
            .from(kudos)
            .where(and(searchableKudos(), gt(kudos.id, after)))
            .orderBy(asc(kudos.id))
            .limit(limit),
        ),
      ),
      recognitionPart(
        "badge",
        liveByVersion((db, after, limit) =>
          db
            .select({ id: badges.id, updatedAt: badges.updatedAt })
            .from(badges)
            .where(and(searchableBadge(), gt(badges.id, after)))
            .orderBy(asc(badges.id))
            .limit(limit),
        ),
      ),
    ],
    fields: ["id", "version"],
    stamp: byVersion,
  },
  // Issue 19, forum search: published threads that are neither withdrawn nor expired; an expired
  // one left in the index is extra, and the relay deletes it.
  forum_thread: {
    parts: single(
      "forum_thread",
      liveByVersion((db, after, limit) =>
        db
          .select({ id: forumThreads.id, updatedAt: forumThreads.updatedAt })
          .from(forumThreads)
          .where(and(liveForumThread(), gt(forumThreads.id, after)))
          .orderBy(asc(forumThreads.id))
          .limit(limit),
      ),
    ),
    fields: ["id", "version"],
    stamp: byVersion,
  },
};

/** Every document's id and stamp; an index that does not exist yet holds none. */
async function indexedStamps(client: Meilisearch, uid: string, kind: Kind): Promise<Map<string, string>> {
  const stamps = new Map<string, string>();
  for (let offset = 0; ; offset += DOCUMENT_PAGE) {
    let page;
    try {
      page = await client.index(uid).getDocuments<Record<string, unknown>>({ fields: kind.fields, limit: DOCUMENT_PAGE, offset });
    } catch (error) {
      if (meiliErrorCode(error) === "index_not_found") return stamps;
      throw error;
    }
    for (const doc of page.results) stamps.set(String(doc.id), kind.stamp(doc));
    if (page.results.length < DOCUMENT_PAGE) return stamps;
  }
}

async function pendingItems(db: Db, kind: OutboxKind): Promise<Set<number>> {
  const rows = await db
    .selectDistinct({ itemId: outbox.itemId })
    .from(outbox)
    .where(and(eq(outbox.kind, kind), eq(outbox.status, "pending")));
  return new Set(rows.map((r) => r.itemId));
}

async function reconcileKind(db: Db, client: Meilisearch, kind: IndexedKind, prefix: string): Promise<ReconcileCounts> {
  const indexed = await indexedStamps(client, indexName(kind, prefix), KINDS[kind]);
  const counts: ReconcileCounts = { checked: 0, missing: 0, stale: 0, extra: 0, queued: 0 };

  for (const part of KINDS[kind].parts) {
    const pending = await pendingItems(db, part.outbox);
    const queue = async (ids: number[]) => {
      if (ids.length === 0) return;
      await db.transaction((tx) => enqueueIndexing(tx, part.outbox, ids, { priority: 1 }));
      counts.queued += ids.length;
    };
    for (let after = 0; ;) {
      const live = await part.live(db, after, PAGE);
      if (live.length === 0) break;
      after = live.at(-1)!.id;
      counts.checked += live.length;
      const drifted: number[] = [];
      for (const item of live) {
        const documentId = part.documentId(item.id);
        const stamp = indexed.get(documentId);
        indexed.delete(documentId);
        if (pending.has(item.id)) continue;
        if (stamp === undefined) counts.missing += 1;
        else if (stamp !== item.stamp) counts.stale += 1;
        else continue;
        drifted.push(item.id);
      }
      await queue(drifted);
    }
    // What is left of this kind in the index has no live item: the relay deletes a document whose item is gone.
    const extra: number[] = [];
    for (const documentId of indexed.keys()) {
      const id = part.itemId(documentId);
      if (id === null) continue;
      indexed.delete(documentId);
      if (!pending.has(id)) extra.push(id);
    }
    counts.extra += extra.length;
    for (let i = 0; i < extra.length; i += PAGE) await queue(extra.slice(i, i + PAGE));
  }
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
