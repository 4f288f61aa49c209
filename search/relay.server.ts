import { setTimeout as sleep } from "node:timers/promises";
import { inArray, sql } from "drizzle-orm";
import type { Meilisearch, Task } from "meilisearch";
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
import { intArray } from "#db/sql-params.ts";

/**
 * The relay: takes due outbox rows, re-reads their items from PostgreSQL, writes them to
 * Meilisearch, waits until Meilisearch reports the tasks succeeded, and only then marks the rows
 * done. See "Index" in DESIGN.md and decision 004.
 *
 * Claiming is one short transaction that pushes the rows' `available_at` a lease into the future
 * (so no other relay takes them, and a crashed relay's rows come back after the lease). While an
 * item has a leased (or backing-off) row, no relay claims its newer rows: one item is indexed by
 * one relay at a time, so two relays cannot write an item's versions out of order. A newer row
 * that arrives while an item is in flight is not marked done with the claimed ones: it is indexed
 * afterwards, from the state of that time.
 *
 * Issue 22, so that a person's own edit is searchable soon even while votes are being indexed:
 * - A claim takes rows of priority 0 (someone waits for their own write) before priority 1
 *   (background refreshes), oldest first within each; background rows keep a quarter of every
 *   batch when they wait, so a stream of edits cannot starve them. It also takes the other due
 *   rows of the items it claimed: one document read from the item's current state answers them
 *   all (a thousand votes on one idea are one document, not five batches).
 * - A batch builds each kind's documents with one query per kind, then sends one addition (and
 *   one deletion) per index, the indexes with priority rows first, and waits for all its tasks
 *   together; each index's rows are marked as soon as its tasks have finished.
 * - While a batch waits on Meilisearch the next one is claimed and sent (at most `pipeline`
 *   batches in flight), with priority 0 rows only: background rows wait for the pipeline to be
 *   empty, so that Meilisearch's queue never holds more than one batch of them in front of an
 *   edit. The lease makes this safe: the next claim skips every item in flight.
 */

export interface RelayOptions {
  prefix?: string;
  batchSize?: number;
  maxAttempts?: number;
  /** How long a claim holds its rows; must exceed the task wait. */
  leaseMs?: number;
  /** How long to wait for Meilisearch to finish a batch's tasks. */
  taskTimeoutMs?: number;
  /** How many batches runRelayUntilIdle keeps waiting on Meilisearch at once. */
  pipeline?: number;
}

export interface RelayResult {
  /** The outbox rows this run claimed. */
  ids: number[];
  claimed: number;
  done: number;
  failed: number;
  dead: number;
}

const DEFAULTS = { prefix: "", batchSize: 200, maxAttempts: 8, leaseMs: 60_000, taskTimeoutMs: 30_000, pipeline: 2 };
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
  priority: number;
}

