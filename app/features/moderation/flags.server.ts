import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "#db/client.server.ts";
import { comments, flags, posts, spaceMembers, spaces, users } from "#db/schema/index.ts";
import { closeQuestionInTx } from "#app/features/qa/close.server.ts";
import type { CloseReason } from "#app/features/qa/close-schema.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import { deleteComment, pageKind } from "#app/features/social/comments.server.ts";
import { plainExcerpt } from "#app/features/social/excerpt.ts";
import { type ItemAccess, describeItems, kindDefinition, loadItem } from "#app/features/social/kinds.server.ts";
import { type ItemKind, KIND_NOUNS } from "#app/features/social/kinds.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { normalizeText } from "#app/lib/forms.ts";
import { isRowId } from "#app/lib/ids.ts";
import { type FlagInput, type FlagReason, type FlagTarget, type ResolveAction, flagDetailsError } from "./flag-schema.ts";

export { plainExcerpt };

/**
 * Flags and the moderation queue. Anyone who can see an item whose kind takes flags (a question,
 * an answer, an idea) or a comment on any item may flag it (not their own), once while their flag
 * is pending. Flags wait in the queue of the item's space: its
 * moderators see them, and site moderators and admins see the queues of every space they may
 * see. Resolving dismisses the flags, or acts on the item (delete it, close the question), in
 * one transaction.
 */

// ---------------------------------------------------------------------------------------------
// Flagging

function checkDetails(input: FlagInput): string {
  const details = normalizeText(input.details);
  const message = flagDetailsError(input.reason, details);
  if (message) throw InputError.field("details", message);
  return details;
}

/** Inserts a pending flag, or explains that this person's earlier flag is still waiting. */
async function insertFlag(tx: Tx, values: typeof flags.$inferInsert): Promise<{ id: number }> {
  // The partial unique indexes allow one pending flag per reporter and target; a repeat is a no-op.
  const [row] = await tx.insert(flags).values(values).onConflictDoNothing().returning({ id: flags.id });
  if (!row) throw new InputError("You already flagged this. A moderator will look at it soon.");
  return row;
}

/** What a flag form returns to: the flagged item or comment on its page. */
export type FlagResult = { id: number; url: string };

/** A comment's place on its page. */
function commentUrl(access: Pick<ItemAccess, "url">, commentId: number): string {
  return `${access.url.split("#")[0]}#comment-${commentId}`;
}

/** A live item whose kind takes flags, for `actor`, or the 404 (the 403 for a kind without flags). */
async function loadFlaggable(tx: Db | Tx, actor: Actor, itemId: number): Promise<ItemAccess> {
  const access = await loadItem(tx, actor, itemId);
  if (!kindDefinition(access.kind).features.flags) throw new ForbiddenError(`A ${KIND_NOUNS[access.kind]} cannot be flagged.`);
  return access;
}

export async function flagItem(db: Db, actor: Actor, itemId: number, input: FlagInput): Promise<FlagResult> {
  const details = checkDetails(input);
  return db.transaction(async (tx) => {
    const access = await loadFlaggable(tx, actor, itemId);
    if (access.authorId === actor.id) throw new InputError(`You cannot flag your own ${KIND_NOUNS[access.kind]}. Edit or delete it instead.`);
    const flag = await insertFlag(tx, { itemId: access.itemId, spaceId: access.spaceId, reporterId: actor.id, reason: input.reason, details });
    return { id: flag.id, url: access.url };
  });
}

/** A live comment on a live item, for `actor`, or the same 404 as a missing one. */
async function loadComment(tx: Db | Tx, actor: Actor, commentId: number, options: { allowDeleted?: boolean } = {}) {
  if (!isRowId(commentId)) throw new NotFoundError();
  const [comment] = await tx
    .select()
    .from(comments)
    .where(and(eq(comments.id, commentId), inVisibleSpace(actor, comments.spaceId)));
  if (!comment) throw new NotFoundError();
  const access = await loadItem(tx, actor, comment.itemId, { allowDeleted: options.allowDeleted ?? false });
  if (comment.deletedAt && !(options.allowDeleted && access.canModerate)) throw new NotFoundError();
  return { comment, access };
}

export async function flagComment(db: Db, actor: Actor, commentId: number, input: FlagInput): Promise<FlagResult> {
  const details = checkDetails(input);
  return db.transaction(async (tx) => {
    const { comment, access } = await loadComment(tx, actor, commentId);
    if (comment.authorId === actor.id) throw new InputError("You cannot flag your own comment. Delete it instead.");
    const flag = await insertFlag(tx, { commentId: comment.id, spaceId: comment.spaceId, reporterId: actor.id, reason: input.reason, details });
    return { id: flag.id, url: commentUrl(access, comment.id) };
  });
}

