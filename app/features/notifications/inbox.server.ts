import { and, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "#db/client.server.ts";
import { comments, items, notifications, users } from "#db/schema/index.ts";
import { describeItems, type ItemSummary } from "#app/features/social/kinds.server.ts";
import type { ItemKind } from "#app/features/social/kinds.ts";
import type { NotificationKind } from "#app/features/social/registry.server.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";

/**
 * Reading the inbox. Visibility is checked again on every read, not only when a notification is
 * written: someone who loses access to a space stops seeing its notifications, and a notification
 * about an item or comment that has since been deleted disappears with it.
 *
 * A notification names the item whose page it opens (a question, an idea), the item on that page
 * it is about when another one (an answer), and the comment. Titles and URLs come from the kinds'
 * registry (`describeItems`, a query per kind on the page, whatever its length), which also
 * leaves out what the reader may no longer see. The unread count cannot ask every kind per row, so
 * the SQL below applies the rules a count needs: the space, deleted comments, and deleted items
 * (`items.deleted_at`, which kinds deleted softly keep in step; content deleted for good takes its
 * notifications with it).
 */

export const INBOX_PAGE_SIZE = 25;
/** The unread count stops counting here; the shell shows "99+". */
export const UNREAD_COUNT_CAP = 100;

const pageItem = alias(items, "page_item");
const subjectItem = alias(items, "subject_item");
const actorUser = alias(users, "actor");

/**
 * The notifications someone may still see, as far as SQL tells: theirs, in a visible space, about
 * nothing deleted. The statements left-join `pageItem`, `subjectItem` (items) and `comments` on the
 * notification's item, subject item and comment.
 */
function visibleTo(actor: Actor): SQL {
  return and(eq(notifications.userId, actor.id), inVisibleSpace(actor, notifications.spaceId), isNull(pageItem.deletedAt), isNull(subjectItem.deletedAt), isNull(comments.deletedAt))!;
}

export type InboxItem = {
  id: number;
  kind: NotificationKind;
  createdAt: Date;
  read: boolean;
  /** The page it opens (a question, an idea): its item, kind and id in its own table. */
  itemId: number;
  itemKind: ItemKind;
  contentId: number;
  /** The page's title. */
  title: string;
  actor: { id: number; name: string } | null;
  /** Where opening it leads: the page, at the answer or comment it is about. */
  to: string;
};

export type InboxFilter = "all" | "unread";

type Target = { itemId: number; subjectItemId: number | null; commentId: number | null };

/** The item ids a page of notifications needs described: each page, and each item on it they are about. */
function targetItems(rows: readonly Target[]): number[] {
  return rows.flatMap((r) => (r.subjectItemId === null ? [r.itemId] : [r.itemId, r.subjectItemId]));
}

/**
 * Where a notification leads (`/questions/12/slug#answer-34`, `/ideas/7#comment-56`) and the page
 * it is on, or null when the reader may no longer see the page or the item it is about, or either
 * was deleted: such a notification is hidden.
 */
export function notificationTarget(n: Target, described: ReadonlyMap<number, ItemSummary>): { page: ItemSummary; to: string } | null {
  const page = described.get(n.itemId);
  if (!page || page.deleted) return null;
  const subject = n.subjectItemId === null ? null : described.get(n.subjectItemId);
  if (subject === undefined || subject?.deleted) return null;
  if (n.commentId !== null) return { page, to: `${page.url.split("#")[0]}#comment-${n.commentId}` };
  // An item shown on another's page has that page's URL with its anchor (an answer: `#answer-34`).
  return { page, to: subject ? subject.url : page.url };
}

// A cursor is the last row's time (microseconds, as Postgres keeps it) and id: "2026-05-01T10:00:00.123456Z~42".
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)~(\d{1,10})$/;

/**
 * Newest first, a page at a time (keyset on time and id): one query for the page, then the
 * registry's descriptions of its items (a query per kind on the page).
 */