async function claim(db: Db, batchSize: number, leaseMs: number, ownOnly: boolean): Promise<Claimed[]> {
  // Background rows keep this much of a batch when they wait (none in a batch under 4 rows).
  const reserve = ownOnly ? 0 : Math.floor(batchSize / 4);
  const backgroundLimit = ownOnly ? 0 : batchSize;
  const due = (o: string) =>
    sql.raw(`
      ${o}.status = 'pending' and ${o}.available_at <= now()
      and not exists (
        select 1 from outbox busy
        where busy.kind = ${o}.kind and busy.item_id = ${o}.item_id
          and busy.status = 'pending' and busy.available_at > now()
      )`);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`);
    const rows = await tx.execute<{ id: number; kind: string; item_id: number; priority: number }>(sql`
      with own as (
        select o.id from outbox o where o.priority = 0 and ${due("o")}
        order by o.id limit ${batchSize} for update skip locked
      ), background as (
        select o.id, o.priority from outbox o where o.priority > 0 and ${due("o")}
        order by o.priority, o.id limit ${backgroundLimit} for update skip locked
      ), take_own as (
        select id from own order by id
        limit greatest(${batchSize} - least((select count(*) from background), ${reserve}), 0)
      ), take_background as (
        select id from background order by priority, id
        limit ${batchSize} - (select count(*) from take_own)
      ), taken as (
        select id from take_own union all select id from take_background
      ), more as (
        -- The other due rows of the items taken: the document read from the item's current state
        -- answers them too. Rows leased by another relay are not due, so they are not taken here.
        select o.id from outbox o
        join (select distinct t.kind, t.item_id from outbox t join taken on taken.id = t.id) item
          on item.kind = o.kind and item.item_id = o.item_id
        where o.status = 'pending' and o.available_at <= now()
        for update of o skip locked
      )
      update outbox set available_at = now() + make_interval(secs => ${leaseMs / 1000})
      where id in (select id from taken union select id from more)
      returning id, kind, item_id, priority`);
    return rows.map((r) => ({ id: Number(r.id), kind: r.kind, itemId: Number(r.item_id), priority: Number(r.priority) }));
  });
}

/** Meilisearch accepted the task and then reported it failed (as opposed to being unreachable). */
class TaskFailedError extends Error {
  override name = "TaskFailedError";
}

const failedTaskText = (task: Task) => `Meilisearch task ${task.uid} (${task.type}) ${task.status}: ${task.error?.code ?? ""} ${task.error?.message ?? ""}`.trim();

/** One index's share of a batch: its kinds' rows and documents, and the tasks that carry them. */
interface Part {
  index: IndexedKind;
  rows: Claimed[];
  kinds: { kind: OutboxKind; itemIds: number[] }[];
  tasks: number[];
  /** Why the whole part failed before its tasks were sent (Meilisearch unreachable, say). */
  error?: string;
}

interface Batch {
  o: typeof DEFAULTS;
  result: RelayResult;
  parts: Part[];
  sentAt: number;
  /** Rows settled while the batch was being built (a kind without an indexer, a query that failed). */
  early: Guarded[];
}

/**
 * A marking of rows that runs while the batch goes on: its failure (PostgreSQL's) is held, not
 * left unhandled, and thrown once the batch has finished.
 */
type Guarded = Promise<{ error: unknown } | undefined>;
const guard = (marking: Promise<void>): Guarded =>
  marking.then(
    () => undefined,
    (error: unknown) => ({ error }),
  );

/** Claims a batch, builds its documents (one query per kind) and sends them; undefined when none is due. */
async function startBatch(db: Db, client: Meilisearch, o: typeof DEFAULTS, ownOnly = false): Promise<Batch | undefined> {
  const rows = await claim(db, o.batchSize, o.leaseMs, ownOnly);
  if (rows.length === 0) return undefined;
  const result: RelayResult = { ids: rows.map((r) => r.id), claimed: rows.length, done: 0, failed: 0, dead: 0 };
  const early: Guarded[] = [];

  const byKind = new Map<string, Claimed[]>();
  for (const row of rows) {
    const list = byKind.get(row.kind);
    if (list) list.push(row);
    else byKind.set(row.kind, [row]);
  }
  const built = await Promise.all(
    [...byKind].map(async ([kind, kindRows]) => {
      const itemIds = [...new Set(kindRows.map((r) => r.itemId))];
      try {
        if (!isKind(kind)) throw new Error(`no indexer for kind "${kind}"`);
        return { kind, rows: kindRows, itemIds, documents: await sources[kind].documents(db, itemIds) };
      } catch (e) {
        // Only this kind's rows fail; the other kinds of the batch go on.
        early.push(guard(settle(db, o, result, kindRows, meiliErrorText(e))));
        return undefined;
      }
    }),
  );

  const parts = new Map<IndexedKind, Part & { upserts: { id: number | string }[]; deletes: (number | string)[] }>();
  for (const b of built) {
    if (!b || !isKind(b.kind)) continue;
    const source = sources[b.kind];
    const part = parts.get(source.index) ?? { index: source.index, rows: [], kinds: [], tasks: [], upserts: [], deletes: [] };
    part.rows.push(...b.rows);
    part.kinds.push({ kind: b.kind, itemIds: b.itemIds });
    part.upserts.push(...b.documents.upserts);
    part.deletes.push(...b.documents.deletes.map(source.documentId));
    parts.set(source.index, part);
  }
  // The indexes with rows someone waits for are sent first: Meilisearch works through its queue in order.
  const ordered = [...parts.values()].sort((a, b) => Math.min(...a.rows.map((r) => r.priority)) - Math.min(...b.rows.map((r) => r.priority)));
  for (const part of ordered) {
    const index = client.index(indexName(part.index, o.prefix));
    try {
      if (part.upserts.length > 0) part.tasks.push((await index.addDocuments(part.upserts, { primaryKey: "id" })).taskUid);
      // One index per call, so the ids are all numbers or all strings.
      if (part.deletes.length > 0) part.tasks.push((await index.deleteDocuments(part.deletes as number[] | string[])).taskUid);
    } catch (e) {
      part.error = meiliErrorText(e);
    }
  }
  return { o, result, parts: ordered, sentAt: Date.now(), early };
}

/**
 * Waits for a batch's tasks, all in one request per poll (every 5 ms at first, slower as the wait
 * grows, so a small batch is seen done soon after Meilisearch finishes it), and marks each index's
 * rows as soon as its tasks have finished. An index whose task failed is retried item by item, so
 * one bad document fails only its own rows.
 */
async function finishBatch(db: Db, client: Meilisearch, batch: Batch): Promise<RelayResult> {
  const { o, result } = batch;
  const settling: Guarded[] = [...batch.early];
  const mark = (rows: Claimed[], error: string | undefined) => settling.push(guard(settle(db, o, result, rows, error)));
  const waiting = new Set<Part>();
  for (const part of batch.parts) {
    if (part.error !== undefined) mark(part.rows, part.error);
    else if (part.tasks.length === 0) mark(part.rows, undefined);
    else waiting.add(part);
  }
  const finished = new Map<number, Task>();
  let interval = 5;
  while (waiting.size > 0) {
    const uids = [...waiting].flatMap((p) => p.tasks).filter((uid) => !finished.has(uid));
    try {
      const { results } = await client.tasks.getTasks({ uids, limit: uids.length });
      for (const task of results) if (task.status !== "enqueued" && task.status !== "processing") finished.set(task.uid, task);
    } catch (e) {
      // Meilisearch stopped answering: every part still waiting fails and backs off.
      for (const part of waiting) mark(part.rows, meiliErrorText(e));
      waiting.clear();
      break;
    }
    for (const part of [...waiting]) {
      const tasks = part.tasks.map((uid) => finished.get(uid));
      if (tasks.some((t) => t === undefined)) continue;
      waiting.delete(part);
      const failed = tasks.find((t) => t!.status !== "succeeded");
      if (!failed) mark(part.rows, undefined);
      else if (part.kinds.length === 1 && part.kinds[0]!.itemIds.length === 1) mark(part.rows, failedTaskText(failed));
      else settling.push(guard(retryItemByItem(db, client, o, result, part)));
    }
    if (waiting.size === 0) break;
    if (Date.now() - batch.sentAt > o.taskTimeoutMs) {
      for (const part of waiting) {
        const uid = part.tasks.find((u) => !finished.has(u));
        mark(part.rows, `Meilisearch task ${uid} was still waiting after ${o.taskTimeoutMs} ms`);
      }
      break;
    }
    await sleep(interval);
    interval = Math.min(50, Math.ceil(interval * 1.5));
  }
  const failure = (await Promise.all(settling)).find((outcome) => outcome !== undefined);
  if (failure) throw failure.error;
  return result;
}

/** One bad document fails its whole task: index the part's items one at a time so only it fails. */
async function retryItemByItem(db: Db, client: Meilisearch, o: typeof DEFAULTS, result: RelayResult, part: Part): Promise<void> {
  for (const { kind, itemIds } of part.kinds) {
    for (const itemId of itemIds) {
      let error: string | undefined;
      try {
        await indexItems(db, client, kind, [itemId], o.prefix, o.taskTimeoutMs);
      } catch (e) {
        error = meiliErrorText(e);
      }
      await settle(
        db,
        o,
        result,
        part.rows.filter((r) => r.kind === kind && r.itemId === itemId),
        error,
      );
    }
  }
}

async function indexItems(db: Db, client: Meilisearch, kind: OutboxKind, itemIds: number[], prefix: string, timeout: number): Promise<void> {
  const source = sources[kind];
  const { upserts, deletes } = await source.documents(db, itemIds);
  const index = client.index(indexName(source.index, prefix));
  const tasks = [];
  if (upserts.length > 0) tasks.push(await index.addDocuments(upserts, { primaryKey: "id" }));
  if (deletes.length > 0) tasks.push(await index.deleteDocuments(deletes.map(source.documentId) as number[] | string[]));
  for (const enqueued of tasks) {
    const task = await settled(client, enqueued.taskUid, { timeoutMs: timeout, intervalMs: 20 });
    if (task.status !== "succeeded") throw new TaskFailedError(failedTaskText(task));
  }
}

/** Marks rows done, or counts a failed attempt on each (backing off, dead after maxAttempts). */
async function settle(db: Db, o: typeof DEFAULTS, result: RelayResult, rows: Claimed[], error: string | undefined): Promise<void> {
  if (rows.length === 0) return;
  const ids = rows.map((r) => r.id);
  if (error === undefined) {
    // Only the claimed rows: a row added for the same item since the claim is indexed later.
    await db
      .update(outbox)
      .set({ status: "done", processedAt: sql`now()`, lastError: null })
      .where(inArray(outbox.id, ids));
    result.done += rows.length;
    return;
  }
  // backoffMs in SQL: 2^(attempts before this one) seconds, at most 300.
  const updated = await db.execute<{ status: string }>(sql`
    update ${outbox} set
      attempts = attempts + 1,
      status = case when attempts + 1 >= ${o.maxAttempts} then 'dead'::outbox_status else 'pending'::outbox_status end,
      available_at = now() + make_interval(secs => least(power(2, attempts), 300)),
      last_error = ${error.slice(0, 2000)}
    where id = any(${intArray(ids)}) and status = 'pending'
    returning status`);
  for (const row of updated) {
    if (row.status === "dead") result.dead += 1;
    else result.failed += 1;
  }
}

/** One batch: claim, index, mark. Returns what happened; never throws for Meilisearch failures. */
export async function runRelayOnce(db: Db, client: Meilisearch, options: RelayOptions = {}): Promise<RelayResult> {
  const o = { ...DEFAULTS, ...options };
  const batch = await startBatch(db, client, o);
  if (!batch) return { ids: [], claimed: 0, done: 0, failed: 0, dead: 0 };
  return finishBatch(db, client, batch);
}

/**
 * Runs batches until none is due (or a batch fails, which backs off), with up to `pipeline`
 * batches waiting on Meilisearch at once. `woken` (the listen worker's) resolves when new rows
 * may have been written, so a free slot claims them without waiting for the batches in flight.
 */
export async function runRelayUntilIdle(db: Db, client: Meilisearch, options: RelayOptions = {}, signals: { woken?: () => Promise<void> } = {}): Promise<RelayResult> {
  const o = { ...DEFAULTS, ...options };
  const total: RelayResult = { ids: [], claimed: 0, done: 0, failed: 0, dead: 0 };
  type Outcome = { result: RelayResult } | { error: unknown };
  const inFlight: Promise<Outcome>[] = [];
  let failing = false;
  let ownOnlyInARow = 0;
  try {
    for (;;) {
      const claiming = !failing;
      if (claiming && inFlight.length < Math.max(1, o.pipeline)) {
        // Behind a batch in flight only rows someone waits for: background rows sent now would
        // queue in Meilisearch in front of the next edit. Every ninth such claim takes them too,
        // so a pipeline kept busy by edits does not starve them.
        const ownOnly = inFlight.length > 0 && ownOnlyInARow < 8;
        const batch = await startBatch(db, client, o, ownOnly);
        if (batch) {
          ownOnlyInARow = ownOnly ? ownOnlyInARow + 1 : 0;
          inFlight.push(
            finishBatch(db, client, batch).then(
              (result) => ({ result }),
              (error: unknown) => ({ error }),
            ),
          );
          continue;
        }
      }
      if (inFlight.length === 0) return total;
      const woken = claiming && inFlight.length < o.pipeline && signals.woken ? signals.woken().then(() => undefined) : new Promise<undefined>(() => {});
      const outcome = await Promise.race([inFlight[0]!, woken]);
      if (outcome === undefined) continue;
      inFlight.shift();
      if ("error" in outcome) throw outcome.error;
      const r = outcome.result;
      total.ids.push(...r.ids);
      total.claimed += r.claimed;
      total.done += r.done;
      total.failed += r.failed;
      total.dead += r.dead;
      if (r.failed + r.dead > 0) failing = true;
    }
  } finally {
    // A batch in flight holds its rows' lease: let it finish (or fail) before this run ends.
    await Promise.all(inFlight);
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
    work: async (_stopped, woken) => {
      const r = await runRelayUntilIdle(db, client, options, { woken });
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
