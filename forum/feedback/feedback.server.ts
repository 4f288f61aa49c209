import { and, asc, count, eq, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server.ts";
import { forumAccounts, forumAnswers, forumComments, forumFlags, forumReactions, forumThreads } from "#db/schema/index.ts";
import { normalizeText } from "#app/lib/forms.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import { LIMITS, takeAttempt, tryAgainMessage } from "../accounts/rate-limit.server.ts";
import type { SignedInAccount } from "../accounts/session.server.ts";
import { threadPath } from "../format.ts";
import { available, live } from "../threads.server.ts";

/**
 * What customers say on a published thread: comments, and "Helpful" / "Not helpful" on the thread
 * or one of its answers. Only a live thread (not withdrawn, not expired) takes either, and only from
 * an account whose address is proven. The rows are the back-sync's source: the internal review
 * queue reads these tables (with the app's role) and shows what came in since it was last reviewed.
 *
 * Part 2: a comment from an account no moderator has trusted yet (`forum_accounts.trusted_at` is
 * null) waits as `pending`, seen only by its author, until the first-post queue lets it through.
 * Customers report a thread, an answer or a comment once each (`forum_flags`).
 */

export const COMMENT_MAX = 5000;
/** Comments a thread page shows before "Show all". */
export const COMMENTS_SHOWN = 100;
/** Even "all" stops somewhere: at the comment limit, a thread would take years to get here. */
const COMMENTS_ALL = 5000;

export const REACTION_KINDS = ["helpful", "not_helpful"] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];

export const CommentSchema = z.object({
  body: z
    .string({ error: "Write a comment" })
    .transform(normalizeText)
    .pipe(
      z
        .string()
        .min(1, { error: "Write a comment" })
        .max(COMMENT_MAX, { error: `Use at most ${COMMENT_MAX.toLocaleString("en")} characters` }),
    ),
});

export const ReactionSchema = z.object({
  answerId: z
    .string()
    .regex(/^\d{1,10}$/)
    .transform(Number)
    .pipe(z.number().int().min(0).max(2_147_483_647)),
  kind: z.enum(REACTION_KINDS),
});

/** Why a write was refused, as the HTTP answer it becomes. */
export type Refused =
  | { ok: false; status: 404; reason: "missing" }
  | { ok: false; status: 410; reason: "gone" }
  | { ok: false; status: 403; reason: "unverified" | "not-yours"; message: string }
  | { ok: false; status: 429; reason: "rate-limited"; message: string };
/** A refused comment's text comes back to its writer with the message. */
export type Refusal = Refused | { ok: false; status: 400; reason: "input"; errors: Record<string, string> };

export type LiveThread = {
  id: number;
  slug: string;
  title: string;
  path: string;
  expiresAt: Date | null;
  origin: "published" | "customer" | "session";
  /** The asking customer of a customer's question. */
  accountId: number | null;
};

/**
 * The thread a write is for, if it is live: a missing one is a 404, a withdrawn or expired one (or
 * one a moderator removed) a 410. A question waiting for a moderator does not exist for anyone's
 * writes yet: a 404.
 */
export async function liveThread(db: Db, threadId: number): Promise<{ ok: true; thread: LiveThread } | Refused> {
  if (!Number.isSafeInteger(threadId) || threadId <= 0 || threadId > 2_147_483_647) return { ok: false, status: 404, reason: "missing" };
  const [row] = await db
    .select({
      id: forumThreads.id,
      slug: forumThreads.slug,
      title: forumThreads.title,
      expiresAt: forumThreads.expiresAt,
      origin: forumThreads.origin,
      accountId: forumThreads.accountId,
      moderation: forumThreads.moderation,
      isAvailable: sql<boolean>`${available}`,
    })
    .from(forumThreads)
    .where(eq(forumThreads.id, threadId))
    .limit(1);
  if (!row || row.moderation === "pending") return { ok: false, status: 404, reason: "missing" };
  if (!row.isAvailable || row.moderation === "removed") return { ok: false, status: 410, reason: "gone" };
  const { moderation: _moderation, isAvailable: _available, ...thread } = row;
  return { ok: true, thread: { ...thread, path: threadPath(row) } };
}

const UNVERIFIED = "Confirm your address first: open the link we mailed you, or ask for a new one.";

