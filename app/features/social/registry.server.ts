import { eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { items, type notifications } from "#db/schema/index.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import type { Actor, Membership, Space } from "#app/features/spaces/visibility.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import type { OutboxKind } from "#search/outbox.server.ts";
import type { ItemKind, SocialFeatures } from "./kinds.ts";

/**
 * The registry of content kinds: THE place a kind is declared for the server. The shared
 * modules (comments, follows, votes, revisions, flags, notifications) know nothing about posts or
 * ideas; they ask the item's kind. See docs/adding-a-kind.md.
 */

export type NotificationKind = (typeof notifications.$inferInsert)["kind"];

export type VoteValue = 1 | -1 | 0;
/** What a vote answers, whatever the kind: the voter's vote now, the item's score (or support count), and what is left of a budget. */
export type VoteOutcome = { myVote: VoteValue; score: number; votesLeft?: number | null };

/** One item, loaded for an actor who may see it. */
export type ItemAccess = {
  itemId: number;
  kind: ItemKind;
  /** The row's id in its own table (posts.id, ideas.id): what its URL carries. */
  contentId: number;
  spaceId: number;
  space: Space;
  membership: Membership;
  authorId: number;
  deletedAt: Date | null;
  deletedById: number | null;
  /** A title to show ("How do we restore a backup?"; an answer shows its question's). */
  title: string;
  /** The item whose page shows this one (a question for its answers; itself otherwise). */
  pageItemId: number;
  /** That page's row id in its own table, when it is another item (an answer's question's posts.id). */
  pageContentId?: number;
  /** Where it is seen: its page, with the anchor for items shown on another's page. */
  url: string;
  /** Moderators of its space, site moderators and admins (and what the kind adds, e.g. a campaign's sponsor). */
  canModerate: boolean;
};

/** What the inbox, the moderation queue and search show of an item: enough to name it and link to it. */
export type ItemSummary = Pick<ItemAccess, "itemId" | "kind" | "contentId" | "spaceId" | "title" | "pageItemId" | "url"> & {
  deleted: boolean;
  /** Who wrote it, and the start of its text as plain one-line text: what the moderation queue shows of a flagged item. */
  authorId?: number;
  excerpt?: string;
};

export type KindDefinition = {
  kind: ItemKind;
  features: SocialFeatures;
  /**
   * The item for `actor`, through the visibility module: NotFoundError when they may not see it
   * (a restricted space, a deleted item for anyone but its author and moderators unless
   * `allowDeleted`), exactly as for a missing one. `forUpdate` locks the content row: comment
   * counts and deletes on one item take turns on it.
   */
  load(tx: Db | Tx, actor: Actor, itemId: number, options?: { forUpdate?: boolean; allowDeleted?: boolean }): Promise<ItemAccess>;
  /** Summaries of the items `actor` may see among `itemIds` (the rest are left out). One query. */
  describe(db: Db | Tx, actor: Actor, itemIds: readonly number[]): Promise<ItemSummary[]>;
  /** Comments came or went (delta): the content row's counters, activity time and search document follow. */
  commentsChanged(tx: Tx, access: ItemAccess, delta: 1 | -1): Promise<void>;
  /** Who hears about a new comment (besides the people it mentions), and as which inbox kind. */
  commentAudience(tx: Tx, access: ItemAccess): Promise<{ recipients: number[]; notification: NotificationKind }>;
  /**
   * Casts (1, or -1 where votes are "up-down") or retracts (0) `actor`'s vote on the item, in one
   * transaction with the kind's counters, budget and reputation. A refusal the voter can act on
   * (their own item, a closed campaign, a spent budget) is an InputError saying so. Kinds without
   * votes leave it out.
   */
  vote?(db: Db, actor: ReputationActor, itemId: number, value: VoteValue): Promise<VoteOutcome>;
  /**
   * Deletes the item as its own page's delete does (counters, accepts and search follow), for the
   * moderation queue acting on a flag; `db` may be the queue's transaction. Kinds that are not
   * deleted (ideas are declined) leave it out, and the queue offers only to dismiss their flags.
   */
  remove?(db: Db | Tx, actor: ReputationActor, itemId: number): Promise<{ changed: boolean }>;
  /** The search document its changes re-index (the outbox kind and id), or null when it has none. */
  searchDocument(access: Pick<ItemAccess, "kind" | "contentId" | "pageItemId" | "pageContentId">): { outbox: OutboxKind; id: number } | null;
};

const definitions = new Map<ItemKind, KindDefinition>();

/** Declares a kind; each kind's module calls this once (app/features/social/kinds.server.ts imports them all). */
export function registerKind(definition: KindDefinition): void {
  definitions.set(definition.kind, definition);
}

export function kindDefinition(kind: ItemKind): KindDefinition {
  const definition = definitions.get(kind);
  if (!definition) throw new Error(`No content kind "${kind}" is registered (import app/features/social/kinds.server.ts).`);
  return definition;
}

/** Any item by its id, for `actor`: its kind decides how it loads and who may see it. */
export async function loadItem(tx: Db | Tx, actor: Actor, itemId: number, options?: { forUpdate?: boolean; allowDeleted?: boolean }): Promise<ItemAccess> {
  if (!isRowId(itemId)) throw new NotFoundError();
  const [row] = await tx.select({ kind: items.kind }).from(items).where(eq(items.id, itemId));
  if (!row) throw new NotFoundError();
  return kindDefinition(row.kind).load(tx, actor, itemId, options);
}

/** Summaries of many items of any kinds, keyed by item id; items `actor` may not see are absent. One query per kind present. */
export async function describeItems(db: Db | Tx, actor: Actor, itemIds: Iterable<number>): Promise<Map<number, ItemSummary>> {
  const ids = [...new Set(itemIds)].filter(isRowId);
  const found = new Map<number, ItemSummary>();
  if (ids.length === 0) return found;
  const rows = await db.select({ id: items.id, kind: items.kind }).from(items).where(inArray(items.id, ids));
  const byKind = new Map<ItemKind, number[]>();
  for (const r of rows) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r.id]);
  const results = await Promise.all([...byKind].map(([kind, kindIds]) => kindDefinition(kind).describe(db, actor, kindIds)));
  for (const list of results) for (const summary of list) found.set(summary.itemId, summary);
  return found;
}
