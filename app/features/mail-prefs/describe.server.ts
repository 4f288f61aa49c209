import { and, asc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "#db/client.server.ts";
import { comments, items, notifications, users } from "#db/schema/index.ts";
import { notificationTarget } from "#app/features/notifications/inbox.server.ts";
import { describeItems } from "#app/features/social/kinds.server.ts";
import type { NotificationKind } from "#app/features/social/registry.server.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { type Category, KIND_CATEGORY } from "./categories.ts";
import { NOTIFICATION_ALONE, NOTIFICATION_VERBS } from "#app/features/notifications/wording.ts";

/**
 * Notifications told in mail, checked again for their reader at the time of writing, as the inbox
 * checks them on every read: the space must still be visible to them and nothing the
 * notification is about deleted (SQL), and the kinds' registry must still describe the page
 * (`describeItems` + the inbox's `notificationTarget`, which leave out what the reader may no
 * longer see). What fails is simply not told.
 */

export type MailEntry = {
  id: number;
  kind: NotificationKind;
  category: Category;
  createdAt: Date;
  /** "Ann Lee answered", or what a notification without an actor says. */
  lead: string;
  title: string;
  /** Path on Commons (the caller makes it absolute). */
  path: string;
};

const pageItem = alias(items, "page_item");
const subjectItem = alias(items, "subject_item");
const actorUser = alias(users, "actor");

export type EntryFilter = { ids: readonly number[] } | { kinds: readonly NotificationKind[]; from: Date; to: Date };

/**
 * The reader's notifications, by ids or by kinds and time, oldest first, as far as they may
 * still see them. One query for the rows, then the registry's descriptions (a query per kind).
 */
export async function mailEntries(db: Db | Tx, actor: Actor, filter: EntryFilter): Promise<MailEntry[]> {
  const which: SQL =
    "ids" in filter
      ? filter.ids.length
        ? inArray(notifications.id, [...filter.ids])
        : sql`false`
      : filter.kinds.length
        ? and(
            inArray(notifications.kind, [...filter.kinds]),
            sql`${notifications.createdAt} >= ${filter.from.toISOString()}::timestamptz`,
            sql`${notifications.createdAt} < ${filter.to.toISOString()}::timestamptz`,
          )!
        : sql`false`;
  const rows = await db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      createdAt: notifications.createdAt,
      itemId: notifications.itemId,
      subjectItemId: notifications.subjectItemId,
      commentId: notifications.commentId,
      actorName: actorUser.name,
    })
    .from(notifications)
    .leftJoin(pageItem, eq(pageItem.id, notifications.itemId))
    .leftJoin(subjectItem, eq(subjectItem.id, notifications.subjectItemId))
    .leftJoin(comments, eq(comments.id, notifications.commentId))
    .leftJoin(actorUser, eq(actorUser.id, notifications.actorId))
    .where(
      and(eq(notifications.userId, actor.id), inVisibleSpace(actor, notifications.spaceId), isNull(pageItem.deletedAt), isNull(subjectItem.deletedAt), isNull(comments.deletedAt), which),
    )
    .orderBy(asc(notifications.createdAt), asc(notifications.id));
  if (rows.length === 0) return [];
  const described = await describeItems(
    db,
    actor,
    rows.flatMap((r) => (r.subjectItemId === null ? [r.itemId] : [r.itemId, r.subjectItemId])),
  );
  return rows.flatMap((r) => {
    const target = notificationTarget(r, described);
    if (!target) return [];
    const alone = r.actorName === null ? NOTIFICATION_ALONE[r.kind] : undefined;
    return [
      {
        id: r.id,
        kind: r.kind,
        category: KIND_CATEGORY[r.kind],
        createdAt: r.createdAt,
        lead: alone ?? `${r.actorName ?? "Someone"} ${NOTIFICATION_VERBS[r.kind]}`,
        title: target.page.title,
        path: target.to,
      },
    ];
  });
}