/**
 * Posts a comment. The text is rendered by the one markdown module before anything is written; the
 * insert reads the thread's liveness in the same statement, so a thread withdrawn meanwhile takes
 * nothing.
 */
export async function postComment(
  db: Db,
  account: SignedInAccount,
  threadId: number,
  rawBody: string,
  now = new Date(),
  options: { clientAddress?: string } = {},
): Promise<{ ok: true; id: number; pending: boolean } | Refusal> {
  if (!account.verified) return { ok: false, status: 403, reason: "unverified", message: UNVERIFIED };
  const parsed = CommentSchema.safeParse({ body: rawBody });
  if (!parsed.success) return { ok: false, status: 400, reason: "input", errors: { body: parsed.error.issues[0]!.message } };
  const { body } = parsed.data;
  let bodyHtml: string;
  try {
    bodyHtml = renderField(body, "body");
  } catch (error) {
    const fieldErrors = (error as { fieldErrors?: Record<string, string> }).fieldErrors;
    if (fieldErrors) return { ok: false, status: 400, reason: "input", errors: fieldErrors };
    throw error;
  }
  const limits = [LIMITS.commentsPerAccount(account.id)];
  if (options.clientAddress) limits.push(LIMITS.commentsPerClient(options.clientAddress));
  const limited = await takeAttempt(db, limits, now);
  if (limited.limited) return { ok: false, status: 429, reason: "rate-limited", message: tryAgainMessage("You have posted many comments in the last hour.", limited.retryAfterMinutes) };
  // One statement: the thread is live when the comment goes in, or nothing goes in; and whether it
  // waits for a moderator is the account's trust at that moment.
  const [row] = await db.execute<{ id: number; moderation: string }>(sql`
    insert into ${forumComments} (thread_id, account_id, body, body_html, created_at, moderation)
    select ${forumThreads.id}, ${account.id}, ${body}, ${bodyHtml}, ${now.toISOString()}::timestamptz,
      (case when (select a.trusted_at from ${forumAccounts} a where a.id = ${account.id}) is null then 'pending' else 'visible' end)::forum_moderation
    from ${forumThreads}
    where ${forumThreads.id} = ${threadId} and ${live}
    returning id, moderation`);
  if (!row) return { ok: false, status: 410, reason: "gone" };
  return { ok: true, id: row.id, pending: row.moderation === "pending" };
}

/** Deletes one's own comment (it stays in the table, marked, for the review queue). */
export async function deleteComment(db: Db, account: SignedInAccount, threadId: number, commentId: number, now = new Date()): Promise<{ ok: true } | Refused> {
  const [row] = await db
    .update(forumComments)
    .set({ deletedAt: now })
    .where(and(eq(forumComments.id, commentId), eq(forumComments.threadId, threadId), eq(forumComments.accountId, account.id), isNull(forumComments.deletedAt)))
    .returning({ id: forumComments.id });
  if (row) return { ok: true };
  const [other] = await db
    .select({ accountId: forumComments.accountId })
    .from(forumComments)
    .where(and(eq(forumComments.id, commentId), eq(forumComments.threadId, threadId), isNull(forumComments.deletedAt)))
    .limit(1);
  if (other) return { ok: false, status: 403, reason: "not-yours", message: "Only its author can delete a comment." };
  return { ok: false, status: 404, reason: "missing" };
}

/**
 * "Helpful" or "Not helpful" on the thread (answerId 0) or one of its answers: the same kind again
 * takes the reaction back, the other kind replaces it. A switch counts as new for the review queue.
 */
