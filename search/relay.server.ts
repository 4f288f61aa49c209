import { and, eq, inArray, sql } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import type { Db } from "#db/client.server.ts";
import { startListenWorker } from "#db/listen-worker.ts";
import { type QueueHealth, queueHealth, retryDeadRows } from "#db/outbox-queue.ts";
import { outbox } from "#db/schema/index.ts";
import { articleDocuments, badgeDocuments, ideaDocuments, kudosDocuments, pageDocuments, personDocuments, questionDocuments, type Documents } from "./documents.server.ts";
import { createMeiliClient, meiliErrorText, settled } from "./client.server.ts";
// Issue 19, forum search: the forum's documents.
import { forumThreadDocuments } from "./forum.server.ts";
import { indexName, type IndexedKind, recognitionDocumentId } from "./indexes.ts";
import { OUTBOX_CHANNEL, type OutboxKind } from "./outbox.server.ts";

/**
 * The relay: takes due outbox rows, re-reads their items from PostgreSQL, writes them to
 * Meilisearch, waits until Meilisearch reports the tasks succeeded, and only then marks the rows
 * done. See "Index" in DESIGN.md.
 *
 * Claiming is one short transaction that pushes the rows' `available_at` a lease into the future
 * (so no other relay takes them, and a crashed relay's rows come back after the lease). While an
 * item has a leased (or backing-off) row, no relay claims its newer rows: one item is indexed by
 * one relay at a time, so two relays cannot write an item's versions out of order. A newer row
 * that arrives while an item is in flight is not marked done with the claimed ones: it is indexed
 * afterwards, from the state of that time.
 */

export interface RelayOptions {
  prefix?: string;
  batchSize?: number;
  maxAttempts?: number;
  /** How long a claim holds its rows; must exceed the task wait. */
  leaseMs?: number;
  /** How long to wait for Meilisearch to finish a batch's tasks. */
  taskTimeoutMs?: number;
}

export interface RelayResult {
  /** The outbox rows this run claimed. */
  ids: number[];
  claimed: number;
  done: number;
  failed: number;
  dead: number;
}

const DEFAULTS = { prefix: "", batchSize: 200, maxAttempts: 8, leaseMs: 60_000, taskTimeoutMs: 30_000 };
/** Serializes claims (only the claim, a few milliseconds) so the "item in flight" check is exact. */
const CLAIM_LOCK = 0x6f7574626f78; // "outbox"

/** Exponential backoff after the n-th failed attempt: 1 s, 2 s, 4 s … capped at 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), 5 * 60_000);
}

/**
 * For each outbox kind: the index its documents live in, how they are built, and the document id
 * of an item (its own id, except in the `recognition` index, which holds kudos and badges side
 * by side and names them "kudos-12", "badge-3").
 */
type Source = { index: IndexedKind; documents: (db: Db, ids: number[]) => Promise<Documents<{ id: number | string }>>; documentId: (id: number) => number | string };
const ownId = (id: number) => id;

const sources: Record<OutboxKind, Source> = {
  question: { index: "question", documents: questionDocuments, documentId: ownId },
  person: { index: "person", documents: personDocuments, documentId: ownId },
  idea: { index: "idea", documents: ideaDocuments, documentId: ownId },
  wiki_page: { index: "wiki_page", documents: pageDocuments, documentId: ownId },
  article: { index: "article", documents: articleDocuments, documentId: ownId },
  kudos: { index: "recognition", documents: kudosDocuments, documentId: (id) => recognitionDocumentId("kudos", id) },
  badge: { index: "recognition", documents: badgeDocuments, documentId: (id) => recognitionDocumentId("badge", id) },
  // Issue 19, forum search: published threads, into the forum's own index.
  forum_thread: { index: "forum_thread", documents: forumThreadDocuments, documentId: ownId },
};

function isKind(kind: string): kind is OutboxKind {
  return kind in sources;
}

interface Claimed {
  id: number;
  kind: string;
  itemId: number;
  attempts: number;
}