export type FlagFormTarget = {
  kind: ItemKind | "comment";
  id: number;
  excerpt: string;
  own: boolean;
  /** The page it is on: its title, its URL, and what it is ("question", "idea"). */
  page: { title: string; url: string; noun: string };
  /** The flagged thing on that page. */
  backUrl: string;
};

/** What is being flagged and the page a flag form returns to, for the flag pages. */
export async function flagFormTarget(db: Db, actor: Actor, target: FlagTarget): Promise<FlagFormTarget> {
  if ("commentId" in target) {
    const { comment, access } = await loadComment(db, actor, target.commentId);
    const noun = KIND_NOUNS[await pageKind(db, access)];
    return {
      kind: "comment",
      id: comment.id,
      excerpt: plainExcerpt(comment.body),
      own: comment.authorId === actor.id,
      page: { title: access.title, url: access.url.split("#")[0]!, noun },
      backUrl: commentUrl(access, comment.id),
    };
  }
  const access = await loadFlaggable(db, actor, target.itemId);
  const [summary, noun] = await Promise.all([describeItems(db, actor, [access.itemId]), pageKind(db, access).then((kind) => KIND_NOUNS[kind])]);
  return {
    kind: access.kind,
    id: access.itemId,
    excerpt: summary.get(access.itemId)?.excerpt ?? access.title,
    own: access.authorId === actor.id,
    page: { title: access.title, url: access.url.split("#")[0]!, noun },
    backUrl: access.url,
  };
}

// ---------------------------------------------------------------------------------------------
// Who moderates what

function isSiteModerator(actor: Actor): boolean {
  return actor.kind === "employee" && !actor.deactivatedAt && (actor.role === "admin" || actor.role === "moderator");
}

/**
 * The flags `actor` may handle: those in the spaces they moderate (all the spaces they may see,
 * for site moderators and admins), always through the visibility module.
 */
function flagScope(actor: Actor): SQL {
  const visible = inVisibleSpace(actor, flags.spaceId);
  if (isSiteModerator(actor)) return visible;
  return and(visible, sql`${flags.spaceId} in (select space_id from space_members where user_id = ${actor.id} and role = 'moderator')`)!;
}

/**
 * For the navigation: null when `actor` moderates nothing, else how many items wait in their
 * queue. One query on the partial index of pending flags.
 */
export async function moderationSummary(db: Db | Tx, actor: Actor): Promise<{ pending: number } | null> {
  const parts = moderationSummarySql(actor);
  if (!parts) return null;
  const [row] = await db.execute<{ moderates: boolean; pending: number }>(sql`select ${parts.moderates} as moderates, ${parts.pending} as pending`);
  return row?.moderates ? { pending: row.pending } : null;
}

/**
 * `moderationSummary` as two scalar expressions (whether the actor moderates anything, and the
 * pending count), so the page shell can ask for them beside other counts in one statement; null
 * for people who cannot moderate at all.
 */
export function moderationSummarySql(actor: Actor): { moderates: SQL<boolean>; pending: SQL<number> } | null {
  if (actor.kind !== "employee" || actor.deactivatedAt) return null;
  const moderates = isSiteModerator(actor)
    ? sql<boolean>`true`
    : sql<boolean>`exists (select 1 from ${spaceMembers} where ${spaceMembers.userId} = ${actor.id} and ${spaceMembers.role} = 'moderator' and ${inVisibleSpace(actor, spaceMembers.spaceId)})`;
  const pending = sql<number>`(select count(distinct coalesce(${flags.itemId}, -${flags.commentId}))::int from ${flags} where ${flags.status} = 'pending' and ${flagScope(actor)})`;
  return { moderates, pending };
}

// ---------------------------------------------------------------------------------------------
// The queue

export const QUEUE_PAGE_SIZE = 20;

export type QueueStatus = "pending" | "handled";

export type QueueReport = { reporter: { id: number; name: string }; reason: FlagReason; details: string; at: string };

