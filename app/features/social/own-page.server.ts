import { eq, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Tx } from "#db/client.server.ts";
import { enqueueIndexing, type OutboxKind } from "#search/outbox.server.ts";
import { plainExcerpt } from "./excerpt.ts";
import type { ItemKind } from "./kinds.ts";
import type { ItemAccess, ItemSummary } from "./registry.server.ts";

/**
 * For kinds whose item is its own page (articles, wiki pages), not shown on another item's page
 * as an answer is on its question's: what their registrations in docs/adding-a-kind.md share.
 */

type OwnPageRow = { id: number; itemId: number; spaceId: number; authorId: number; title: string };

/** The item as the social layer sees it, from the kind's own loaded row and what its access check found. */
export function ownPageAccess(
  kind: ItemKind,
  row: OwnPageRow & { deletedAt: Date | null; deletedById: number | null },
  access: Pick<ItemAccess, "space" | "membership" | "canModerate">,
  url: string,
): ItemAccess {
  return {
    itemId: row.itemId,
    kind,
    contentId: row.id,
    spaceId: row.spaceId,
    space: access.space,
    membership: access.membership,
    authorId: row.authorId,
    deletedAt: row.deletedAt,
    deletedById: row.deletedById,
    title: row.title,
    pageItemId: row.itemId,
    url,
    canModerate: access.canModerate,
  };
}

/** What `describe` answers for one visible row: its title, link and the start of its text. */
export function ownPageSummary(kind: ItemKind, row: OwnPageRow & { body: string; deletedAt: Date | null }, url: string): ItemSummary {
  return {
    itemId: row.itemId,
    kind,
    contentId: row.id,
    spaceId: row.spaceId,
    title: row.title,
    pageItemId: row.itemId,
    url,
    deleted: row.deletedAt !== null,
    authorId: row.authorId,
    excerpt: `${row.title}: ${plainExcerpt(row.body, 180)}`,
  };
}

/** Comments came or went: the row's comment count follows (never below zero), and so does its search document, which holds it. */
export async function commentCountChanged(tx: Tx, table: PgTable & { id: PgColumn; commentCount: PgColumn }, outbox: OutboxKind, contentId: number, delta: 1 | -1): Promise<void> {
  await tx
    .update(table)
    .set({ commentCount: sql`greatest(${table.commentCount} + ${delta}, 0)` })
    .where(eq(table.id, contentId));
  await enqueueIndexing(tx, outbox, [contentId]);
}