export async function react(
  db: Db,
  account: SignedInAccount,
  threadId: number,
  input: { answerId: number; kind: ReactionKind },
  now = new Date(),
): Promise<{ ok: true; state: ReactionKind | null } | Refused> {
  if (!account.verified) return { ok: false, status: 403, reason: "unverified", message: UNVERIFIED };
  if (input.answerId !== 0) {
    const [answer] = await db
      .select({ id: forumAnswers.id })
      .from(forumAnswers)
      .where(and(eq(forumAnswers.id, input.answerId), eq(forumAnswers.threadId, threadId)))
      .limit(1);
    if (!answer) return { ok: false, status: 404, reason: "missing" };
  }
  const target = and(eq(forumReactions.threadId, threadId), eq(forumReactions.answerId, input.answerId), eq(forumReactions.accountId, account.id));
  return db.transaction(async (tx) => {
    const taken = await tx
      .delete(forumReactions)
      .where(and(target, eq(forumReactions.kind, input.kind)))
      .returning({ kind: forumReactions.kind });
    if (taken.length > 0) return { ok: true as const, state: null };
    await tx
      .insert(forumReactions)
      .values({ threadId, answerId: input.answerId, accountId: account.id, kind: input.kind, createdAt: now })
      .onConflictDoUpdate({ target: [forumReactions.threadId, forumReactions.answerId, forumReactions.accountId], set: { kind: input.kind, createdAt: now } });
    return { ok: true as const, state: input.kind };
  });
}

// ---- reading -------------------------------------------------------------------------------

export interface FeedbackComment {
  id: number;
  accountId: number;
  authorName: string;
  bodyHtml: string;
  createdAt: Date;
  /** "pending" only ever reaches its own author's page: "Waiting for a moderator". */
  moderation: "visible" | "pending" | "removed";
}

export type ReactionCounts = Record<ReactionKind, number>;

export interface ThreadFeedbackData {
  /** Oldest first; the first COMMENTS_SHOWN unless all were asked for. */
  comments: FeedbackComment[];
  /** How many live comments the thread has. */
  commentCount: number;
  /** Counts per target: key 0 for the thread, an answer's id for an answer. */
  reactions: Record<number, ReactionCounts>;
  /** The reader's own reaction per target. */
  mine: Record<number, ReactionKind>;
  /** The thread's answers, to react on each (in the page's order). */
  answers: Array<{ id: number; authorName: string }>;
}

/**
 * Everything the thread page shows of its feedback, in three queries whatever the number of
 * comments: the comments with their authors' names (and how many there are in all), the reaction
 * counts with the reader's own, and the answers to react on. Comments deleted by their author or
 * written by an account deactivated since are left out, and so are those not visible, but for the
 * reader's own comments that wait for a moderator.
 */
export async function threadFeedback(db: Db, threadId: number, accountId: number | null, options: { all?: boolean } = {}): Promise<ThreadFeedbackData> {
  const [comments, reactionRows, answers] = await Promise.all([
    db
      .select({
        id: forumComments.id,
        accountId: forumComments.accountId,
        authorName: forumAccounts.name,
        bodyHtml: forumComments.bodyHtml,
        createdAt: forumComments.createdAt,
        moderation: forumComments.moderation,
        total: sql<number>`count(*) over ()`.mapWith(Number),
      })
      .from(forumComments)
      .innerJoin(forumAccounts, eq(forumAccounts.id, forumComments.accountId))
      .where(
        and(
          eq(forumComments.threadId, threadId),
          isNull(forumComments.deletedAt),
          isNull(forumAccounts.deactivatedAt),
          or(eq(forumComments.moderation, "visible"), accountId === null ? sql`false` : and(eq(forumComments.moderation, "pending"), eq(forumComments.accountId, accountId))),
        ),
      )
      .orderBy(asc(forumComments.createdAt), asc(forumComments.id))
      .limit(options.all ? COMMENTS_ALL : COMMENTS_SHOWN),
    db
      .select({
        answerId: forumReactions.answerId,
        kind: forumReactions.kind,
        n: count(),
        mine: sql<boolean>`coalesce(bool_or(${forumReactions.accountId} = ${accountId ?? 0}), false)`,
      })
      .from(forumReactions)
      .where(eq(forumReactions.threadId, threadId))
      .groupBy(forumReactions.answerId, forumReactions.kind),
    db
      .select({ id: forumAnswers.id, authorName: forumAnswers.authorName })
      .from(forumAnswers)
      .where(eq(forumAnswers.threadId, threadId))
      .orderBy(asc(forumAnswers.position), asc(forumAnswers.id)),
  ]);
  const reactions: Record<number, ReactionCounts> = {};
  const mine: Record<number, ReactionKind> = {};
  for (const row of reactionRows) {
    reactions[row.answerId] ??= { helpful: 0, not_helpful: 0 };
    reactions[row.answerId]![row.kind] = row.n;
    if (row.mine && accountId !== null) mine[row.answerId] = row.kind;
  }
  return {
    comments: comments.map(({ total: _total, ...comment }) => comment),
    commentCount: comments[0]?.total ?? 0,
    reactions,
    mine,
    answers,
  };
}

