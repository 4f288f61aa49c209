import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { posts, publicationConsents, publicationEvents, publicationFlags, publicationParts, publications, users } from "#db/schema/index.ts";
import { notify } from "#app/features/social/notify.server.ts";
import type { Post } from "#app/features/qa/access.server.ts";
import { scanText } from "./scan.ts";
import { scanContext } from "./terms.server.ts";

/**
 * The draft's own bookkeeping, shared by every write of the workflow: taking the snapshot, asking
 * the authors, scanning the text again, and the timeline.
 */

/** One line of the draft's timeline; `actorId` null for the system (expiry). */
export async function addEvent(tx: Tx, publicationId: number, actorId: number | null, kind: string, detail = ""): Promise<void> {
  await tx.insert(publicationEvents).values({ publicationId, actorId, kind, detail });
}

/**
 * Copies the question and its answers into a new draft: the title, the tag names, the question's
 * markdown, and every answer that is not deleted (the accepted one first, then by score), each
 * included unless its score is negative. Never a live link: later internal edits change nothing here.
 */
export async function takeSnapshot(
  tx: Tx,
  source: Db | Tx,
  actorId: number,
  question: Pick<Post, "id" | "itemId" | "spaceId" | "authorId" | "title" | "tags" | "body" | "createdAt" | "acceptedAnswerId">,
): Promise<number> {
  const answers = await tx
    .select({ id: posts.id, authorId: posts.authorId, body: posts.body, score: posts.score, createdAt: posts.createdAt })
    .from(posts)
    .where(and(eq(posts.parentId, question.id), eq(posts.type, "answer"), isNull(posts.deletedAt)))
    .orderBy(sql`${posts.id} = ${question.acceptedAnswerId ?? 0} desc`, desc(posts.score), asc(posts.createdAt), asc(posts.id));
  // A question published now is republished: the draft replaces that thread in place, and keeps its expiry if it is still ahead.
  const [current] = await tx
    .select({ id: publications.id, threadId: publications.threadId, expiresAt: publications.expiresAt })
    .from(publications)
    .where(and(eq(publications.questionId, question.id), eq(publications.status, "published")))
    .limit(1);
  const [pub] = await tx
    .insert(publications)
    .values({
      questionId: question.id,
      spaceId: question.spaceId,
      proposerId: actorId,
      title: question.title ?? "",
      tags: question.tags,
      threadId: current?.threadId ?? null,
      previousId: current?.id ?? null,
      expiresAt: current?.expiresAt && current.expiresAt > new Date() ? current.expiresAt : null,
    })
    .returning({ id: publications.id });
  const publicationId = pub!.id;
  await tx.insert(publicationParts).values([
    { publicationId, kind: "question", postId: question.id, authorId: question.authorId, body: question.body, included: true, position: 0, writtenAt: question.createdAt },
    ...answers.map((a, i) => ({
      publicationId,
      kind: "answer" as const,
      postId: a.id,
      authorId: a.authorId,
      body: a.body,
      included: a.score >= 0,
      accepted: a.id === question.acceptedAnswerId,
      position: i + 1,
      writtenAt: a.createdAt,
    })),
  ]);
  await addEvent(
    tx,
    publicationId,
    actorId,
    "proposed",
    current ? "Proposed a republication: the public thread is replaced when this draft is published." : "Proposed for the public forum.",
  );
  await syncConsents(tx, { id: publicationId, spaceId: question.spaceId, questionItemId: question.itemId }, actorId);
  const open = await rescan(tx, publicationId, source);
  await addEvent(tx, publicationId, actorId, "scanned", scanSummary(open));
  return publicationId;
}

export function scanSummary(open: number): string {
  if (open === 0) return "The confidentiality scan found nothing to check.";
  return `The confidentiality scan flagged ${open === 1 ? "1 thing" : `${open} things`} to redact or accept.`;
}

/**
 * Makes sure every author whose text is included is asked: a pending consent row for each new
 * one, with a notification. An author whose account is deactivated can't be asked, so their text
 * is left out at once (consent `omit`), with a line on the timeline. Rows of authors whose text
 * is no longer included stay, and count again if it comes back.
 */
