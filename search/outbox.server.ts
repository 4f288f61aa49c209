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
 * Names items whose search documents must be refreshed, inside the caller's transaction: if the
 * write rolls back, so does this. Duplicates are fine (the relay indexes each item once per batch,
 * from its current state).
 */
export async function enqueueIndexing(tx: Tx, kind: OutboxKind, itemIds: Iterable<number>): Promise<void> {
  const ids = [...new Set(itemIds)];
  if (ids.length === 0) return;
  await tx.insert(outbox).values(ids.map((itemId) => ({ kind, itemId })));
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
}