export type QueueItem = {
  /** "item-12" or "comment-7": what the resolve form posts back. */
  key: string;
  target: {
    kind: ItemKind | "comment";
    /** The item's id, or the comment's. */
    id: number;
    excerpt: string;
    deleted: boolean;
    author: { id: number; name: string } | null;
    /** The page it is on (a question, an idea), and its URL there (scrolled to an answer or comment). */
    page: { title: string; url: string };
    space: { slug: string; name: string };
    /** What a moderator may do besides dismissing: delete it (kinds that are deleted; every comment), close it (open questions). */
    canDelete: boolean;
    canClose: boolean;
    /** A question that is closed (or the question an answer or comment is on). */
    closed: boolean;
  };
  count: number;
  reasons: Array<{ reason: FlagReason; count: number }>;
  reports: QueueReport[];
  firstFlaggedAt: Date;
  /** Set on handled items. */
  handled: { status: "dismissed" | "actioned"; by: { id: number; name: string } | null; at: Date; resolution: string } | null;
};

type QueueRow = {
  itemId: number | null;
  commentId: number | null;
  count: number;
  reports: Array<{ reporterId: number; reporterName: string; reason: FlagReason; details: string; at: string }>;
  sortAt: string;
  status: "pending" | "dismissed" | "actioned";
  handledById: number | null;
  handledByName: string | null;
  handledAt: string | null;
  resolution: string;
};

