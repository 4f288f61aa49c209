import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { forumAnswers, forumQueue, forumSuggestions, forumThreads, users } from "#db/schema/index.ts";
import { FORUM_CHANNEL } from "#app/features/publishing/forum-write.server.ts";
import { DETECTOR_LABELS, findingContext, scanText } from "#app/features/publishing/scan.ts";
import { scanContext } from "#app/features/publishing/terms.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { canAnswerPublicly, syncQueueStatus } from "./intake.server.ts";

/**
 * Answering a customer in public (docs/forum-desk.md, "Who may answer publicly"): only the SMEs
 * and responders of the question's topics, under their own name, title and employer; the
 * confidentiality scan warns first. Everyone else suggests an answer internally, and one of them
 * posts it with credit.
 */

export type ScanWarning = { label: string; before: string; match: string; after: string };

/** What the scan finds in `body`, for the form; empty when nothing. Every employee counts as not agreed to be named. */
export async function scanAnswer(db: Db, body: string): Promise<ScanWarning[]> {
  const findings = scanText(body, await scanContext(db, { namedUserIds: [] }));
  return findings.map((f) => ({ label: DETECTOR_LABELS[f.detector], ...findingContext(body, f) }));
}

export type PostOutcome = { posted: true; answerId: number } | { posted: false; findings: ScanWarning[] };

function refuse(): never {
  throw new ForbiddenError("Only the SMEs and named responders of this question's topics answer customers in public. Suggest an answer instead.");
}

/** The answer's insert and everything that follows it, in the caller's transaction (the thread's row is locked here). */
async function writeAnswer(tx: Tx, input: { threadId: number; author: { id: number; name: string; title: string }; html: string; creditName: string }): Promise<number> {
  const [thread] = await tx
    .select({ id: forumThreads.id })
    .from(forumThreads)
    .where(and(eq(forumThreads.id, input.threadId), eq(forumThreads.origin, "customer"), eq(forumThreads.moderation, "visible"), sql`${forumThreads.withdrawnAt} is null`))
    .for("update");
  if (!thread) throw new NotFoundError();
  // A double submit (the same text by the same person a moment ago) finds the first answer.
  const [earlier] = await tx.execute<{ id: number }>(sql`
    select id from forum_answers where thread_id = ${input.threadId} and author_user_id = ${input.author.id} and body_html = ${input.html}
       and credit_name = ${input.creditName} and answered_at > now() - interval '2 minutes' limit 1`);
  if (earlier) return Number(earlier.id);
  const [row] = await tx
    .insert(forumAnswers)
    .values({
      threadId: input.threadId,
      position: sql`(select coalesce(max(position), 0) + 1 from forum_answers where thread_id = ${input.threadId})`,
      bodyHtml: input.html,
      authorName: input.author.name,
      authorTitle: input.author.title,
      authorNamed: true,
      accepted: false,
      answeredAt: sql`now()`,
      authorUserId: input.author.id,
      creditName: input.creditName,
    })
    .returning({ id: forumAnswers.id });
  await tx
    .update(forumThreads)
    .set({ answerCount: sql`${forumThreads.answerCount} + 1`, updatedAt: sql`now()` })
    .where(eq(forumThreads.id, input.threadId));
  await tx
    .update(forumQueue)
    .set({ firstResponseAt: sql`coalesce(${forumQueue.firstResponseAt}, now())`, firstResponseById: sql`coalesce(${forumQueue.firstResponseById}, ${input.author.id}::int)` })
    .where(eq(forumQueue.threadId, input.threadId));
  await syncQueueStatus(tx, input.threadId);
  await enqueueIndexing(tx, "forum_thread", [input.threadId]);
  await tx.execute(sql`select pg_notify(${FORUM_CHANNEL}, ${String(input.threadId)})`);
  return row!.id;
}

async function authorOf(db: Db | Tx, userId: number): Promise<{ id: number; name: string; title: string }> {
  const [me] = await db.select({ id: users.id, name: users.name, title: users.title }).from(users).where(eq(users.id, userId));
  if (!me) throw new NotFoundError();
  return me;
}

/**
 * Posts `body` on the customer's question as the actor, shown with their name, title and "works at
 * <company>". Unless `confirmed`, the scan runs first and any finding comes back instead of a post.
 */
