import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db, Tx } from "#db/client.server.ts";
import { forumThreads, shareKitItems, shareKits, shareLinks, users } from "#db/schema/index.ts";
import { forumBaseUrl } from "#app/features/publishing/urls.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { renderField, renderMarkdown } from "#app/lib/markdown.server.ts";
import { checkArticleUrl, threadReference } from "./article-url.ts";
import { newShareCode } from "./codes.ts";
import { canCurate, requireCurator } from "./curators.server.ts";
import { sinceDay } from "./days.ts";
import { type ArticleItemSchema, KIT_ITEMS_MAX, type KitSchema, type SuggestedTextSchema, type ThreadItemSchema } from "./schemas.ts";

/**
 * Share kits (docs/sharing.md): curators put published forum threads and public articles in a kit
 * with suggested text; every employee gets a personal link per item, which the forum redirects and
 * counts (forum/share). Kits belong to no space: they hold only what is already public.
 */

export const KITS_PER_PAGE = 20;

/** A thread can be shared while the forum shows it: visible, not withdrawn, not expired (PostgreSQL's clock, as the forum's reads). */
const threadIsLive = sql`(${forumThreads.moderation} = 'visible' and ${forumThreads.withdrawnAt} is null and (${forumThreads.expiresAt} is null or ${forumThreads.expiresAt} > now()))`;

/** The personal link's public address: the forum's redirect. */
export function shareLinkUrl(code: string): string {
  return `${forumBaseUrl()}/s/${code}`;
}

function threadTarget(thread: { id: number; slug: string }): string {
  return `/t/${thread.id}/${encodeURIComponent(thread.slug)}`;
}

export type KitSummary = { id: number; title: string; descriptionHtml: string; itemCount: number; clicks: number };

/** The active kits, newest first, a page at a time, with their item counts and all-time clicks. */
export async function activeKits(db: Db, page: number): Promise<{ kits: KitSummary[]; total: number; offset: number }> {
  const offset = (page - 1) * KITS_PER_PAGE;
  const rows = await db
    .select({
      id: shareKits.id,
      title: shareKits.title,
      description: shareKits.description,
      itemCount: sql<number>`(select count(*)::int from share_kit_items i where i.kit_id = share_kits.id)`,
      clicks: sql<number>`(select coalesce(sum(c.clicks), 0)::int from share_kit_items i join share_links l on l.item_id = i.id join share_clicks c on c.code = l.code where i.kit_id = share_kits.id)`,
      total: sql<number>`count(*) over ()::int`,
    })
    .from(shareKits)
    .where(isNull(shareKits.archivedAt))
    .orderBy(desc(shareKits.createdAt), desc(shareKits.id))
    .limit(KITS_PER_PAGE)
    .offset(offset);
  return {
    kits: rows.map(({ description, total: _total, ...row }) => ({ ...row, descriptionHtml: renderDescription(description) })),
    total: rows[0]?.total ?? (offset > 0 ? await countActiveKits(db) : 0),
    offset,
  };
}

async function countActiveKits(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(shareKits)
    .where(isNull(shareKits.archivedAt));
  return row?.n ?? 0;
}

/**
 * The kit's description as HTML. `share_kits` keeps only the markdown, so it is rendered here, by
 * the one markdown module, on every read (at most 2,000 characters; the write checked it renders).
 */
function renderDescription(description: string): string {
  return description ? renderMarkdown(description) : "";
}

export async function createKit(db: Db, actor: Actor, input: z.output<typeof KitSchema>): Promise<{ id: number }> {
  return db.transaction(async (tx) => {
    await requireCurator(tx, actor);
    if (input.description) renderField(input.description, "description");
    const [row] = await tx.insert(shareKits).values({ title: input.title, description: input.description, createdById: actor.id }).returning({ id: shareKits.id });
    return row!;
  });
}