/** A timestamp as ISO text in UTC with its microseconds, so a cursor names the exact row. */
function isoText(expression: SQL): SQL {
  return sql`to_char((${expression}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
const ISO_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Opaque page cursor: the sort time (microseconds kept) and the target key. */
function encodeCursor(at: string, key: number): string {
  return Buffer.from(JSON.stringify([at, key])).toString("base64url");
}

function decodeCursor(cursor: string | null | undefined): { at: string; key: number } | null {
  if (!cursor || cursor.length > 200) return null;
  try {
    const [at, key] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof at !== "string" || !ISO_TEXT.test(at) || !Number.isSafeInteger(key)) return null;
    return { at, key: key as number };
  } catch {
    // A cursor someone edited by hand: start from the first page.
    return null;
  }
}

export type ModerationQueue = { items: QueueItem[]; nextCursor: string | null; status: QueueStatus };

/**
 * Flags grouped by what they flag, with counts, reasons and reporters. Pending: oldest first (a
 * queue). Handled: most recently handled first, one group per decision. A person who moderates
 * nothing gets a 404.
 */
export async function moderationQueue(db: Db, actor: Actor, options: { status?: QueueStatus; cursor?: string | null } = {}): Promise<ModerationQueue> {
  const status = options.status ?? "pending";
  if (!(await moderationSummary(db, actor))) throw new NotFoundError();
  const cursor = decodeCursor(options.cursor);
  const key = sql`coalesce(${flags.itemId}, -${flags.commentId})`;
  const handler = alias(users, "handler");
  const pending = status === "pending";
  const sortAt = pending ? sql`min(${flags.createdAt})` : sql`${flags.handledAt}`;
  const reports = sql`json_agg(json_build_object('reporterId', ${users.id}, 'reporterName', ${users.name}, 'reason', ${flags.reason}, 'details', ${flags.details}, 'at', ${flags.createdAt}) order by ${flags.createdAt})`;
  const rows = (await db
    .select({
      itemId: flags.itemId,
      commentId: flags.commentId,
      count: sql<number>`count(*)::int`,
      reports: sql`${reports}`,
      sortAt: sql<string>`${isoText(sortAt)}`,
      status: pending ? sql`'pending'` : sql`${flags.status}`,
      handledById: pending ? sql`null` : flags.handledById,
      handledByName: pending ? sql`null` : sql`max(${handler.name})`,
      handledAt: pending ? sql`null` : sql`${isoText(sql`${flags.handledAt}`)}`,
      resolution: pending ? sql`''` : flags.resolution,
    })
    .from(flags)
    .innerJoin(users, eq(users.id, flags.reporterId))
    .leftJoin(handler, eq(handler.id, flags.handledById))
    .where(and(pending ? eq(flags.status, "pending") : sql`${flags.status} <> 'pending'`, flagScope(actor)))
    .groupBy(...(pending ? [flags.itemId, flags.commentId] : [flags.itemId, flags.commentId, flags.status, flags.handledById, flags.handledAt, flags.resolution]))
    .having(cursor ? (pending ? sql`(${sortAt}, ${key}) > (${cursor.at}::timestamptz, ${cursor.key})` : sql`(${sortAt}, ${key}) < (${cursor.at}::timestamptz, ${cursor.key})`) : undefined)
    .orderBy(...(pending ? [sql`${sortAt} asc`, sql`${key} asc`] : [sql`${sortAt} desc`, sql`${key} desc`]))
    .limit(QUEUE_PAGE_SIZE + 1)) as QueueRow[];

  const page = rows.slice(0, QUEUE_PAGE_SIZE);
  const targets = await queueTargets(
    db,
    actor,
    page.flatMap((r) => (r.itemId ? [r.itemId] : [])),
    page.flatMap((r) => (r.commentId ? [r.commentId] : [])),
  );
  const items: QueueItem[] = [];
  for (const row of page) {
    const target = row.itemId ? targets.items.get(row.itemId) : targets.comments.get(row.commentId!);
    // Visibility was applied on the flag's space; an item that no longer resolves is left out.
    if (!target) continue;
    const reasonCounts = new Map<FlagReason, number>();
    for (const r of row.reports) reasonCounts.set(r.reason, (reasonCounts.get(r.reason) ?? 0) + 1);
    items.push({
      key: row.itemId ? `item-${row.itemId}` : `comment-${row.commentId}`,
      target,
      count: row.count,
      reasons: [...reasonCounts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
      reports: row.reports.map((r) => ({ reporter: { id: r.reporterId, name: r.reporterName }, reason: r.reason, details: r.details, at: r.at })),
      firstFlaggedAt: new Date(row.reports[0]!.at),
      handled:
        row.status === "pending" || !row.handledAt
          ? null
          : { status: row.status, by: row.handledById ? { id: row.handledById, name: row.handledByName ?? "" } : null, at: new Date(row.handledAt), resolution: row.resolution },
    });
  }
  const last = page.at(-1);
  const nextCursor = rows.length > QUEUE_PAGE_SIZE && last ? encodeCursor(last.sortAt, last.itemId ?? -last.commentId!) : null;
  return { items, nextCursor, status };
}

/**
 * The flagged items and comments of one queue page: the comments in one query, the items (and the
 * items the comments are on) through their kinds' `describe`, then their authors, spaces and, for
 * questions, whether they are closed.
 */
async function queueTargets(db: Db, actor: Actor, itemIds: number[], commentIds: number[]) {
  const result = { items: new Map<number, QueueItem["target"]>(), comments: new Map<number, QueueItem["target"]>() };
  const commentRows =
    commentIds.length === 0
      ? []
      : await db
          .select({ id: comments.id, itemId: comments.itemId, spaceId: comments.spaceId, body: comments.body, deletedAt: comments.deletedAt, authorId: comments.authorId })
          .from(comments)
          .where(and(inArray(comments.id, commentIds), inVisibleSpace(actor, comments.spaceId)));
  const summaries = await describeItems(db, actor, [...itemIds, ...commentRows.map((c) => c.itemId)]);
  // Questions' closed state: the flagged question, or the question an answer or a comment is on.
  const questionItems = [...summaries.values()].filter((s) => s.kind === "question" || s.kind === "answer").map((s) => s.pageItemId);
  const authorIds = [...[...summaries.values()].flatMap((s) => (s.authorId ? [s.authorId] : [])), ...commentRows.map((c) => c.authorId)];
  const spaceIds = [...[...summaries.values()].map((s) => s.spaceId), ...commentRows.map((c) => c.spaceId)];
  const [people, spaceRows, closedRows] = await Promise.all([
    authorIds.length === 0
      ? []
      : db
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(inArray(users.id, [...new Set(authorIds)])),
    spaceIds.length === 0
      ? []
      : db
          .select({ id: spaces.id, slug: spaces.slug, name: spaces.name })
          .from(spaces)
          .where(inArray(spaces.id, [...new Set(spaceIds)])),
    questionItems.length === 0
      ? []
      : db
          .select({ itemId: posts.itemId })
          .from(posts)
          .where(and(inArray(posts.itemId, [...new Set(questionItems)]), sql`${posts.closedAt} is not null`)),
  ]);
  const person = new Map(people.map((p) => [p.id, p]));
  const space = new Map(spaceRows.map((s) => [s.id, { slug: s.slug, name: s.name }]));
  const closed = new Set(closedRows.map((r) => r.itemId));
  for (const itemId of itemIds) {
    const summary = summaries.get(itemId);
    const where = summary ? space.get(summary.spaceId) : undefined;
    if (!summary || !where) continue;
    const isClosed = closed.has(summary.pageItemId);
    result.items.set(itemId, {
      kind: summary.kind,
      id: itemId,
      excerpt: summary.excerpt ?? summary.title,
      deleted: summary.deleted,
      author: summary.authorId ? (person.get(summary.authorId) ?? null) : null,
      page: { title: summary.title, url: summary.url },
      space: where,
      canDelete: Boolean(kindDefinition(summary.kind).remove) && !summary.deleted,
      canClose: summary.kind === "question" && !isClosed && !summary.deleted,
      closed: isClosed,
    });
  }
  for (const c of commentRows) {
    const summary = summaries.get(c.itemId);
    const where = space.get(c.spaceId);
    if (!summary || !where) continue;
    result.comments.set(c.id, {
      kind: "comment",
      id: c.id,
      excerpt: plainExcerpt(c.body),
      deleted: c.deletedAt !== null,
      author: person.get(c.authorId) ?? null,
      page: { title: summary.title, url: `${summary.url.split("#")[0]}#comment-${c.id}` },
      space: where,
      canDelete: c.deletedAt === null,
      canClose: false,
      closed: closed.has(summary.pageItemId),
    });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Acting on flags

