import { and, asc, count, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "#db/client.server.ts";
import { anonymousBreakGlass, anonymousRelayMessages, posts, users } from "#db/schema/index.ts";
import { loadQuestion } from "#app/features/qa/access.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { notify } from "#app/features/social/notify.server.ts";
import { type Actor, canManageSpace } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, NotFoundError } from "#app/lib/errors.ts";
import { anonymousAskerOf } from "./askers.server.ts";
import type { BreakGlassInput, RelayInput } from "./schemas.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";

/**
 * What a space's moderators (and admins) can do about an anonymous question: write to the asker
 * through a relay, which never tells them who it reached, and, for abuse only, a break-glass that
 * shows them who asked once, logged with a written reason that the asker reads afterwards and
 * that admins see on the moderation page. Everything here reads the asker only to notify them,
 * except `breakGlass`, whose answer is the identity.
 */

export type RelayMessage = { id: number; body: string; createdAt: Date; sender: { id: number; name: string } };
export type BreakGlassRecord = { id: number; reason: string; createdAt: Date; moderator: { id: number; name: string } };

type AnonymousQuestion = { id: number; itemId: number; title: string; url: string; spaceId: number; deleted: boolean };

/**
 * The anonymous question for someone who may reach its asker: a 404 as for a missing question when
 * they may not see it or it was not asked anonymously; a 403 for anyone but the space's moderators
 * and admins (site moderators are not enough: this is the space's own trust). Deleted questions
 * too, as abuse is often deleted first. The asker's id stays in this module.
 */
async function moderatedQuestion(db: Db | Tx, actor: Actor, questionId: number, what: string): Promise<{ question: AnonymousQuestion; askerId: number }> {
  const { post, space, membership } = await loadQuestion(db, actor, questionId, { allowDeleted: true });
  const askerId = await anonymousAskerOf(db, post.id);
  if (askerId === null) throw new NotFoundError();
  if (!canManageSpace(actor, space, membership)) throw new ForbiddenError(`Only the moderators of ${space.name} and admins can ${what}.`);
  const title = post.title ?? "";
  return { question: { id: post.id, itemId: post.itemId, title, url: questionUrl({ id: post.id, title }), spaceId: post.spaceId, deleted: post.deletedAt !== null }, askerId };
}

const sender = alias(users, "sender");
const moderator = alias(users, "moderator");

/** Rows that name their question, grouped by it, each group in the rows' order. */
function byQuestion<Row extends { questionId: number }>(rows: Row[]): Map<number, Array<Omit<Row, "questionId">>> {
  const grouped = new Map<number, Array<Omit<Row, "questionId">>>();
  for (const { questionId, ...rest } of rows) {
    const group = grouped.get(questionId);
    if (group) group.push(rest);
    else grouped.set(questionId, [rest]);
  }
  return grouped;
}

/** Relay messages on these questions, oldest first. */
export async function relayMessagesOn(db: Db | Tx, questionIds: number[]): Promise<Map<number, RelayMessage[]>> {
  if (questionIds.length === 0) return new Map();
  const rows = await db
    .select({
      id: anonymousRelayMessages.id,
      questionId: anonymousRelayMessages.questionId,
      body: anonymousRelayMessages.body,
      createdAt: anonymousRelayMessages.createdAt,
      sender: { id: sender.id, name: sender.name },
    })
    .from(anonymousRelayMessages)
    .innerJoin(sender, eq(sender.id, anonymousRelayMessages.senderId))
    .where(inArray(anonymousRelayMessages.questionId, questionIds))
    .orderBy(asc(anonymousRelayMessages.createdAt), asc(anonymousRelayMessages.id));
  return byQuestion(rows);
}

/** Break-glass records on these questions, oldest first. */
export async function breakGlassOn(db: Db | Tx, questionIds: number[]): Promise<Map<number, BreakGlassRecord[]>> {
  if (questionIds.length === 0) return new Map();
  const rows = await db
    .select({
      id: anonymousBreakGlass.id,
      questionId: anonymousBreakGlass.questionId,
      reason: anonymousBreakGlass.reason,
      createdAt: anonymousBreakGlass.createdAt,
      moderator: { id: moderator.id, name: moderator.name },
    })
    .from(anonymousBreakGlass)
    .innerJoin(moderator, eq(moderator.id, anonymousBreakGlass.moderatorId))
    .where(inArray(anonymousBreakGlass.questionId, questionIds))
    .orderBy(asc(anonymousBreakGlass.createdAt), asc(anonymousBreakGlass.id));
  return byQuestion(rows);
}

/** The relay form's page: the question and the messages its moderators already sent. */
export async function relayPage(db: Db, actor: Actor, questionId: number) {
  const { question } = await moderatedQuestion(db, actor, questionId, "message the asker");
  const messages = await relayMessagesOn(db, [question.id]);
  return { question, messages: messages.get(question.id) ?? [] };
}

/**
 * Sends a message to the asker: stored, and delivered as a "relay" notification when they may
 * still see the space. The answer is the same whether it reached anyone or not. The same text
 * sent again by the same moderator within a few minutes is the same message (a double submit).
 */