export async function updateKit(db: Db, actor: Actor, kitId: number, input: z.output<typeof KitSchema>): Promise<void> {
  await db.transaction(async (tx) => {
    await requireCurator(tx, actor);
    await lockActiveKit(tx, kitId);
    if (input.description) renderField(input.description, "description");
    await tx.update(shareKits).set({ title: input.title, description: input.description, updatedAt: new Date() }).where(eq(shareKits.id, kitId));
  });
}

/** Archived kits leave /share; their links keep working and counting. */
export async function archiveKit(db: Db, actor: Actor, kitId: number): Promise<void> {
  await db.transaction(async (tx) => {
    await requireCurator(tx, actor);
    await lockActiveKit(tx, kitId);
    await tx.update(shareKits).set({ archivedAt: new Date(), updatedAt: new Date() }).where(eq(shareKits.id, kitId));
  });
}

async function loadKit(db: Db | Tx, kitId: number) {
  if (Number.isNaN(kitId)) throw new NotFoundError("No such kit");
  const [kit] = await db.select().from(shareKits).where(eq(shareKits.id, kitId));
  if (!kit) throw new NotFoundError("No such kit");
  return kit;
}

/** The kit, locked for a curator's change; an archived kit is refused with a message. */
async function lockActiveKit(tx: Tx, kitId: number) {
  if (Number.isNaN(kitId)) throw new NotFoundError("No such kit");
  const [kit] = await tx.select().from(shareKits).where(eq(shareKits.id, kitId)).for("update");
  if (!kit) throw new NotFoundError("No such kit");
  if (kit.archivedAt) throw new InputError("This kit is archived: nothing in it can change.");
  return kit;
}

async function lockItems(tx: Tx, kitId: number) {
  return tx
    .select({ id: shareKitItems.id, threadId: shareKitItems.threadId, url: shareKitItems.url, position: shareKitItems.position })
    .from(shareKitItems)
    .where(eq(shareKitItems.kitId, kitId));
}

function roomFor(items: ReadonlyArray<unknown>) {
  if (items.length >= KIT_ITEMS_MAX) throw new InputError(`A kit holds at most ${KIT_ITEMS_MAX} items: start a new kit, or remove one first.`);
}

function nextPosition(items: ReadonlyArray<{ position: number }>): number {
  return items.reduce((max, i) => Math.max(max, i.position), 0) + 1;
}

/** Adds a forum thread the forum shows now; its title is copied from the thread. */
export async function addThreadItem(db: Db, actor: Actor, kitId: number, input: z.output<typeof ThreadItemSchema>): Promise<{ id: number }> {
  return db.transaction(async (tx) => {
    await requireCurator(tx, actor);
    await lockActiveKit(tx, kitId);
    const threadId = threadReference(input.thread, new URL(forumBaseUrl()).origin);
    if (threadId === null) throw InputError.field("thread", `Paste the thread's address on the forum (${forumBaseUrl()}/t/…) or its number.`);
    const [thread] = await tx
      .select({ id: forumThreads.id, title: forumThreads.title, live: sql<boolean>`${threadIsLive}` })
      .from(forumThreads)
      .where(eq(forumThreads.id, threadId));
    if (!thread || !thread.live) throw InputError.field("thread", "No thread the forum shows has that address: it may have been withdrawn, have expired or be waiting for moderation.");
    const items = await lockItems(tx, kitId);
    if (items.some((i) => i.threadId === thread.id)) throw InputError.field("thread", "That thread is already in this kit.");
    roomFor(items);
    const [row] = await tx
      .insert(shareKitItems)
      .values({ kitId, kind: "thread", threadId: thread.id, title: thread.title, suggestedText: input.suggestedText, position: nextPosition(items) })
      .returning({ id: shareKitItems.id });
    return row!;
  });
}

