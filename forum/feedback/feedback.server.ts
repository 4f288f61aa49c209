import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server.ts";
import { forumAccounts, forumAnswers, forumComments, forumReactions, forumThreads } from "#db/schema/index.ts";
import { normalizeText } from "#app/lib/forms.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import { LIMITS, takeAttempt, tryAgainMessage } from "../accounts/rate-limit.server.ts";
import type { SignedInAccount } from "../accounts/session.server.ts";
import { threadPath } from "../format.ts";
import { live } from "../threads.server.ts";

/**
 * What customers say on a published thread: comments, and "Helpful" / "Not helpful" on the thread
 * or one of its answers. Only a live thread (not withdrawn, not expired) takes either, and only from
 * an account whose address is proven. The rows are the back-sync's source: the internal review
 * queue reads these tables (with the app's role) and shows what came in since it was last reviewed.
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

export type LiveThread = { id: number; slug: string; title: string; path: string; expiresAt: Date | null };

/** The thread a write is for, if it is live: a missing one is a 404, a withdrawn or expired one a 410. */
export async function liveThread(db: Db, threadId: number): Promise<{ ok: true; thread: LiveThread } | Refused> {
  if (!Number.isSafeInteger(threadId) || threadId <= 0 || threadId > 2_147_483_647) return { ok: false, status: 404, reason: "missing" };
  const [row] = await db
    .select({ id: forumThreads.id, slug: forumThreads.slug, title: forumThreads.title, expiresAt: forumThreads.expiresAt, isLive: sql<boolean>`${live}` })
    .from(forumThreads)
    .where(eq(forumThreads.id, threadId))
    .limit(1);
  if (!row) return { ok: false, status: 404, reason: "missing" };
  if (!row.isLive) return { ok: false, status: 410, reason: "gone" };
  return { ok: true, thread: { id: row.id, slug: row.slug, title: row.title, expiresAt: row.expiresAt, path: threadPath(row) } };
}

const UNVERIFIED = "Confirm your address first: open the link we mailed you, or ask for a new one.";

/**
 * Posts a comment. The text is rendered by the one markdown module before anything is written; the
 * insert reads the thread's liveness in the same statement, so a thread withdrawn meanwhile takes
 * nothing.
 */
export async function postComment(db: Db, account: SignedInAccount, threadId: number, rawBody: string, now = new Date()): Promise<{ ok: true; id: number } | Refusal> {
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
  const limited = await takeAttempt(db, [LIMITS.commentsPerAccount(account.id)], now);
  if (limited.limited) return { ok: false, status: 429, reason: "rate-limited", message: tryAgainMessage("You have posted many comments in the last hour.", limited.retryAfterMinutes) };
  // One statement: the thread is live when the comment goes in, or nothing goes in.
  const [row] = await db.execute<{ id: number }>(sql`
    insert into ${forumComments} (thread_id, account_id, body, body_html, created_at)
    select ${forumThreads.id}, ${account.id}, ${body}, ${bodyHtml}, ${now.toISOString()}::timestamptz
    from ${forumThreads}
    where ${forumThreads.id} = ${threadId} and ${live}
    returning id`);
  if (!row) return { ok: false, status: 410, reason: "gone" };
  return { ok: true, id: row.id };
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
 * written by an account deactivated since are left out.
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
        total: sql<number>`count(*) over ()`.mapWith(Number),
      })
      .from(forumComments)
      .innerJoin(forumAccounts, eq(forumAccounts.id, forumComments.accountId))
      .where(and(eq(forumComments.threadId, threadId), isNull(forumComments.deletedAt), isNull(forumAccounts.deactivatedAt)))
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
