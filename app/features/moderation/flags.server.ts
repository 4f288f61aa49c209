import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "#db/client.server.ts";
import { comments, flags, posts, spaceMembers, spaces, users } from "#db/schema/index.ts";
import { loadPost, loadQuestion, postNotFound } from "#app/features/qa/access.server.ts";
import { closeQuestionInTx } from "#app/features/qa/close.server.ts";
import type { CloseReason } from "#app/features/qa/close-schema.ts";
import { deleteComment, deletePost } from "#app/features/qa/edit.server.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { normalizeText } from "#app/lib/forms.ts";
import { type FlagInput, type FlagReason, type FlagTarget, type ResolveAction, flagDetailsError } from "./flag-schema.ts";

/**
 * Flags and the moderation queue. Anyone who can see a post or comment may flag it (not their
 * own), once while their flag is pending. Flags wait in the queue of the item's space: its
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

/** What a flag form returns to: the question, and the answer or comment on its page. */
export type FlagResult = { id: number; question: { id: number; title: string }; anchor: `answer-${number}` | `comment-${number}` | undefined };

export async function flagPost(db: Db, actor: Actor, postId: number, input: FlagInput): Promise<FlagResult> {
  const details = checkDetails(input);
  return db.transaction(async (tx) => {
    const { post } = await loadPost(tx, actor, postId);
    // An answer under a deleted question is gone with it.
    const question = post.parentId ? (await loadQuestion(tx, actor, post.parentId)).post : post;
    if (post.authorId === actor.id) throw new InputError(`You cannot flag your own ${post.type}. Edit or delete it instead.`);
    const flag = await insertFlag(tx, { postId: post.id, spaceId: post.spaceId, reporterId: actor.id, reason: input.reason, details });
    return { id: flag.id, question: { id: question.id, title: question.title ?? "" }, anchor: post.parentId ? `answer-${post.id}` : undefined };
  });
}

/** A live comment on a live post, for `actor`, or the same 404 as a missing one. */
async function loadComment(tx: Db | Tx, actor: Actor, commentId: number, options: { allowDeleted?: boolean } = {}) {
  if (!Number.isSafeInteger(commentId) || commentId <= 0 || commentId > 2_147_483_647) postNotFound();
  const [comment] = await tx
    .select()
    .from(comments)
    .where(and(eq(comments.id, commentId), inVisibleSpace(actor, comments.spaceId)));
  if (!comment) postNotFound();
  const access = await loadPost(tx, actor, comment.postId, { allowDeleted: options.allowDeleted });
  if (comment.deletedAt && !(options.allowDeleted && access.canModerate)) postNotFound();
  const question = access.post.parentId ? (await loadQuestion(tx, actor, access.post.parentId, { allowDeleted: options.allowDeleted })).post : access.post;
  return { comment, access, question };
}

export async function flagComment(db: Db, actor: Actor, commentId: number, input: FlagInput): Promise<FlagResult> {
  const details = checkDetails(input);
  return db.transaction(async (tx) => {
    const { comment, question } = await loadComment(tx, actor, commentId);
    if (comment.authorId === actor.id) throw new InputError("You cannot flag your own comment. Delete it instead.");
    const flag = await insertFlag(tx, { commentId: comment.id, spaceId: comment.spaceId, reporterId: actor.id, reason: input.reason, details });
    return { id: flag.id, question: { id: question.id, title: question.title ?? "" }, anchor: `comment-${comment.id}` };
  });
}

/** The question a flag form returns to, and what is being flagged, for the flag pages. */
export async function flagFormTarget(db: Db, actor: Actor, target: FlagTarget) {
  if ("commentId" in target) {
    const { comment, question } = await loadComment(db, actor, target.commentId);
    const anchor: FlagResult["anchor"] = `comment-${comment.id}`;
    return { kind: "comment" as const, id: comment.id, excerpt: plainExcerpt(comment.body), own: comment.authorId === actor.id, question: { id: question.id, title: question.title ?? "" }, anchor };
  }
  const { post } = await loadPost(db, actor, target.postId);
  const question = post.parentId ? (await loadQuestion(db, actor, post.parentId)).post : post;
  const anchor: FlagResult["anchor"] = post.parentId ? `answer-${post.id}` : undefined;
  return { kind: post.type, id: post.id, excerpt: plainExcerpt(post.body), own: post.authorId === actor.id, question: { id: question.id, title: question.title ?? "" }, anchor };
}

/** Markdown source to a short line of plain text for the queue (React escapes it; no HTML here). */
export function plainExcerpt(markdown: string, max = 240): string {
  const text = markdown
    .replace(/```[^\n]*\n?/g, " ")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}(?:#{1,6}|>+|[-*+]|\d+[.)])\s+/gm, "")
    .replace(/[*_`~]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
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
  const pending = sql<number>`(select count(distinct coalesce(${flags.postId}, -${flags.commentId}))::int from ${flags} where ${flags.status} = 'pending' and ${flagScope(actor)})`;
  return { moderates, pending };
}