// ---- flags ---------------------------------------------------------------------------------

export const FLAG_REASONS = ["spam", "abuse", "off_topic", "other"] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
export const FLAG_NOTE_MAX = 500;

/** What is reported: the thread itself, one of its answers or one of its comments. */
export type FlagTarget = { kind: "thread" } | { kind: "answer"; id: number } | { kind: "comment"; id: number };

const id = z
  .string()
  .regex(/^\d{1,10}$/)
  .transform(Number)
  .pipe(z.number().int().min(1).max(2_147_483_647));

/** The target's fields come from our own links: `answer=<id>` or `comment=<id>`, else the thread. */
export const FlagTargetSchema = z.object({ answer: id.optional(), comment: id.optional() });

export const FlagSchema = FlagTargetSchema.extend({
  reason: z.enum(FLAG_REASONS, { error: "Choose why you are reporting this" }),
  note: z
    .string()
    .optional()
    .default("")
    .transform(normalizeText)
    .pipe(z.string().max(FLAG_NOTE_MAX, { error: `Use at most ${FLAG_NOTE_MAX} characters` })),
});

export function flagTarget(input: { answer?: number; comment?: number }): FlagTarget {
  if (input.answer !== undefined) return { kind: "answer", id: input.answer };
  if (input.comment !== undefined) return { kind: "comment", id: input.comment };
  return { kind: "thread" };
}

/**
 * What the report page names: the thread, or the answer's author, or the comment's author. A
 * target that is not on this thread (or a comment the reader cannot see) is missing.
 */
export async function flagTargetLabel(db: Db, threadId: number, target: FlagTarget, readerId: number): Promise<string | null> {
  if (target.kind === "thread") return "this question";
  if (target.kind === "answer") {
    const [row] = await db
      .select({ name: forumAnswers.authorName })
      .from(forumAnswers)
      .where(and(eq(forumAnswers.id, target.id), eq(forumAnswers.threadId, threadId)))
      .limit(1);
    return row ? `the answer from ${row.name}` : null;
  }
  const [row] = await db
    .select({ name: forumAccounts.name })
    .from(forumComments)
    .innerJoin(forumAccounts, eq(forumAccounts.id, forumComments.accountId))
    .where(
      and(
        eq(forumComments.id, target.id),
        eq(forumComments.threadId, threadId),
        isNull(forumComments.deletedAt),
        or(eq(forumComments.moderation, "visible"), eq(forumComments.accountId, readerId)),
      ),
    )
    .limit(1);
  return row ? `the comment from ${row.name}` : null;
}

/**
 * Reports a post to the moderators, once per customer and post: a second report of the same post
 * changes nothing and says so. Moderators decide in the app.
 */
export async function flagPost(
  db: Db,
  account: SignedInAccount,
  threadId: number,
  input: { target: FlagTarget; reason: FlagReason; note: string },
  now = new Date(),
): Promise<{ ok: true; already: boolean } | Refused> {
  if (!account.verified) return { ok: false, status: 403, reason: "unverified", message: UNVERIFIED };
  if ((await flagTargetLabel(db, threadId, input.target, account.id)) === null) return { ok: false, status: 404, reason: "missing" };
  const limited = await takeAttempt(db, [LIMITS.flagsPerAccount(account.id)], now);
  if (limited.limited) return { ok: false, status: 429, reason: "rate-limited", message: tryAgainMessage("You have sent many reports in the last hour.", limited.retryAfterMinutes) };
  const rows = await db
    .insert(forumFlags)
    .values({
      threadId,
      answerId: input.target.kind === "answer" ? input.target.id : null,
      commentId: input.target.kind === "comment" ? input.target.id : null,
      accountId: account.id,
      reason: input.reason,
      note: input.note,
      createdAt: now,
    })
    // The unique index (account, thread, answer, comment) holds one report per customer and post.
    .onConflictDoNothing()
    .returning({ id: forumFlags.id });
  return { ok: true, already: rows.length === 0 };
}
