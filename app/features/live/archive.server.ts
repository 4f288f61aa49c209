import { and, asc, desc, eq, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { forumAnswers, forumThreads, liveSessionExperts, liveSessionQuestions, liveSessions, spaces, users } from "#db/schema/index.ts";
import { plainSummary, FORUM_CHANNEL } from "#app/features/publishing/forum-write.server.ts";
import { threadSlug } from "#app/features/publishing/urls.ts";
import { askQuestion, postAnswer } from "#app/features/qa/posts.server.ts";
import { TITLE_MAX } from "#app/features/qa/schemas.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { absoluteTime } from "#app/lib/time.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { liveChanged, moveSession } from "./sessions.server.ts";

/**
 * After a session: it becomes content people find later, once. A forum session becomes a public
 * thread (origin "session") with one answer per answered question, indexed in the forum's search;
 * an internal one becomes a question in its space, through the Q&A service, with one answer per
 * answered question by the expert who gave it, so search, follows and reputation work as for any
 * question. The session keeps the thread's or question's id and its page links there.
 *
 * "End" archives at once; the scheduler ends what is still live an hour after its end time, and
 * archives any ended session whose archive did not happen (a crash between the two).
 */

const HOUR = 3600 * 1000;
const THREAD_AUTHOR = "Live expert session";

function archivedTitle(title: string): string {
  const full = `Live session: ${title}`;
  return full.length > TITLE_MAX ? `${full.slice(0, TITLE_MAX - 1).trimEnd()}…` : full;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The answered questions worth keeping, best first (the order the thread shows them in). */
function answeredQuestions(db: Db | Tx, sessionId: number) {
  return db
    .select()
    .from(liveSessionQuestions)
    .where(and(eq(liveSessionQuestions.sessionId, sessionId), isNull(liveSessionQuestions.hiddenAt), isNotNull(liveSessionQuestions.answerHtml)))
    .orderBy(desc(liveSessionQuestions.votes), asc(liveSessionQuestions.createdAt), asc(liveSessionQuestions.id));
}

/** Ends a live session (a moderator's "End") and archives it. */
export async function endSession(db: Db, actor: Actor, sessionId: number): Promise<void> {
  await moveSession(db, actor, sessionId, "end");
  await archiveSession(db, sessionId, actor.id);
}

/**
 * Turns an ended session into its thread or question, once: a second call (a double click, two
 * instances' schedulers) finds it done. `actorId`: who ended it, the fallback author of an internal
 * session's question when its creator can no longer ask.
 */
export async function archiveSession(db: Db, sessionId: number, actorId: number | null = null): Promise<{ threadId?: number; questionId?: number } | null> {
  const [session] = await db.select().from(liveSessions).where(eq(liveSessions.id, sessionId));
  if (!session || session.status !== "ended") return null;
  if (session.audience === "forum") return archiveForumSession(db, sessionId);
  return archiveInternalSession(db, session, actorId);
}

async function archiveForumSession(db: Db, sessionId: number): Promise<{ threadId: number } | null> {
  return db.transaction(async (tx) => {
    // The session's row lock makes a second archive wait, then see the thread.
    const [session] = await tx.select().from(liveSessions).where(eq(liveSessions.id, sessionId)).for("update");
    if (!session || session.status !== "ended") return null;
    if (session.threadId !== null) return { threadId: session.threadId };
    const [questions, experts] = await Promise.all([
      answeredQuestions(tx, session.id),
      tx.select({ name: liveSessionExperts.name }).from(liveSessionExperts).where(eq(liveSessionExperts.sessionId, session.id)).orderBy(asc(liveSessionExperts.name)),
    ]);
    const title = archivedTitle(session.title);
    const intro = `<p>${escapeHtml(`A live expert session with ${experts.map((e) => e.name).join(", ")}, held on ${absoluteTime(session.startsAt)}.`)}</p>`;
    const bodyHtml = session.descriptionHtml + intro;
    const [thread] = await tx
      .insert(forumThreads)
      .values({
        slug: threadSlug(title),
        title,
        bodyHtml,
        summary: plainSummary(bodyHtml),
        authorName: THREAD_AUTHOR,
        tags: [session.topic],
        answerCount: questions.length,
        askedAt: session.startsAt,
        origin: "session",
      })
      .returning({ id: forumThreads.id });
    const threadId = thread!.id;
    if (questions.length > 0) {
      await tx.insert(forumAnswers).values(
        questions.map((q, i) => ({
          threadId,
          position: i + 1,
          // Both parts were sanitized by the markdown module when written; the wrapper is ours.
          bodyHtml: `<blockquote><p><strong>${escapeHtml(q.authorName)}</strong> asked:</p>${q.bodyHtml}</blockquote>${q.answerHtml ?? ""}`,
          authorName: q.answeredByName ?? "",
          authorTitle: q.answeredByTitle ?? "",
          authorNamed: true,
          authorUserId: q.answeredById,
          answeredAt: q.answeredAt ?? session.endsAt,
        })),
      );
    }
    await tx
      .update(liveSessions)
      .set({ threadId, updatedAt: sql`now()` })
      .where(eq(liveSessions.id, session.id));
    await enqueueIndexing(tx, "forum_thread", [threadId]);
    await tx.execute(sql`select pg_notify(${FORUM_CHANNEL}, ${String(threadId)})`);
    await liveChanged(tx, session.id);
    return { threadId };
  });
}

type ReputationUser = ReputationActor & { name: string };

async function activeUser(db: Db, userId: number | null): Promise<ReputationUser | null> {
  if (userId === null) return null;
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.kind, "employee"), isNull(users.deactivatedAt)));
  return user ?? null;
}

