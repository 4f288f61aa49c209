import { sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { outbox } from "#db/schema/index.ts";

/** The kinds of item the relay knows how to index. */
export type OutboxKind =
  | "question"
  | "person"
  | "idea"
  | "wiki_page"
  | "article"
  | "kudos"
  | "badge"
  // Issue 19, forum search: a published forum thread, named by the publishing helper when it
  // publishes, republishes, unpublishes or expires one.
  | "forum_thread";

/** The LISTEN/NOTIFY channel that wakes the relay; notifications are delivered at commit. */
export const OUTBOX_CHANNEL = "commons_outbox";

/**
 * Issue 22: how soon the relay takes a row. 0 when a person waits to find their own write (an edit,
 * a new question, idea or page); 1 for refreshes nobody waits for (vote counts, reputation and
 * person documents, badge and kudos counters, reconcile, bulk re-indexing, nightly jobs). The
 * relay claims 0s first and still gives 1s part of every batch, so neither waits forever.
 */
export type OutboxPriority = 0 | 1;

/**
 * Names items whose search documents must be refreshed, inside the caller's transaction: if the
 * write rolls back, so does this. Duplicates are fine (the relay indexes each item once per batch,
 * from its current state). Background refreshes pass `{ priority: 1 }`.
 */
export async function enqueueIndexing(tx: Tx, kind: OutboxKind, itemIds: Iterable<number>, options: { priority?: OutboxPriority } = {}): Promise<void> {
  const ids = [...new Set(itemIds)];
  if (ids.length === 0) return;
  const priority = options.priority ?? 0;
  await tx.insert(outbox).values(ids.map((itemId) => ({ kind, itemId, priority })));
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
}