export async function postPublicAnswer(db: Db, actor: Actor, threadId: number, input: { body: string; confirmed: boolean }): Promise<PostOutcome> {
  if (!isRowId(threadId)) throw new NotFoundError();
  if (!(await canAnswerPublicly(db, actor.id, threadId))) refuse();
  const html = renderField(input.body, "body");
  if (!input.confirmed) {
    const findings = await scanAnswer(db, input.body);
    if (findings.length > 0) return { posted: false, findings };
  }
  const author = await authorOf(db, actor.id);
  const answerId = await db.transaction(async (tx) => {
    // Read again inside: an SME removed meanwhile may no longer post.
    if (!(await canAnswerPublicly(tx, actor.id, threadId))) refuse();
    return writeAnswer(tx, { threadId, author, html, creditName: "" });
  });
  return { posted: true, answerId };
}

/** An answer suggested internally by any employee, for a responder to post. The text is checked by the markdown module now. */
export async function suggestAnswer(db: Db, actor: Actor, threadId: number, body: string): Promise<{ id: number }> {
  if (actor.kind !== "employee" || actor.deactivatedAt || !isRowId(threadId)) throw new NotFoundError();
  renderField(body, "body");
  return db.transaction(async (tx) => {
    const [thread] = await tx.execute(sql`
      select 1 from forum_threads where id = ${threadId} and origin = 'customer' and moderation = 'visible' and withdrawn_at is null`);
    if (!thread) throw new NotFoundError();
    const [earlier] = await tx.execute<{ id: number }>(sql`
      select id from forum_suggestions where thread_id = ${threadId} and author_id = ${actor.id} and body = ${body} and created_at > now() - interval '2 minutes' limit 1`);
    if (earlier) return { id: Number(earlier.id) };
    const [row] = await tx.insert(forumSuggestions).values({ threadId, authorId: actor.id, body }).returning({ id: forumSuggestions.id });
    return { id: row!.id };
  });
}

async function openSuggestion(tx: Tx, suggestionId: number, threadId: number) {
  const [s] = await tx
    .select({ id: forumSuggestions.id, body: forumSuggestions.body, status: forumSuggestions.status, authorName: users.name })
    .from(forumSuggestions)
    .innerJoin(users, eq(users.id, forumSuggestions.authorId))
    .where(and(eq(forumSuggestions.id, suggestionId), eq(forumSuggestions.threadId, threadId)))
    .for("update", { of: forumSuggestions });
  if (!s) throw new NotFoundError();
  if (s.status !== "open") throw new InputError(s.status === "posted" ? "This suggestion is posted already." : "This suggestion was dismissed.");
  return s;
}

/** A responder posts a colleague's suggestion under their own name, "suggested by" the colleague; the scan warns first. */
export async function postSuggestion(db: Db, actor: Actor, threadId: number, input: { suggestionId: number; confirmed: boolean }): Promise<PostOutcome> {
  if (!isRowId(threadId)) throw new NotFoundError();
  if (!(await canAnswerPublicly(db, actor.id, threadId))) refuse();
  const [peek] = await db
    .select({ body: forumSuggestions.body })
    .from(forumSuggestions)
    .where(and(eq(forumSuggestions.id, input.suggestionId), eq(forumSuggestions.threadId, threadId)));
  if (!peek) throw new NotFoundError();
  const html = renderField(peek.body, "body");
  if (!input.confirmed) {
    const findings = await scanAnswer(db, peek.body);
    if (findings.length > 0) return { posted: false, findings };
  }
  const author = await authorOf(db, actor.id);
  const answerId = await db.transaction(async (tx) => {
    if (!(await canAnswerPublicly(tx, actor.id, threadId))) refuse();
    const s = await openSuggestion(tx, input.suggestionId, threadId);
    if (s.body !== peek.body) throw new InputError("The suggestion changed meanwhile. Reload the page and look again.");
    const id = await writeAnswer(tx, { threadId, author, html, creditName: s.authorName });
    await tx
      .update(forumSuggestions)
      .set({ status: "posted", postedAnswerId: id, decidedById: actor.id, decidedAt: sql`now()` })
      .where(eq(forumSuggestions.id, s.id));
    return id;
  });
  return { posted: true, answerId };
}

export async function dismissSuggestion(db: Db, actor: Actor, threadId: number, suggestionId: number): Promise<void> {
  if (!isRowId(threadId)) throw new NotFoundError();
  if (!(await canAnswerPublicly(db, actor.id, threadId))) refuse();
  await db.transaction(async (tx) => {
    const s = await openSuggestion(tx, suggestionId, threadId);
    await tx
      .update(forumSuggestions)
      .set({ status: "dismissed", decidedById: actor.id, decidedAt: sql`now()` })
      .where(eq(forumSuggestions.id, s.id));
  });
}