async function claim(db: Db, batchSize: number, leaseMs: number): Promise<Claimed[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`);
    const rows = await tx.execute<{ id: number; kind: string; item_id: number; attempts: number }>(sql`
      update outbox set available_at = now() + make_interval(secs => ${leaseMs / 1000})
      where id in (
        select o.id from outbox o
        where o.status = 'pending' and o.available_at <= now()
          and not exists (
            select 1 from outbox busy
            where busy.kind = o.kind and busy.item_id = o.item_id
              and busy.status = 'pending' and busy.available_at > now()
          )
        order by o.id
        limit ${batchSize}
        for update skip locked
      )
      returning id, kind, item_id, attempts`);
    return rows.map((r) => ({ id: Number(r.id), kind: r.kind, itemId: Number(r.item_id), attempts: Number(r.attempts) }));
  });
}

/** Meilisearch accepted the task and then reported it failed (as opposed to being unreachable). */
class TaskFailedError extends Error {
  override name = "TaskFailedError";
}

async function indexKind(db: Db, client: Meilisearch, kind: OutboxKind, itemIds: number[], prefix: string, timeout: number): Promise<void> {
  const source = sources[kind];
  const { upserts, deletes } = await source.documents(db, itemIds);
  const index = client.index(indexName(source.index, prefix));
  const tasks = [];
  if (upserts.length > 0) tasks.push(await index.addDocuments(upserts, { primaryKey: "id" }));
  // One kind per call, so the ids are all numbers or all strings.
  if (deletes.length > 0) tasks.push(await index.deleteDocuments(deletes.map(source.documentId) as number[] | string[]));
  for (const enqueued of tasks) {
    const task = await settled(client, enqueued.taskUid, { timeoutMs: timeout, intervalMs: 50 });
    if (task.status !== "succeeded") {
      throw new TaskFailedError(`Meilisearch task ${task.uid} (${task.type}) ${task.status}: ${task.error?.code ?? ""} ${task.error?.message ?? ""}`.trim());
    }
  }
}

/** One batch: claim, index, mark. Returns what happened; never throws for Meilisearch failures. */
export async function runRelayOnce(db: Db, client: Meilisearch, options: RelayOptions = {}): Promise<RelayResult> {
  const o = { ...DEFAULTS, ...options };
  const rows = await claim(db, o.batchSize, o.leaseMs);
  const result: RelayResult = { ids: rows.map((r) => r.id), claimed: rows.length, done: 0, failed: 0, dead: 0 };
  if (rows.length === 0) return result;

  const byKind = new Map<string, Claimed[]>();
  for (const row of rows) byKind.set(row.kind, [...(byKind.get(row.kind) ?? []), row]);

  const attempt = async (kind: string, itemIds: number[]): Promise<{ error?: string; taskFailed?: boolean }> => {
    try {
      if (!isKind(kind)) throw new Error(`no indexer for kind "${kind}"`);
      await indexKind(db, client, kind, itemIds, o.prefix, o.taskTimeoutMs);
      return {};
    } catch (e) {
      return { error: meiliErrorText(e), taskFailed: e instanceof TaskFailedError };
    }
  };
  const settle = async (finished: Claimed[], error: string | undefined) => {
    if (error === undefined) {
      // Only the claimed rows: a row added for the same item since the claim is indexed later.
      await db
        .update(outbox)
        .set({ status: "done", processedAt: sql`now()`, lastError: null })
        .where(
          inArray(
            outbox.id,
            finished.map((r) => r.id),
          ),
        );
      result.done += finished.length;
      return;
    }
    for (const row of finished) {
      const attempts = row.attempts + 1;
      const dead = attempts >= o.maxAttempts;
      await db
        .update(outbox)
        .set({
          attempts,
          status: dead ? "dead" : "pending",
          availableAt: sql`now() + make_interval(secs => ${backoffMs(attempts) / 1000})`,
          lastError: error.slice(0, 2000),
        })
        .where(and(eq(outbox.id, row.id), eq(outbox.status, "pending")));
      if (dead) result.dead += 1;
      else result.failed += 1;
    }
  };

  for (const [kind, kindRows] of byKind) {
    const itemIds = [...new Set(kindRows.map((r) => r.itemId))];
    const batch = await attempt(kind, itemIds);
    if (batch.taskFailed && itemIds.length > 1) {
      // One bad document fails its whole task: index the items one at a time so only it fails.
      for (const itemId of itemIds) {
        const single = await attempt(kind, [itemId]);
        await settle(
          kindRows.filter((r) => r.itemId === itemId),
          single.error,
        );
      }
    } else {
      await settle(kindRows, batch.error);
    }
  }
  return result;
}

/** Runs batches until none is due (or a batch fails, which backs off). */
export async function runRelayUntilIdle(db: Db, client: Meilisearch, options: RelayOptions = {}): Promise<RelayResult> {
  const total: RelayResult = { ids: [], claimed: 0, done: 0, failed: 0, dead: 0 };
  for (;;) {
    const r = await runRelayOnce(db, client, options);
    total.ids.push(...r.ids);
    total.claimed += r.claimed;
    total.done += r.done;
    total.failed += r.failed;
    total.dead += r.dead;
    if (r.claimed === 0 || r.failed + r.dead > 0) return total;
  }
}

export interface RelayLog {
  info: (obj: object, msg: string) => void;
  warn: (obj: object, msg: string) => void;
}

/**
 * Starts the relay in this process: wakes on NOTIFY (a dedicated connection LISTENs on
 * OUTBOX_CHANNEL) and polls every `pollMs`, so a missed notification only delays. Returns stop().
 */
export function startRelay(db: Db, options: RelayOptions & { databaseUrl: string; meiliUrl: string; meiliKey?: string; log: RelayLog; pollMs?: number }): () => Promise<void> {
  const client = createMeiliClient(options.meiliUrl, options.meiliKey, 10_000);
  return startListenWorker({
    databaseUrl: options.databaseUrl,
    channel: OUTBOX_CHANNEL,
    pollMs: options.pollMs ?? 3000,
    name: "search relay",
    log: options.log,
    work: async () => {
      const r = await runRelayUntilIdle(db, client, options);
      if (r.failed + r.dead > 0) options.log.warn({ done: r.done, failed: r.failed, dead: r.dead }, "search relay: indexing failed, will retry");
    },
  });
}

/** Puts dead rows (all, or the given ones) back to pending, with a fresh count of attempts. */
export function retryDead(db: Db, ids?: number[]): Promise<number> {
  return retryDeadRows(db, outbox, ids);
}

export type OutboxHealth = QueueHealth;

export function outboxHealth(db: Db): Promise<OutboxHealth> {
  return queueHealth(db, outbox);
}

/** Done rows are only history: housekeeping deletes those processed more than `olderThanHours` ago. */
export async function pruneOutbox(db: Db, olderThanHours = 24): Promise<number> {
  const rows = await db.execute<{ id: number }>(sql`
    delete from ${outbox} where status = 'done' and processed_at < now() - make_interval(hours => ${olderThanHours}) returning id`);
  return rows.length;
}