export async function inbox(db: Db | Tx, actor: Actor, options: { cursor?: string | null; filter?: InboxFilter } = {}): Promise<{ items: InboxItem[]; nextCursor: string | null }> {
  const conditions = [visibleTo(actor)];
  if (options.filter === "unread") conditions.push(isNull(notifications.readAt));
  const cursor = options.cursor ? CURSOR.exec(options.cursor) : null;
  if (cursor) conditions.push(sql`(${notifications.createdAt}, ${notifications.id}) < (${cursor[1]}::timestamptz, ${Number(cursor[2])})`);
  const rows = await db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      createdAt: notifications.createdAt,
      at: sql<string>`to_char(${notifications.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      readAt: notifications.readAt,
      itemId: notifications.itemId,
      subjectItemId: notifications.subjectItemId,
      commentId: notifications.commentId,
      actorId: actorUser.id,
      actorName: actorUser.name,
    })
    .from(notifications)
    .leftJoin(pageItem, eq(pageItem.id, notifications.itemId))
    .leftJoin(subjectItem, eq(subjectItem.id, notifications.subjectItemId))
    .leftJoin(comments, eq(comments.id, notifications.commentId))
    .leftJoin(actorUser, eq(actorUser.id, notifications.actorId))
    .where(and(...conditions))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(INBOX_PAGE_SIZE + 1);
  const page = rows.slice(0, INBOX_PAGE_SIZE);
  const last = page.at(-1);
  const described = await describeItems(db, actor, targetItems(page));
  return {
    // What SQL could not tell (a kind's own rules) is left out here; the cursor still moves past it.
    items: page.flatMap((r) => {
      const target = notificationTarget(r, described);
      if (!target) return [];
      return [
        {
          id: r.id,
          kind: r.kind,
          createdAt: r.createdAt,
          read: r.readAt !== null,
          itemId: target.page.itemId,
          itemKind: target.page.kind,
          contentId: target.page.contentId,
          title: target.page.title,
          actor: r.actorId !== null && r.actorName !== null ? { id: r.actorId, name: r.actorName } : null,
          to: target.to,
        },
      ];
    }),
    nextCursor: rows.length > INBOX_PAGE_SIZE && last ? `${last.at}~${last.id}` : null,
  };
}

/**
 * How many unread notifications someone may still see, up to UNREAD_COUNT_CAP: one query on the
 * partial index of unread rows, cheap enough for every page's shell.
 */
export async function unreadCount(db: Db | Tx, actor: Actor): Promise<number> {
  const [row] = await db.execute<{ count: number }>(sql`select ${unreadCountSql(db, actor)} as count`);
  return Number(row?.count ?? 0);
}

/** `unreadCount` as a scalar subquery, so the page shell can ask for it beside other counts in one statement. */
export function unreadCountSql(db: Db | Tx, actor: Actor): SQL<number> {
  const visibleUnread = db
    .select({ one: sql`1` })
    .from(notifications)
    .leftJoin(pageItem, eq(pageItem.id, notifications.itemId))
    .leftJoin(subjectItem, eq(subjectItem.id, notifications.subjectItemId))
    .leftJoin(comments, eq(comments.id, notifications.commentId))
    .where(and(visibleTo(actor), isNull(notifications.readAt)))
    .limit(UNREAD_COUNT_CAP)
    .as("visible_unread");
  return sql<number>`(select count(*)::int from ${visibleUnread})`;
}

/** Marks some (or all) of the actor's own notifications read; other people's rows are never touched. */
export async function markRead(db: Db | Tx, actor: Actor, ids: readonly number[] | "all"): Promise<number> {
  const own = and(eq(notifications.userId, actor.id), isNull(notifications.readAt));
  if (ids !== "all") {
    const valid = ids.filter(isRowId);
    if (valid.length === 0) return 0;
    const rows = await db
      .update(notifications)
      .set({ readAt: sql`now()` })
      .where(and(own, inArray(notifications.id, valid)))
      .returning({ id: notifications.id });
    return rows.length;
  }
  const rows = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(own)
    .returning({ id: notifications.id });
  return rows.length;
}

/**
 * Opening a notification: marks it read and answers where it leads. Someone else's notification,
 * or one they may no longer see, is a 404.
 */
export async function openNotification(db: Db, actor: Actor, id: number): Promise<string> {
  if (!isRowId(id)) throw new NotFoundError();
  const [row] = await db
    .select({ itemId: notifications.itemId, subjectItemId: notifications.subjectItemId, commentId: notifications.commentId })
    .from(notifications)
    .leftJoin(pageItem, eq(pageItem.id, notifications.itemId))
    .leftJoin(subjectItem, eq(subjectItem.id, notifications.subjectItemId))
    .leftJoin(comments, eq(comments.id, notifications.commentId))
    .where(and(visibleTo(actor), eq(notifications.id, id)))
    .limit(1);
  const target = row ? notificationTarget(row, await describeItems(db, actor, targetItems([row]))) : null;
  if (!target) throw new NotFoundError();
  await markRead(db, actor, [id]);
  return target.to;
}
