import { eq, inArray } from "drizzle-orm";
import { href } from "react-router";
import type { Tx } from "#db/client.server.ts";
import { anonymousAskers, campaigns, companyValues, ideas, kudos, kudosReceivers, posts, users } from "#db/schema/index.ts";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { campaignUrl, ideaUrl } from "#app/features/ideas/idea-url.ts";
import { STATUS_LABELS, type IdeaStatus } from "#app/features/ideas/schemas.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { emitWhenWanted } from "./emit.server.ts";
import type { EventPerson, EventQuestion } from "./events.ts";

/**
 * The data of each event (events.ts), read inside the write's transaction, and the one call each
 * write path makes (`// issue 21: webhook event`). Each call first asks whether any endpoint or
 * chat connection takes the event (one small query) and reads titles and names only when one does.
 * Links are absolute (APP_URL); an anonymous question's author is null; text is the writer's
 * markdown, cut to an excerpt, never HTML.
 */

const EXCERPT_LENGTH = 280;

/** The first 280 characters of a text, on one line. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH - 1).trimEnd()}…` : flat;
}

async function people(tx: Tx, ids: number[]): Promise<Map<number, EventPerson>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, url: appUrl(href("/people/:userId", { userId: String(r.id) })) }]));
}

async function person(tx: Tx, id: number): Promise<EventPerson> {
  const found = (await people(tx, [id])).get(id);
  if (!found) throw new Error(`webhook event: no user ${id}`);
  return found;
}

/** A question as events describe it (exported for the chat sweep's `question.unanswered`). */
export async function eventQuestion(tx: Tx, questionId: number): Promise<EventQuestion & { body: string }> {
  const [row] = await tx
    .select({ id: posts.id, title: posts.title, body: posts.body, tags: posts.tags, authorId: posts.authorId, createdAt: posts.createdAt, anonymous: anonymousAskers.questionId })
    .from(posts)
    .leftJoin(anonymousAskers, eq(anonymousAskers.questionId, posts.id))
    .where(eq(posts.id, questionId));
  if (!row) throw new Error(`webhook event: no question ${questionId}`);
  // An anonymous question's author is the space's stand-in: receivers get no one.
  const author = row.anonymous === null ? await person(tx, row.authorId) : null;
  return {
    id: row.id,
    title: row.title ?? "",
    url: appUrl(questionUrl({ id: row.id, title: row.title })),
    tags: row.tags,
    author,
    createdAt: row.createdAt.toISOString(),
    body: row.body,
  };
}

function withoutBody({ body: _body, ...question }: EventQuestion & { body: string }): EventQuestion {
  return question;
}

export async function emitQuestionCreated(tx: Tx, q: { questionId: number; spaceId: number }): Promise<void> {
  await emitWhenWanted(tx, "question.created", q.spaceId, async () => {
    const question = await eventQuestion(tx, q.questionId);
    return { question: withoutBody(question), excerpt: excerpt(question.body) };
  });
}

async function eventAnswer(tx: Tx, answerId: number, question: EventQuestion) {
  const [row] = await tx.select({ id: posts.id, body: posts.body, authorId: posts.authorId }).from(posts).where(eq(posts.id, answerId));
  if (!row) throw new Error(`webhook event: no answer ${answerId}`);
  const url = appUrl(questionUrl({ id: question.id, title: question.title }, `answer-${row.id}`));
  return { id: row.id, url, author: await person(tx, row.authorId), body: row.body };
}

export async function emitAnswerCreated(tx: Tx, a: { answerId: number; questionId: number; spaceId: number }): Promise<void> {
  await emitWhenWanted(tx, "answer.created", a.spaceId, async () => {
    const question = withoutBody(await eventQuestion(tx, a.questionId));
    const { body, ...answer } = await eventAnswer(tx, a.answerId, question);
    return { question, answer: { ...answer, excerpt: excerpt(body) } };
  });
}

export async function emitAnswerAccepted(tx: Tx, a: { answerId: number; questionId: number; spaceId: number }): Promise<void> {
  await emitWhenWanted(tx, "answer.accepted", a.spaceId, async () => {
    const question = withoutBody(await eventQuestion(tx, a.questionId));
    const { body: _body, ...answer } = await eventAnswer(tx, a.answerId, question);
    return { question, answer };
  });
}

async function eventIdea(tx: Tx, ideaId: number) {
  const [row] = await tx
    .select({ id: ideas.id, title: ideas.title, body: ideas.body, authorId: ideas.authorId, campaignId: campaigns.id, campaignTitle: campaigns.title })
    .from(ideas)
    .innerJoin(campaigns, eq(campaigns.id, ideas.campaignId))
    .where(eq(ideas.id, ideaId));
  if (!row) throw new Error(`webhook event: no idea ${ideaId}`);
  return {
    idea: { id: row.id, title: row.title, url: appUrl(ideaUrl(row)), campaign: { id: row.campaignId, title: row.campaignTitle, url: appUrl(campaignUrl({ id: row.campaignId })) } },
    authorId: row.authorId,
    body: row.body,
  };
}

export async function emitIdeaCreated(tx: Tx, i: { ideaId: number; spaceId: number }): Promise<void> {
  await emitWhenWanted(tx, "idea.created", i.spaceId, async () => {
    const { idea, authorId, body } = await eventIdea(tx, i.ideaId);
    return { idea: { ...idea, author: await person(tx, authorId), excerpt: excerpt(body) } };
  });
}

export async function emitIdeaStatusChanged(tx: Tx, i: { ideaId: number; spaceId: number; from: IdeaStatus; to: IdeaStatus; actorId: number }): Promise<void> {
  await emitWhenWanted(tx, "idea.status_changed", i.spaceId, async () => {
    const { idea } = await eventIdea(tx, i.ideaId);
    return { idea, from: i.from, to: i.to, toLabel: STATUS_LABELS[i.to], changedBy: await person(tx, i.actorId) };
  });
}

/** Kudos given in public: a private kudos is seen only by the people it concerns, so it is never sent anywhere. */
export async function emitKudosGiven(tx: Tx, k: { kudosId: number; spaceId: number; private: boolean }): Promise<void> {
  if (k.private) return;
  await emitWhenWanted(tx, "kudos.given", k.spaceId, async () => {
    const [row] = await tx
      .select({ id: kudos.id, message: kudos.message, pointsEach: kudos.pointsEach, giverId: kudos.giverId, value: companyValues.name })
      .from(kudos)
      .leftJoin(companyValues, eq(companyValues.id, kudos.valueId))
      .where(eq(kudos.id, k.kudosId));
    if (!row) return null;
    const receiverIds = (await tx.select({ userId: kudosReceivers.userId }).from(kudosReceivers).where(eq(kudosReceivers.kudosId, row.id)).orderBy(kudosReceivers.userId)).map(
      (r) => r.userId,
    );
    const named = await people(tx, [row.giverId, ...receiverIds]);
    return {
      kudos: { id: row.id, url: appUrl(href("/kudos/:kudosId", { kudosId: String(row.id) })), message: row.message, value: row.value, points: row.pointsEach },
      from: named.get(row.giverId)!,
      to: receiverIds.map((id) => named.get(id)!),
    };
  });
}
