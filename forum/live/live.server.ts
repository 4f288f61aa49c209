import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { liveSessionExperts, liveSessionQuestions, liveSessions } from "#db/schema/index.ts";
import { LiveQuestionSchema } from "#app/features/live/schemas.ts";
import { isRowId } from "#app/lib/ids.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import { LIVE_CHANNEL } from "../../server/live-hub.ts";
import { type Limit, takeAttempt, tryAgainMessage } from "../accounts/rate-limit.server.ts";
import type { SignedInAccount } from "../accounts/session.server.ts";
import { liveQuestionColumns, toggleVoteRow } from "#app/features/live/rows.server.ts";

/**
 * Live expert sessions as the forum reads and writes them, with its own role: row-level security
 * shows it the forum's sessions only (an internal session's rows do not exist for it), and every
 * query here says `audience = 'forum'` as well, so neither alone holds the line. Customers ask
 * (verified accounts, rate-limited) and up-vote ("a:<account id>", one per question, `votes` kept
 * in step in the same transaction); every write sends `pg_notify('commons_live', id)` so both
 * processes' readers get the change.
 */

export type ForumLiveStatus = "scheduled" | "live" | "ended" | "cancelled";

export interface ForumLiveSession {
  id: number;
  title: string;
  descriptionHtml: string;
  topic: string;
  startsAt: Date;
  endsAt: Date;
  status: ForumLiveStatus;
  threadId: number | null;
}

export interface ForumLiveQuestion {
  id: number;
  authorName: string;
  bodyHtml: string;
  votes: number;
  answerHtml: string | null;
  answeredByName: string | null;
  answeredByTitle: string | null;
  answeredAt: Date | null;
  createdAt: Date;
}

export const LIST_SIZE = 30;
/** As the app: a session is an hour, not a forum. */
const QUESTIONS_SHOWN = 500;

const LIMITS = {
  questionsPerAccount: (accountId: number): Limit => ({ key: `live-question-account:${accountId}`, limit: 10, windowMinutes: 60 }),
  questionsPerClient: (address: string): Limit => ({ key: `live-question-client:${address}`, limit: 60, windowMinutes: 60 }),
};

const forumOnly = eq(liveSessions.audience, "forum");

const sessionColumns = {
  id: liveSessions.id,
  title: liveSessions.title,
  descriptionHtml: liveSessions.descriptionHtml,
  topic: liveSessions.topic,
  startsAt: liveSessions.startsAt,
  endsAt: liveSessions.endsAt,
  status: liveSessions.status,
  threadId: liveSessions.threadId,
};

export function isOpen(status: ForumLiveStatus): boolean {
  return status === "scheduled" || status === "live";
}

/** The sessions page: live and upcoming whole, the latest past ones (two queries). */
export async function forumSessionList(db: Db): Promise<{ current: Array<ForumLiveSession & { experts: string[] }>; past: Array<ForumLiveSession & { experts: string[] }> }> {
  const columns = {
    ...sessionColumns,
    experts: sql<string[]>`coalesce((select array_agg(e.name order by e.name) from ${liveSessionExperts} e where e.session_id = ${liveSessions.id}), '{}')`,
  };
  const [current, past] = await Promise.all([
    db
      .select(columns)
      .from(liveSessions)
      .where(and(forumOnly, inArray(liveSessions.status, ["scheduled", "live"])))
      .orderBy(desc(sql`${liveSessions.status} = 'live'`), asc(liveSessions.startsAt))
      .limit(LIST_SIZE),
    db
      .select(columns)
      .from(liveSessions)
      .where(and(forumOnly, eq(liveSessions.status, "ended")))
      .orderBy(desc(liveSessions.startsAt))
      .limit(LIST_SIZE),
  ]);
  return { current, past };
}

export async function forumSession(db: Db, sessionId: number): Promise<ForumLiveSession | null> {
  if (!isRowId(sessionId)) return null;
  const [row] = await db
    .select(sessionColumns)
    .from(liveSessions)
    .where(and(eq(liveSessions.id, sessionId), forumOnly))
    .limit(1);
  return row ?? null;
}

export async function forumSessionExperts(db: Db, sessionId: number): Promise<Array<{ name: string; title: string }>> {
  return db
    .select({ name: liveSessionExperts.name, title: liveSessionExperts.title })
    .from(liveSessionExperts)
    .innerJoin(liveSessions, eq(liveSessions.id, liveSessionExperts.sessionId))
    .where(and(eq(liveSessionExperts.sessionId, sessionId), forumOnly))
    .orderBy(asc(liveSessionExperts.name));
}

