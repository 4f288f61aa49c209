import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, smallint, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns.ts";

/**
 * The transactional outbox: every write that changes something searchable adds a row here in the
 * same transaction, naming the item (not its content). The relay (search/relay.server.ts) re-reads
 * the item from PostgreSQL when it indexes it, so an old row never writes stale content.
 */
export const outboxStatusEnum = pgEnum("outbox_status", ["pending", "done", "dead"]);

export const outbox = pgTable(
  "outbox",
  {
    id: id(),
    /** What kind of item: "question", "person" (later "idea", "wiki_page"). */
    kind: text().notNull(),
    itemId: integer().notNull(),
    status: outboxStatusEnum().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    /**
     * Issue 22: 0 when someone waits to find their own write (an edit, a new post), 1 for
     * background refreshes (vote counts, reputation, bulk re-indexing). The relay claims 0s first.
     */
    priority: smallint().notNull().default(0),
    /** Not before this time (backoff after a failure). */
    availableAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastError: text(),
    createdAt: createdAt(),
    processedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("outbox_pending_idx")
      .on(t.availableAt, t.id)
      .where(sql`${t.status} = 'pending'`),
    index("outbox_item_idx").on(t.kind, t.itemId),
    // The relay's claim: pending rows by priority, then age.
    index("outbox_claim_idx")
      .on(t.priority, t.id)
      .where(sql`${t.status} = 'pending'`),
    index("outbox_dead_idx")
      .on(t.id)
      .where(sql`${t.status} = 'dead'`),
  ],
);