export type ResolveInput = { action: ResolveAction; resolution: string; closeReason?: Exclude<CloseReason, "duplicate"> };

/**
 * The flagged item or comment, locked, for a moderator of its space; anyone else gets the 404. A
 * comment locks its item's row first, as its delete does.
 */
async function lockTarget(tx: Tx, actor: Actor, target: FlagTarget) {
  if ("commentId" in target) {
    const { comment, access } = await loadComment(tx, actor, target.commentId, { allowDeleted: true });
    if (!access.canModerate) throw new NotFoundError();
    const locked = await loadItem(tx, actor, access.itemId, { allowDeleted: true, forUpdate: true });
    const [row] = await tx.select().from(comments).where(eq(comments.id, comment.id)).for("update");
    return { kind: "comment" as const, comment: row!, access: locked };
  }
  const first = await loadItem(tx, actor, target.itemId, { allowDeleted: true });
  if (!first.canModerate) throw new NotFoundError();
  // Lock order everywhere: an answer's question, then the answer (the kind's delete takes both).
  const page = first.pageItemId !== first.itemId ? await loadItem(tx, actor, first.pageItemId, { allowDeleted: true, forUpdate: true }) : null;
  const access = await loadItem(tx, actor, first.itemId, { allowDeleted: true, forUpdate: true });
  return { kind: "item" as const, access, page };
}

/**
 * Dismisses the pending flags on an item or comment, or acts on it (delete it; close a question)
 * and marks them actioned: one transaction, so a failed action leaves the flags pending.
 */
export async function resolveFlags(db: Db, actor: ReputationActor, target: FlagTarget, input: ResolveInput): Promise<{ handled: number; status: "dismissed" | "actioned"; pageUrl: string }> {
  return db.transaction(async (tx) => {
    const locked = await lockTarget(tx, actor, target);
    const targetCondition = "commentId" in target ? eq(flags.commentId, target.commentId) : eq(flags.itemId, target.itemId);
    const pending = await tx
      .select({ id: flags.id })
      .from(flags)
      .where(and(targetCondition, eq(flags.status, "pending")))
      .for("update");
    if (pending.length === 0) throw new InputError("These flags were already handled, perhaps by another moderator.");
    const pageUrl = locked.access.url.split("#")[0]!;

    if (input.action === "delete") {
      // The page's own delete, inside this transaction: counters, accepted answer and tag counts follow.
      if (locked.kind === "comment") await deleteComment(tx, actor, locked.comment.id);
      else {
        const remove = kindDefinition(locked.access.kind).remove;
        if (!remove) throw new InputError(`A ${KIND_NOUNS[locked.access.kind]} is not deleted: dismiss the flags, or decide on it from its page.`);
        await remove(tx, actor, locked.access.itemId);
      }
    } else if (input.action === "close") {
      if (locked.kind === "comment" || locked.access.kind !== "question") {
        throw new InputError("Only a question can be closed: delete this item or dismiss the flags.");
      }
      await closeQuestionInTx(tx, actor, locked.access.contentId, { reason: input.closeReason ?? "off_topic", note: input.resolution });
    }

    const status = input.action === "dismiss" ? "dismissed" : "actioned";
    await tx
      .update(flags)
      .set({ status, handledById: actor.id, handledAt: sql`now()`, resolution: input.resolution.trim() })
      .where(
        inArray(
          flags.id,
          pending.map((f) => f.id),
        ),
      );
    return { handled: pending.length, status, pageUrl };
  });
}