// ---------------------------------------------------------------------------------------------
// The queue

export const QUEUE_PAGE_SIZE = 20;

export type QueueStatus = "pending" | "handled";

export type QueueReport = { reporter: { id: number; name: string }; reason: FlagReason; details: string; at: string };

export type QueueItem = {
  /** "post-12" or "comment-7": what the resolve form posts back. */
  key: string;
  target: {
    kind: "question" | "answer" | "comment";
    id: number;
    excerpt: string;
    deleted: boolean;
    author: { id: number; name: string };
    question: { id: number; title: string; closed: boolean };
    /** The answer or comment on the question page. */
    anchor: `answer-${number}` | `comment-${number}` | null;
    space: { slug: string; name: string };
  };
  count: number;
  reasons: Array<{ reason: FlagReason; count: number }>;
  reports: QueueReport[];
  firstFlaggedAt: Date;
  /** Set on handled items. */
  handled: { status: "dismissed" | "actioned"; by: { id: number; name: string } | null; at: Date; resolution: string } | null;
};

type QueueRow = {
  postId: number | null;
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
  if (!(await moderationSummary(db, actor))) postNotFound();
  const cursor = decodeCursor(options.cursor);
  const key = sql`coalesce(${flags.postId}, -${flags.commentId})`;
  const handler = alias(users, "handler");
  const pending = status === "pending";
  const sortAt = pending ? sql`min(${flags.createdAt})` : sql`${flags.handledAt}`;
  const reports = sql`json_agg(json_build_object('reporterId', ${users.id}, 'reporterName', ${users.name}, 'reason', ${flags.reason}, 'details', ${flags.details}, 'at', ${flags.createdAt}) order by ${flags.createdAt})`;
  const rows = (await db
    .select({
      postId: flags.postId,
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
    .groupBy(...(pending ? [flags.postId, flags.commentId] : [flags.postId, flags.commentId, flags.status, flags.handledById, flags.handledAt, flags.resolution]))
    .having(cursor ? (pending ? sql`(${sortAt}, ${key}) > (${cursor.at}::timestamptz, ${cursor.key})` : sql`(${sortAt}, ${key}) < (${cursor.at}::timestamptz, ${cursor.key})`) : undefined)
    .orderBy(...(pending ? [sql`${sortAt} asc`, sql`${key} asc`] : [sql`${sortAt} desc`, sql`${key} desc`]))
    .limit(QUEUE_PAGE_SIZE + 1)) as QueueRow[];

  const page = rows.slice(0, QUEUE_PAGE_SIZE);
  const targets = await queueTargets(
    db,
    actor,
    page.flatMap((r) => (r.postId ? [r.postId] : [])),
    page.flatMap((r) => (r.commentId ? [r.commentId] : [])),
  );
  const items: QueueItem[] = [];
  for (const row of page) {
    const target = row.postId ? targets.posts.get(row.postId) : targets.comments.get(row.commentId!);
    // Visibility was applied on the flag's space; an item that no longer resolves is left out.
    if (!target) continue;
    const reasonCounts = new Map<FlagReason, number>();
    for (const r of row.reports) reasonCounts.set(r.reason, (reasonCounts.get(r.reason) ?? 0) + 1);
    items.push({
      key: row.postId ? `post-${row.postId}` : `comment-${row.commentId}`,
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
  const nextCursor = rows.length > QUEUE_PAGE_SIZE && last ? encodeCursor(last.sortAt, last.postId ?? -last.commentId!) : null;
  return { items, nextCursor, status };
}

/** The flagged posts and comments of one queue page, in two queries. */
async function queueTargets(db: Db, actor: Actor, postIds: number[], commentIds: number[]) {
  const question = alias(posts, "question");
  const author = alias(users, "author");
  const result = { posts: new Map<number, QueueItem["target"]>(), comments: new Map<number, QueueItem["target"]>() };
  if (postIds.length > 0) {
    const rows = await db
      .select({ post: posts, question: { id: question.id, title: question.title, closedAt: question.closedAt }, author: { id: author.id, name: author.name }, space: { slug: spaces.slug, name: spaces.name } })
      .from(posts)
      .innerJoin(author, eq(author.id, posts.authorId))
      .innerJoin(spaces, eq(spaces.id, posts.spaceId))
      .innerJoin(question, eq(question.id, sql`coalesce(${posts.parentId}, ${posts.id})`))
      .where(and(inArray(posts.id, postIds), inVisibleSpace(actor, posts.spaceId)));
    for (const r of rows) {
      result.posts.set(r.post.id, {
        kind: r.post.type,
        id: r.post.id,
        excerpt: r.post.type === "question" ? `${r.post.title ?? ""}: ${plainExcerpt(r.post.body, 180)}` : plainExcerpt(r.post.body),
        deleted: r.post.deletedAt !== null,
        author: r.author,
        question: { id: r.question.id, title: r.question.title ?? "", closed: r.question.closedAt !== null },
        anchor: r.post.type === "answer" ? `answer-${r.post.id}` : null,
        space: r.space,
      });
    }
  }
  if (commentIds.length > 0) {
    const rows = await db
      .select({ comment: comments, question: { id: question.id, title: question.title, closedAt: question.closedAt }, author: { id: author.id, name: author.name }, space: { slug: spaces.slug, name: spaces.name } })
      .from(comments)
      .innerJoin(author, eq(author.id, comments.authorId))
      .innerJoin(spaces, eq(spaces.id, comments.spaceId))
      .innerJoin(posts, eq(posts.id, comments.postId))
      .innerJoin(question, eq(question.id, sql`coalesce(${posts.parentId}, ${posts.id})`))
      .where(and(inArray(comments.id, commentIds), inVisibleSpace(actor, comments.spaceId)));
    for (const r of rows) {
      result.comments.set(r.comment.id, {
        kind: "comment",
        id: r.comment.id,
        excerpt: plainExcerpt(r.comment.body),
        deleted: r.comment.deletedAt !== null,
        author: r.author,
        question: { id: r.question.id, title: r.question.title ?? "", closed: r.question.closedAt !== null },
        anchor: `comment-${r.comment.id}`,
        space: r.space,
      });
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Acting on flags

export type ResolveInput = { action: ResolveAction; resolution: string; closeReason?: Exclude<CloseReason, "duplicate"> };

/** The flagged item, locked, for a moderator of its space; anyone else gets the 404. */
async function lockTarget(tx: Tx, actor: Actor, target: FlagTarget) {
  if ("commentId" in target) {
    const { comment, access } = await loadComment(tx, actor, target.commentId, { allowDeleted: true });
    if (!access.canModerate) postNotFound();
    // Lock order everywhere: question, then post, then comment.
    if (access.post.parentId) await loadQuestion(tx, actor, access.post.parentId, { allowDeleted: true, forUpdate: true });
    const post = await loadPost(tx, actor, access.post.id, { allowDeleted: true, forUpdate: true });
    const [locked] = await tx.select().from(comments).where(eq(comments.id, comment.id)).for("update");
    return { kind: "comment" as const, comment: locked!, post };
  }
  const first = await loadPost(tx, actor, target.postId, { allowDeleted: true });
  if (!first.canModerate) postNotFound();
  const question = await loadQuestion(tx, actor, first.post.parentId ?? first.post.id, { allowDeleted: true, forUpdate: true });
  const post = first.post.parentId ? await loadPost(tx, actor, first.post.id, { allowDeleted: true, forUpdate: true }) : question;
  return { kind: "post" as const, post, question };
}

/**
 * Dismisses the pending flags on an item, or acts on it (delete it; close its question) and
 * marks them actioned: one transaction, so a failed action leaves the flags pending.
 */
export async function resolveFlags(
  db: Db,
  actor: ReputationActor,
  target: FlagTarget,
  input: ResolveInput,
): Promise<{ handled: number; status: "dismissed" | "actioned"; questionId: number }> {
  return db.transaction(async (tx) => {
    const locked = await lockTarget(tx, actor, target);
    const targetCondition = "commentId" in target ? eq(flags.commentId, target.commentId) : eq(flags.postId, target.postId);
    const pending = await tx
      .select({ id: flags.id })
      .from(flags)
      .where(and(targetCondition, eq(flags.status, "pending")))
      .for("update");
    if (pending.length === 0) throw new InputError("These flags were already handled, perhaps by another moderator.");
    const questionId = locked.kind === "comment" ? (locked.post.post.parentId ?? locked.post.post.id) : locked.question.post.id;

    if (input.action === "delete") {
      // The question page's delete, inside this transaction: counters, accepted answer and tag counts follow.
      if (locked.kind === "comment") await deleteComment(tx, actor, locked.comment.id);
      else await deletePost(tx, actor, locked.post.post.id);
    } else if (input.action === "close") {
      if (locked.kind === "comment" || locked.post.post.type !== "question") {
        throw new InputError("Only a question can be closed: delete this item or dismiss the flags.");
      }
      await closeQuestionInTx(tx, actor, questionId, { reason: input.closeReason ?? "off_topic", note: input.resolution });
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
    return { handled: pending.length, status, questionId };
  });
}
