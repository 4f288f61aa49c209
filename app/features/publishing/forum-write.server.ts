import { and, asc, eq, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { forumAnswers, forumThreads, publicationConsents, publicationParts, publications, users } from "#db/schema/index.ts";
import { notify } from "#app/features/social/notify.server.ts";
import { env } from "#app/lib/env.server.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import type { Publication } from "./access.server.ts";
import { genericAuthorName, partBodyField } from "./rules.ts";
import { addEvent } from "./snapshot.server.ts";
import { threadSlug } from "./urls.ts";

/**
 * The only code that writes the forum's published tables. What goes there is what people decided
 * on and nothing else: HTML rendered from the approved markdown by the one markdown module, the
 * names and titles the authors agreed to (or "A Northwind engineer"), dates, tags. No internal
 * ids, addresses or space names. Each write also queues the forum's search document and tells the
 * forum process (NOTIFY commons_forum, delivered at commit) to drop its cached pages.
 */

/** The channel the forum process LISTENs on; the payload is the thread's id. */
export const FORUM_CHANNEL = "commons_forum";

const SUMMARY_MAX = 200;

async function forumChanged(tx: Tx, threadId: number): Promise<void> {
  await enqueueIndexing(tx, "forum_thread", [threadId]);
  await tx.execute(sql`select pg_notify(${FORUM_CHANNEL}, ${String(threadId)})`);
}

/** The first words of sanitized HTML as plain text: the forum's descriptions, OpenGraph and feeds. */
export function plainSummary(html: string, max = SUMMARY_MAX): string {
  const text = html
    .replace(/<(?:annotation)[^>]*>[\s\S]*?<\/annotation>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

type Display = { authorName: string; authorTitle: string; authorNamed: boolean };

/**
 * Publishes an approved draft: a new thread, or, when the question is public already, the same
 * thread updated in place (same id, so the same URL; version + 1; its answers replaced) with the
 * previous publication marked superseded. The caller holds the draft's row lock and has checked
 * the approvals.
 */
export async function publishDraft(tx: Tx, pub: Publication, actorId: number, questionItemId: number): Promise<{ threadId: number }> {
  const [parts, consents] = await Promise.all([
    tx
      .select()
      .from(publicationParts)
      .where(and(eq(publicationParts.publicationId, pub.id), eq(publicationParts.included, true)))
      .orderBy(asc(publicationParts.position)),
    tx
      .select({ userId: publicationConsents.userId, choice: publicationConsents.choice, genericLabel: publicationConsents.genericLabel, name: users.name, title: users.title })
      .from(publicationConsents)
      .innerJoin(users, eq(users.id, publicationConsents.userId))
      .where(eq(publicationConsents.publicationId, pub.id)),
  ]);
  const company = env().COMPANY_NAME;
  const byUser = new Map(consents.map((c) => [c.userId, c]));
  const display = (userId: number): Display | null => {
    const consent = byUser.get(userId);
    if (consent?.choice === "named") return { authorName: consent.name, authorTitle: consent.title, authorNamed: true };
    if (consent?.choice === "generic") return { authorName: genericAuthorName(company, consent.genericLabel), authorTitle: "", authorNamed: false };
    return null;
  };
  const shown = parts.flatMap((part) => {
    const who = display(part.authorId);
    return who ? [{ part, who, html: renderField(part.body, partBodyField(part.id)) }] : [];
  });
  const question = shown.find((s) => s.part.kind === "question");
  // The approval's checks make this unreachable; if they ever drift, nothing half-decided goes out.
  if (!question) throw new Error(`publication ${pub.id}: the question's author has not agreed to publish it`);
  const answers = shown.filter((s) => s.part.kind === "answer");
  const thread = {
    title: pub.title,
    bodyHtml: question.html,
    summary: plainSummary(question.html),
    ...question.who,
    tags: pub.tags,
    answerCount: answers.length,
    solved: answers.some((a) => a.part.accepted),
    askedAt: question.part.writtenAt,
    expiresAt: pub.expiresAt,
    withdrawnAt: null,
  };
  // What is public now, read at publication (not at proposal): it may have been unpublished meanwhile.
  const [current] = await tx
    .select({ id: publications.id, threadId: publications.threadId })
    .from(publications)
    .where(and(eq(publications.questionId, pub.questionId), eq(publications.status, "published")))
    .for("update");
  let threadId: number;
  if (current?.threadId) {
    threadId = current.threadId;
    await tx
      .update(forumThreads)
      .set({ ...thread, updatedAt: sql`now()`, version: sql`${forumThreads.version} + 1` })
      .where(eq(forumThreads.id, threadId));
    await tx.delete(forumAnswers).where(eq(forumAnswers.threadId, threadId));
    await tx
      .update(publications)
      .set({ status: "superseded", updatedAt: sql`now()` })
      .where(eq(publications.id, current.id));
    await addEvent(tx, current.id, actorId, "superseded", "Replaced on the public forum by a republication.");
  } else {
    const [row] = await tx
      .insert(forumThreads)
      .values({ ...thread, slug: threadSlug(pub.title) })
      .returning({ id: forumThreads.id });
    threadId = row!.id;
  }
  if (answers.length > 0) {
    await tx.insert(forumAnswers).values(answers.map((a, i) => ({ threadId, position: i + 1, bodyHtml: a.html, ...a.who, accepted: a.part.accepted, answeredAt: a.part.writtenAt })));
  }
  await tx
    .update(publications)
    .set({ status: "published", threadId, publishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(publications.id, pub.id));
  await addEvent(tx, pub.id, actorId, "published", current?.threadId ? "Republished: the public thread now shows this version." : "Published on the public forum.");
  await forumChanged(tx, threadId);
  const audience = [pub.proposerId, ...new Set(shown.map((s) => s.part.authorId))];
  await notify(tx, audience, { kind: "publication", actorId, spaceId: pub.spaceId, itemId: questionItemId });
  return { threadId };
}

/**
 * Takes a publication off the forum at once: the thread is marked withdrawn (the forum answers
 * 410), its text and answers are deleted in the same transaction, its search document goes, and
 * the forum drops its cached pages. `actorId` null for the expiry job.
 */
export async function withdrawPublication(tx: Tx, pub: Pick<Publication, "id" | "threadId">, actorId: number | null, detail: string): Promise<void> {
  if (pub.threadId !== null) {
    await tx
      .update(forumThreads)
      .set({ withdrawnAt: sql`now()`, bodyHtml: "", summary: "", answerCount: 0 })
      .where(eq(forumThreads.id, pub.threadId));
    await tx.delete(forumAnswers).where(eq(forumAnswers.threadId, pub.threadId));
  }
  await tx
    .update(publications)
    .set({ status: "withdrawn", withdrawnAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(publications.id, pub.id));
  await addEvent(tx, pub.id, actorId, "withdrawn", detail);
  if (pub.threadId !== null) await forumChanged(tx, pub.threadId);
}