export async function addArticleItem(db: Db, actor: Actor, kitId: number, input: z.output<typeof ArticleItemSchema>): Promise<{ id: number }> {
  return db.transaction(async (tx) => {
    await requireCurator(tx, actor);
    await lockActiveKit(tx, kitId);
    const checked = checkArticleUrl(input.url);
    if (!checked.ok) throw InputError.field("url", checked.message);
    const items = await lockItems(tx, kitId);
    if (items.some((i) => i.url === checked.url)) throw InputError.field("url", "That article is already in this kit.");
    roomFor(items);
    const [row] = await tx
      .insert(shareKitItems)
      .values({ kitId, kind: "article", url: checked.url, title: input.title, suggestedText: input.suggestedText, position: nextPosition(items) })
      .returning({ id: shareKitItems.id });
    return row!;
  });
}

export async function editSuggestedText(db: Db, actor: Actor, kitId: number, input: z.output<typeof SuggestedTextSchema>): Promise<void> {
  await db.transaction(async (tx) => {
    await requireCurator(tx, actor);
    await lockActiveKit(tx, kitId);
    const changed = await tx
      .update(shareKitItems)
      .set({ suggestedText: input.suggestedText })
      .where(and(eq(shareKitItems.id, input.itemId), eq(shareKitItems.kitId, kitId)))
      .returning({ id: shareKitItems.id });
    if (changed.length === 0) throw new NotFoundError("No such item in this kit");
  });
}

/** Removes an item; its links go with it (the forum's redirect then answers 404, as for any unknown code). */
export async function removeItem(db: Db, actor: Actor, kitId: number, itemId: number): Promise<void> {
  await db.transaction(async (tx) => {
    await requireCurator(tx, actor);
    await lockActiveKit(tx, kitId);
    const removed = await tx
      .delete(shareKitItems)
      .where(and(eq(shareKitItems.id, itemId), eq(shareKitItems.kitId, kitId)))
      .returning({ id: shareKitItems.id });
    if (removed.length === 0) throw new NotFoundError("No such item in this kit");
  });
}

/**
 * The reader's personal link for an item: the one they already have, or a new one with a random
 * code. One per person and item (a unique index), so a double click or two tabs find the same row.
 */
export async function getMyLink(db: Db, actor: Actor, kitId: number, itemId: number): Promise<{ code: string; created: boolean }> {
  if (Number.isNaN(kitId)) throw new NotFoundError("No such kit");
  return db.transaction(async (tx) => {
    const [item] = await tx
      .select({
        id: shareKitItems.id,
        kind: shareKitItems.kind,
        url: shareKitItems.url,
        archivedAt: shareKits.archivedAt,
        threadId: forumThreads.id,
        slug: forumThreads.slug,
        live: sql<boolean>`coalesce(${threadIsLive}, false)`,
      })
      .from(shareKitItems)
      .innerJoin(shareKits, eq(shareKits.id, shareKitItems.kitId))
      .leftJoin(forumThreads, eq(forumThreads.id, shareKitItems.threadId))
      .where(and(eq(shareKitItems.id, itemId), eq(shareKitItems.kitId, kitId)));
    if (!item) throw new NotFoundError("No such item in this kit");
    const [existing] = await tx
      .select({ code: shareLinks.code })
      .from(shareLinks)
      .where(and(eq(shareLinks.userId, actor.id), eq(shareLinks.itemId, itemId)));
    if (existing) return { code: existing.code, created: false };
    if (item.archivedAt) throw new InputError("This kit is archived: it no longer hands out new links.");
    if (item.kind === "thread" && (!item.live || item.threadId === null)) throw new InputError("This thread is no longer on the forum, so it can't be shared.");
    const target = item.kind === "thread" ? threadTarget({ id: item.threadId!, slug: item.slug! }) : item.url;
    const [row] = await tx
      .insert(shareLinks)
      .values({ code: newShareCode(), userId: actor.id, itemId, target })
      .onConflictDoNothing({ target: [shareLinks.userId, shareLinks.itemId] })
      .returning({ code: shareLinks.code });
    if (row) return { code: row.code, created: true };
    // A parallel request made it first: that one is the link.
    const [winner] = await tx
      .select({ code: shareLinks.code })
      .from(shareLinks)
      .where(and(eq(shareLinks.userId, actor.id), eq(shareLinks.itemId, itemId)));
    return { code: winner!.code, created: false };
  });
}