export async function sendRelayMessage(db: Db, actor: Actor, questionId: number, input: RelayInput): Promise<{ id: number }> {
  return db.transaction(async (tx) => {
    const { question, askerId } = await moderatedQuestion(tx, actor, questionId, "message the asker");
    const [same] = await tx
      .select({ id: anonymousRelayMessages.id })
      .from(anonymousRelayMessages)
      .where(
        and(
          eq(anonymousRelayMessages.questionId, question.id),
          eq(anonymousRelayMessages.senderId, actor.id),
          eq(anonymousRelayMessages.body, input.body),
          gt(anonymousRelayMessages.createdAt, sql`now() - interval '10 minutes'`),
        ),
      )
      .limit(1);
    if (same) return { id: same.id };
    const [message] = await tx.insert(anonymousRelayMessages).values({ questionId: question.id, senderId: actor.id, body: input.body }).returning({ id: anonymousRelayMessages.id });
    await notify(tx, [askerId], { kind: "relay", actorId: actor.id, spaceId: question.spaceId, itemId: question.itemId });
    return { id: message!.id };
  });
}

/** The break-glass form's page: the question and every earlier look-up on it (who, when, why). */
export async function breakGlassPage(db: Db, actor: Actor, questionId: number) {
  const { question } = await moderatedQuestion(db, actor, questionId, "look up who asked");
  const records = await breakGlassOn(db, [question.id]);
  return { question, records: records.get(question.id) ?? [] };
}

export type RevealedAsker = { id: number; name: string; email: string; title: string; department: string; active: boolean };

/**
 * The break-glass: logs who looked, when and why, tells the asker (a "relay" notification; the
 * record is on their page of anonymous questions), and answers who asked. One transaction: no
 * identity without its record.
 */
export async function breakGlass(db: Db, actor: Actor, questionId: number, input: BreakGlassInput): Promise<{ question: AnonymousQuestion; asker: RevealedAsker }> {
  return db.transaction(async (tx) => {
    const { question, askerId } = await moderatedQuestion(tx, actor, questionId, "look up who asked");
    await tx.insert(anonymousBreakGlass).values({ questionId: question.id, moderatorId: actor.id, reason: input.reason });
    // Never the asker as the subject: admins read the log, and they must not learn who asked
    // (docs/anonymous-questions.md). The asker finds it through their own questions (auditAboutMe).
    const details = { reason: input.reason };
    await recordAudit(tx, { actorId: actor.id, action: "anonymous.asker_revealed", target: { type: "question", id: question.itemId }, spaceId: question.spaceId, details });
    await notify(tx, [askerId], { kind: "relay", actorId: actor.id, spaceId: question.spaceId, itemId: question.itemId });
    const [asker] = await tx
      .select({
        id: users.id,
        name: users.name,
        email: users.email,
        title: users.title,
        department: users.department,
        active: sql<boolean>`${users.deactivatedAt} is null`,
      })
      .from(users)
      .where(eq(users.id, askerId));
    if (!asker) throw new NotFoundError();
    return { question, asker };
  });
}

export const BREAK_GLASS_LOG_PAGE = 20;

export type BreakGlassLogEntry = BreakGlassRecord & { question: { id: number; title: string; url: string; deleted: boolean } };

/**
 * Every break-glass, newest first, for admins (on the moderation page): who looked, when, why and
 * on which question; never whom they found. Anyone else: a 404. Two queries.
 */
export async function breakGlassLog(db: Db, actor: Actor, page = 1): Promise<{ entries: BreakGlassLogEntry[]; total: number; offset: number; pageSize: number }> {
  if (actor.kind !== "employee" || actor.deactivatedAt || actor.role !== "admin") throw new NotFoundError();
  // A bad page number in the link is no error: the first page.
  const offset = ((Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1) - 1) * BREAK_GLASS_LOG_PAGE;
  const [rows, [counted]] = await Promise.all([
    db
      .select({
        id: anonymousBreakGlass.id,
        reason: anonymousBreakGlass.reason,
        createdAt: anonymousBreakGlass.createdAt,
        moderator: { id: moderator.id, name: moderator.name },
        question: { id: posts.id, title: posts.title, deletedAt: posts.deletedAt },
      })
      .from(anonymousBreakGlass)
      .innerJoin(moderator, eq(moderator.id, anonymousBreakGlass.moderatorId))
      .innerJoin(posts, eq(posts.id, anonymousBreakGlass.questionId))
      .orderBy(desc(anonymousBreakGlass.createdAt), desc(anonymousBreakGlass.id))
      .limit(BREAK_GLASS_LOG_PAGE)
      .offset(offset),
    db.select({ n: count() }).from(anonymousBreakGlass),
  ]);
  return {
    entries: rows.map(({ question: q, ...entry }) => {
      const title = q.title ?? "";
      return { ...entry, question: { id: q.id, title, url: questionUrl({ id: q.id, title }), deleted: q.deletedAt !== null } };
    }),
    total: counted?.n ?? 0,
    offset,
    pageSize: BREAK_GLASS_LOG_PAGE,
  };
}