async function archiveInternalSession(db: Db, session: typeof liveSessions.$inferSelect, actorId: number | null): Promise<{ questionId: number } | null> {
  if (session.questionId !== null) return { questionId: session.questionId };
  const [space] = session.spaceId ? await db.select({ slug: spaces.slug }).from(spaces).where(eq(spaces.id, session.spaceId)) : [];
  if (!space) return null;
  const [questions, experts] = await Promise.all([
    answeredQuestions(db, session.id),
    db.select({ name: liveSessionExperts.name }).from(liveSessionExperts).where(eq(liveSessionExperts.sessionId, session.id)).orderBy(asc(liveSessionExperts.name)),
  ]);
  const asker = (await activeUser(db, session.createdById)) ?? (await activeUser(db, actorId));
  if (!asker) return null;
  const footer = `_Questions and answers from the live expert session with ${experts.map((e) => e.name).join(", ")}, held on ${absoluteTime(session.startsAt)}._`;
  // The submission keys make the Q&A service find what an earlier, interrupted run wrote.
  const { id: questionId } = await askQuestion(db, asker, {
    space: space.slug,
    title: archivedTitle(session.title),
    body: session.description === "" ? footer : `${session.description}\n\n${footer}`,
    tags: [session.topic],
    submissionKey: `live-session-${session.id}`,
  });
  const answerers = new Map<number, ReputationUser | null>();
  for (const q of questions) {
    if (q.answeredById === null) continue;
    if (!answerers.has(q.answeredById)) answerers.set(q.answeredById, await activeUser(db, q.answeredById));
    const expert = answerers.get(q.answeredById);
    if (!expert) continue;
    const quoted = q.body
      .split("\n")
      .map((line) => `> ${line}`)
      .join("\n");
    try {
      await postAnswer(db, expert, questionId, {
        body: `> **${q.authorName.replace(/[*_`[\]\\<>]/g, "")}** asked:\n>\n${quoted}\n\n${q.answer ?? ""}`,
        submissionKey: `live-answer-${q.id}`,
      });
    } catch (error) {
      // An expert who lost sight of the space, or an answer the markdown module now refuses: the
      // others still go in, and the session page still shows every answer.
      if (!(error instanceof NotFoundError) && !(error instanceof InputError)) throw error;
    }
  }
  await db.transaction(async (tx) => {
    await tx
      .update(liveSessions)
      .set({ questionId, updatedAt: sql`now()` })
      .where(and(eq(liveSessions.id, session.id), isNull(liveSessions.questionId)));
    await liveChanged(tx, session.id);
  });
  return { questionId };
}

/**
 * The scheduler's round (every minute): sessions whose start has come go live; live ones an hour
 * past their end are ended; ended ones without their thread or question are archived.
 */
export async function runLiveSessions(db: Db, now = new Date()): Promise<{ started: number; ended: number; archived: number }> {
  const started = await db.transaction(async (tx) => {
    const rows = await tx
      .update(liveSessions)
      .set({ status: "live", updatedAt: sql`now()` })
      .where(and(eq(liveSessions.status, "scheduled"), lte(liveSessions.startsAt, now)))
      .returning({ id: liveSessions.id });
    for (const row of rows) await liveChanged(tx, row.id);
    return rows.length;
  });
  const ended = await db.transaction(async (tx) => {
    const rows = await tx
      .update(liveSessions)
      .set({ status: "ended", updatedAt: sql`now()` })
      .where(and(eq(liveSessions.status, "live"), lte(liveSessions.endsAt, new Date(now.getTime() - HOUR))))
      .returning({ id: liveSessions.id });
    for (const row of rows) await liveChanged(tx, row.id);
    return rows.length;
  });
  const due = await db
    .select({ id: liveSessions.id })
    .from(liveSessions)
    .where(
      and(
        eq(liveSessions.status, "ended"),
        sql`(${liveSessions.audience} = 'forum' and ${liveSessions.threadId} is null or ${liveSessions.audience} = 'internal' and ${liveSessions.questionId} is null)`,
        // Not the one a moderator is ending this very moment (End archives it itself).
        lte(liveSessions.updatedAt, new Date(now.getTime() - 60_000)),
      ),
    )
    .limit(20);
  let archived = 0;
  for (const { id } of due) if (await archiveSession(db, id)) archived++;
  return { started, ended, archived };
}