/** The visible questions, most votes first, then oldest (one query). */
export async function forumSessionQuestions(db: Db, sessionId: number): Promise<ForumLiveQuestion[]> {
  return db
    .select(liveQuestionColumns)
    .from(liveSessionQuestions)
    .innerJoin(liveSessions, eq(liveSessions.id, liveSessionQuestions.sessionId))
    .where(and(eq(liveSessionQuestions.sessionId, sessionId), forumOnly, isNull(liveSessionQuestions.hiddenAt)))
    .orderBy(desc(liveSessionQuestions.votes), asc(liveSessionQuestions.createdAt), asc(liveSessionQuestions.id))
    .limit(QUESTIONS_SHOWN);
}

export type LiveRefusal = { ok: false; status: 404 } | { ok: false; status: 403 | 409 | 429; message: string } | { ok: false; status: 400; errors: Record<string, string> };

const UNVERIFIED = "Confirm your address first: open the link we mailed you, or ask for a new one.";
const CLOSED = "This session takes no more questions or votes.";

/** A customer's question, before or during the session. */
export async function askForumLiveQuestion(
  db: Db,
  account: SignedInAccount,
  sessionId: number,
  rawBody: string,
  clientAddress: string,
  now = new Date(),
): Promise<{ ok: true; id: number } | LiveRefusal> {
  const session = await forumSession(db, sessionId);
  if (!session) return { ok: false, status: 404 };
  if (!account.verified) return { ok: false, status: 403, message: UNVERIFIED };
  if (!isOpen(session.status)) return { ok: false, status: 409, message: CLOSED };
  const parsed = LiveQuestionSchema.safeParse({ body: rawBody });
  if (!parsed.success) return { ok: false, status: 400, errors: { body: parsed.error.issues[0]!.message } };
  let bodyHtml: string;
  try {
    bodyHtml = renderField(parsed.data.body, "body");
  } catch (error) {
    const fieldErrors = (error as { fieldErrors?: Record<string, string> }).fieldErrors;
    if (fieldErrors) return { ok: false, status: 400, errors: fieldErrors };
    throw error;
  }
  const limited = await takeAttempt(db, [LIMITS.questionsPerAccount(account.id), LIMITS.questionsPerClient(clientAddress)], now);
  if (limited.limited) return { ok: false, status: 429, message: tryAgainMessage("You have asked many questions in the last hour.", limited.retryAfterMinutes) };
  return db.transaction(async (tx) => {
    // One statement: the session takes questions when the row goes in, or nothing goes in.
    const [row] = await tx.execute<{ id: number }>(sql`
      insert into ${liveSessionQuestions} (session_id, account_id, author_name, body, body_html)
      select ${liveSessions.id}, ${account.id}, ${account.name}, ${parsed.data.body}, ${bodyHtml}
      from ${liveSessions}
      where ${liveSessions.id} = ${sessionId} and ${liveSessions.audience} = 'forum' and ${liveSessions.status} in ('scheduled', 'live')
      returning id`);
    if (!row) return { ok: false as const, status: 409 as const, message: CLOSED };
    await tx.execute(sql`select pg_notify(${LIVE_CHANNEL}, ${String(sessionId)})`);
    return { ok: true as const, id: row.id };
  });
}

/** Up-vote or take it back: one per account, with the question's `votes` moved in the same transaction. */
export async function toggleForumLiveVote(db: Db, account: SignedInAccount, sessionId: number, questionId: number): Promise<{ ok: true; voted: boolean } | LiveRefusal> {
  const session = await forumSession(db, sessionId);
  if (!session || !isRowId(questionId)) return { ok: false, status: 404 };
  if (!account.verified) return { ok: false, status: 403, message: UNVERIFIED };
  if (!isOpen(session.status)) return { ok: false, status: 409, message: CLOSED };
  try {
    return await voteInTransaction(db, account, sessionId, questionId);
  } catch (error) {
    // Migration 0013's policy on live_session_votes refuses every insert by this role (its
    // subquery reads live_sessions.question_id; docs/live-sessions.md): say so rather than fail.
    if ((error as { cause?: { code?: string } }).cause?.code === "42501") return { ok: false, status: 409, message: "Votes cannot be taken right now." };
    throw error;
  }
}

async function voteInTransaction(db: Db, account: SignedInAccount, sessionId: number, questionId: number): Promise<{ ok: true; voted: boolean } | LiveRefusal> {
  return db.transaction(async (tx) => {
    const [question] = await tx
      .select({ id: liveSessionQuestions.id })
      .from(liveSessionQuestions)
      .where(and(eq(liveSessionQuestions.id, questionId), eq(liveSessionQuestions.sessionId, sessionId), isNull(liveSessionQuestions.hiddenAt)));
    if (!question) return { ok: false as const, status: 404 as const };
    const voter = `a:${account.id}`;
    const voted = await toggleVoteRow(tx, questionId, voter);
    await tx.execute(sql`select pg_notify(${LIVE_CHANNEL}, ${String(sessionId)})`);
    return { ok: true as const, voted };
  });
}