export type KitItemView = {
  id: number;
  kind: "thread" | "article";
  title: string;
  suggestedText: string;
  /** Where the item is on the web (the forum thread's page, or the article). */
  href: string;
  /** False for a thread the forum no longer shows: no new links. */
  available: boolean;
  /** The reader's personal link, once they asked for it. */
  myLink: string | null;
  clicks30: number;
  clicksAll: number;
};

/** A kit's page: the kit, its items with the reader's links and everyone's totals, and whether the reader curates. Five queries. */
export async function kitPage(db: Db, actor: Actor, kitId: number, now = new Date()) {
  const kit = await loadKit(db, kitId);
  const since = sinceDay(now, 30);
  const [creator, items, mine, totals, curator] = await Promise.all([
    kit.createdById === null ? Promise.resolve([]) : db.select({ name: users.name }).from(users).where(eq(users.id, kit.createdById)),
    db
      .select({
        id: shareKitItems.id,
        kind: shareKitItems.kind,
        title: shareKitItems.title,
        suggestedText: shareKitItems.suggestedText,
        url: shareKitItems.url,
        threadId: forumThreads.id,
        slug: forumThreads.slug,
        live: sql<boolean>`coalesce(${threadIsLive}, false)`,
      })
      .from(shareKitItems)
      .leftJoin(forumThreads, eq(forumThreads.id, shareKitItems.threadId))
      .where(eq(shareKitItems.kitId, kitId))
      .orderBy(asc(shareKitItems.position), asc(shareKitItems.id)),
    db
      .select({ itemId: shareLinks.itemId, code: shareLinks.code })
      .from(shareLinks)
      .innerJoin(shareKitItems, eq(shareKitItems.id, shareLinks.itemId))
      .where(and(eq(shareKitItems.kitId, kitId), eq(shareLinks.userId, actor.id))),
    db.execute<{ item_id: number; clicks_all: number; clicks_30: number }>(sql`
      select l.item_id, sum(c.clicks)::int as clicks_all, coalesce(sum(c.clicks) filter (where c.day >= ${since}), 0)::int as clicks_30
        from share_kit_items i join share_links l on l.item_id = i.id join share_clicks c on c.code = l.code
       where i.kit_id = ${kitId}
       group by l.item_id`),
    canCurate(db, actor),
  ]);
  const myLinks = new Map(mine.map((m) => [m.itemId, m.code]));
  const itemTotals = new Map([...totals].map((r) => [Number(r.item_id), r]));
  const views: KitItemView[] = items.map((item) => {
    const total = itemTotals.get(item.id);
    const code = myLinks.get(item.id);
    const available = item.kind === "article" || (item.live && item.threadId !== null);
    return {
      id: item.id,
      kind: item.kind,
      title: item.title,
      suggestedText: item.suggestedText,
      href: item.kind === "article" ? item.url : available ? forumBaseUrl() + threadTarget({ id: item.threadId!, slug: item.slug! }) : "",
      available,
      myLink: code ? shareLinkUrl(code) : null,
      clicks30: total?.clicks_30 ?? 0,
      clicksAll: total?.clicks_all ?? 0,
    };
  });
  return {
    kit: {
      id: kit.id,
      title: kit.title,
      description: kit.description,
      descriptionHtml: renderDescription(kit.description),
      archived: kit.archivedAt !== null,
      createdAt: kit.createdAt,
      createdBy: creator[0]?.name ?? null,
    },
    items: views,
    totals: { clicks30: views.reduce((n, i) => n + i.clicks30, 0), clicksAll: views.reduce((n, i) => n + i.clicksAll, 0) },
    canCurate: curator,
    forumUrl: forumBaseUrl(),
  };
}