export async function syncConsents(tx: Tx, pub: { id: number; spaceId: number; questionItemId: number }, actorId: number): Promise<void> {
  const missing = await tx
    .selectDistinct({ userId: users.id, name: users.name, deactivatedAt: users.deactivatedAt })
    .from(publicationParts)
    .innerJoin(users, eq(users.id, publicationParts.authorId))
    .leftJoin(publicationConsents, and(eq(publicationConsents.publicationId, pub.id), eq(publicationConsents.userId, publicationParts.authorId)))
    .where(and(eq(publicationParts.publicationId, pub.id), eq(publicationParts.included, true), isNull(publicationConsents.userId)));
  if (missing.length === 0) return;
  const now = new Date();
  await tx
    .insert(publicationConsents)
    .values(missing.map((m) => ({ publicationId: pub.id, userId: m.userId, choice: m.deactivatedAt ? ("omit" as const) : ("pending" as const), decidedAt: m.deactivatedAt ? now : null })));
  for (const m of missing.filter((m) => m.deactivatedAt)) {
    await addEvent(tx, pub.id, null, "consented", `${m.name} can't be asked (their account is deactivated), so their text is left out.`);
  }
  await notify(
    tx,
    missing.filter((m) => !m.deactivatedAt).map((m) => m.userId),
    { kind: "publication", actorId, spaceId: pub.spaceId, itemId: pub.questionItemId },
  );
}

/**
 * Scans the draft again: the title and every part that would be published (included, and its
 * author has not chosen to be left out), with the names of authors who chose to be named allowed.
 * Open flags are replaced by the new findings; a finding that matches an accepted flag (same part,
 * detector and text) stays accepted, at its new place; accepted flags whose text is gone are
 * dropped; redacted flags stay as history. Returns how many flags are open.
 *
 * `source` is the handle the scan's context (settings, term lists, every employee's name) is read
 * from: the caller's `Db`, outside the transaction, so the list of names comes from its cache
 * rather than being read again on every save. Who agreed to be named is read here, in the
 * transaction.
 */
export async function rescan(tx: Tx, publicationId: number, source: Db | Tx): Promise<number> {
  const [pub] = await tx.select({ title: publications.title }).from(publications).where(eq(publications.id, publicationId));
  const [parts, consents, accepted] = await Promise.all([
    tx
      .select({ id: publicationParts.id, body: publicationParts.body, authorId: publicationParts.authorId, included: publicationParts.included })
      .from(publicationParts)
      .where(eq(publicationParts.publicationId, publicationId))
      .orderBy(asc(publicationParts.position)),
    tx.select({ userId: publicationConsents.userId, choice: publicationConsents.choice }).from(publicationConsents).where(eq(publicationConsents.publicationId, publicationId)),
    tx
      .select({ id: publicationFlags.id, partId: publicationFlags.partId, detector: publicationFlags.detector, match: publicationFlags.match })
      .from(publicationFlags)
      .where(and(eq(publicationFlags.publicationId, publicationId), eq(publicationFlags.status, "accepted")))
      .orderBy(asc(publicationFlags.id)),
  ]);
  const omitted = new Set(consents.filter((c) => c.choice === "omit").map((c) => c.userId));
  const context = await scanContext(source, { namedUserIds: consents.filter((c) => c.choice === "named").map((c) => c.userId) });
  const texts = [
    { partId: null as number | null, text: pub!.title },
    ...parts.filter((p) => p.included && !omitted.has(p.authorId)).map((p) => ({ partId: p.id as number | null, text: p.body })),
  ];
  const key = (f: { partId: number | null; detector: string; match: string }) => `${f.partId ?? "title"}\u0000${f.detector}\u0000${f.match}`;
  const pool = new Map<string, number[]>();
  for (const flag of accepted) pool.set(key(flag), [...(pool.get(key(flag)) ?? []), flag.id]);
  const fresh: (typeof publicationFlags.$inferInsert)[] = [];
  const moved: { id: number; start: number; end: number }[] = [];
  for (const { partId, text } of texts) {
    for (const finding of scanText(text, context)) {
      const stillAccepted = pool.get(key({ partId, ...finding }))?.shift();
      if (stillAccepted !== undefined) moved.push({ id: stillAccepted, start: finding.start, end: finding.end });
      else fresh.push({ publicationId, partId, detector: finding.detector, match: finding.match, start: finding.start, end: finding.end });
    }
  }
  await tx.delete(publicationFlags).where(and(eq(publicationFlags.publicationId, publicationId), eq(publicationFlags.status, "open")));
  const gone = [...pool.values()].flat();
  if (gone.length > 0) await tx.delete(publicationFlags).where(inArray(publicationFlags.id, gone));
  for (const m of moved) await tx.update(publicationFlags).set({ start: m.start, end: m.end }).where(eq(publicationFlags.id, m.id));
  if (fresh.length > 0) await tx.insert(publicationFlags).values(fresh);
  return fresh.length;
}
