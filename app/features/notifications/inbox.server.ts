import { and, desc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "#db/client.server.ts";
import { comments, ideaComments, ideas, notifications, posts, users } from "#db/schema/index.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { postNotFound } from "#app/features/qa/access.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { ideaUrl } from "#app/features/ideas/idea-url.ts";
import type { NotificationKind } from "./notify.server.ts";

/**
 * Reading the inbox. Visibility is checked again on every read, not only when a notification is
 * written: someone who loses access to a space stops seeing its notifications, and a notification
 * about a question, answer or comment that has since been deleted disappears with it.
 */

export const INBOX_PAGE_SIZE = 25;
/** The unread count stops counting here; the shell shows "99+". */
export const UNREAD_COUNT_CAP = 100;

const question = alias(posts, "question");
const target = alias(posts, "target");
const actorUser = alias(users, "actor");

/**
 * The notifications someone may still see: theirs, in a visible space, about things that still
 * exist. A notification is about a question or an idea; the statements join both (left joins) and
 * this condition keeps rows whose subject is there.
 */
function visibleTo(actor: Actor): SQL {
  return and(
    eq(notifications.userId, actor.id),
    inVisibleSpace(actor, notifications.spaceId),
    or(isNotNull(question.id), isNotNull(ideas.id)),
    isNull(question.deletedAt),
    or(isNull(notifications.ideaCommentId), isNull(ideaComments.deletedAt)),
    or(isNull(notifications.postId), isNull(target.deletedAt)),
    or(isNull(notifications.commentId), isNull(comments.deletedAt)),
  )!;
}

export type InboxItem = {
  id: number;
  kind: NotificationKind;
  createdAt: Date;
  read: boolean;
  /** What it is about: a question or an idea, with its title. */
  questionId: number | null;
  ideaId: number | null;
  questionTitle: string;
  actor: { id: number; name: string } | null;
  /** Where opening it leads: the question or idea, at the answer or comment it is about. */
  to: string;
};

export type InboxFilter = "all" | "unread";

type Subject = { questionId: number | null; questionTitle: string | null; postId: number | null; commentId: number | null; ideaId: number | null; ideaCommentId: number | null };

/** The question's page at the comment or answer the notification is about (`/questions/12/slug#answer-34`), or the idea's page. */
export function notificationTarget(n: Subject): string {
  if (n.ideaId !== null) return ideaUrl({ id: n.ideaId }, n.ideaCommentId ? `comment-${n.ideaCommentId}` : undefined);
  const question = { id: n.questionId!, title: n.questionTitle };
  if (n.commentId) return questionUrl(question, `comment-${n.commentId}`);
  if (n.postId && n.postId !== n.questionId) return questionUrl(question, `answer-${n.postId}`);
  return questionUrl(question);
}

// A cursor is the last row's time (microseconds, as Postgres keeps it) and id: "2026-05-01T10:00:00.123456Z~42".
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)~(\d{1,10})$/;

/** Newest first, a page at a time (keyset on time and id). One query. */
export async function inbox(
  db: Db | Tx,
  actor: Actor,
  options: { cursor?: string | null; filter?: InboxFilter } = {},
): Promise<{ items: InboxItem[]; nextCursor: string | null }> {
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
      questionId: notifications.questionId,
      postId: notifications.postId,
      commentId: notifications.commentId,
      ideaId: notifications.ideaId,
      ideaCommentId: notifications.ideaCommentId,
      questionTitle: sql<string | null>`coalesce(${question.title}, ${ideas.title})`,
      actorId: actorUser.id,
      actorName: actorUser.name,
    })
    .from(notifications)
    .leftJoin(question, eq(question.id, notifications.questionId))
    .leftJoin(target, eq(target.id, notifications.postId))
    .leftJoin(comments, eq(comments.id, notifications.commentId))
    .leftJoin(ideas, eq(ideas.id, notifications.ideaId))
    .leftJoin(ideaComments, eq(ideaComments.id, notifications.ideaCommentId))
    .leftJoin(actorUser, eq(actorUser.id, notifications.actorId))
    .where(and(...conditions))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(INBOX_PAGE_SIZE + 1);
  const page = rows.slice(0, INBOX_PAGE_SIZE);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      createdAt: r.createdAt,
      read: r.readAt !== null,
      questionId: r.questionId,
      ideaId: r.ideaId,
      questionTitle: r.questionTitle ?? "",
      actor: r.actorId !== null && r.actorName !== null ? { id: r.actorId, name: r.actorName } : null,
      to: notificationTarget(r),
    })),
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
    .leftJoin(question, eq(question.id, notifications.questionId))
    .leftJoin(target, eq(target.id, notifications.postId))
    .leftJoin(comments, eq(comments.id, notifications.commentId))
    .leftJoin(ideas, eq(ideas.id, notifications.ideaId))
    .leftJoin(ideaComments, eq(ideaComments.id, notifications.ideaCommentId))
    .where(and(visibleTo(actor), isNull(notifications.readAt)))
    .limit(UNREAD_COUNT_CAP)
    .as("visible_unread");
  return sql<number>`(select count(*)::int from ${visibleUnread})`;
}

/** Marks some (or all) of the actor's own notifications read; other people's rows are never touched. */
export async function markRead(db: Db | Tx, actor: Actor, ids: readonly number[] | "all"): Promise<number> {
  const own = and(eq(notifications.userId, actor.id), isNull(notifications.readAt));
  if (ids !== "all") {
    const valid = ids.filter((id) => Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647);
    if (valid.length === 0) return 0;
    const rows = await db
      .update(notifications)
      .set({ readAt: sql`now()` })
      .where(and(own, inArray(notifications.id, valid)))
      .returning({ id: notifications.id });
    return rows.length;
  }
  const rows = await db.update(notifications).set({ readAt: sql`now()` }).where(own).returning({ id: notifications.id });
  return rows.length;
}

/**
 * Opening a notification: marks it read and answers where it leads. Someone else's notification,
 * or one they may no longer see, is a 404.
 */
export async function openNotification(db: Db, actor: Actor, id: number): Promise<string> {
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) postNotFound();
  const [row] = await db
    .select({
      questionId: notifications.questionId,
      questionTitle: question.title,
      postId: notifications.postId,
      commentId: notifications.commentId,
      ideaId: notifications.ideaId,
      ideaCommentId: notifications.ideaCommentId,
    })
    .from(notifications)
    .leftJoin(question, eq(question.id, notifications.questionId))
    .leftJoin(target, eq(target.id, notifications.postId))
    .leftJoin(comments, eq(comments.id, notifications.commentId))
    .leftJoin(ideas, eq(ideas.id, notifications.ideaId))
    .leftJoin(ideaComments, eq(ideaComments.id, notifications.ideaCommentId))
    .where(and(visibleTo(actor), eq(notifications.id, id)))
    .limit(1);
  if (!row) postNotFound();
  await markRead(db, actor, [id]);
  return notificationTarget(row);
}
