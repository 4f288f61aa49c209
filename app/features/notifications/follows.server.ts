import { and, eq, exists, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { questionFollows, spaceTags, tagFollows, tags } from "#db/schema/index.ts";
import { loadQuestion, postNotFound } from "#app/features/qa/access.server.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { notify } from "./notify.server.ts";

/**
 * Following questions and tags. Askers and answerers follow their questions from the start (see
 * app/features/qa/posts.server.ts); anyone who may see a question or a tag can follow it. Following
 * a question brings its answers and comments to the inbox; following a tag brings its new questions.
 */

export async function followQuestion(db: Db, actor: Actor, questionId: number): Promise<{ following: true }> {
  await loadQuestion(db, actor, questionId);
  await db.insert(questionFollows).values({ userId: actor.id, postId: questionId }).onConflictDoNothing();
  return { following: true };
}

export async function unfollowQuestion(db: Db, actor: Actor, questionId: number): Promise<{ following: false }> {
  await loadQuestion(db, actor, questionId);
  await db.delete(questionFollows).where(and(eq(questionFollows.userId, actor.id), eq(questionFollows.postId, questionId)));
  return { following: false };
}

/** A tag exists for someone when it is used in a space they may see; otherwise a 404, as for a missing tag. */
async function visibleTagId(db: Db | Tx, actor: Actor, name: string): Promise<number> {
  if (name.length === 0 || name.length > 100) postNotFound();
  const [row] = await db
    .select({ id: tags.id })
    .from(tags)
    .where(
      and(
        eq(tags.name, name),
        exists(
          db
            .select({ one: sql`1` })
            .from(spaceTags)
            .where(and(eq(spaceTags.tagId, tags.id), inVisibleSpace(actor, spaceTags.spaceId))),
        ),
      ),
    )
    .limit(1);
  if (!row) postNotFound();
  return row.id;
}

export async function followTag(db: Db, actor: Actor, tagName: string): Promise<{ following: true }> {
  const tagId = await visibleTagId(db, actor, tagName);
  await db.insert(tagFollows).values({ userId: actor.id, tagId }).onConflictDoNothing();
  return { following: true };
}

export async function unfollowTag(db: Db, actor: Actor, tagName: string): Promise<{ following: false }> {
  const tagId = await visibleTagId(db, actor, tagName);
  await db.delete(tagFollows).where(and(eq(tagFollows.userId, actor.id), eq(tagFollows.tagId, tagId)));
  return { following: false };
}

/**
 * Whether someone follows a question and/or a tag, for a page that has already checked they may
 * see it. One query.
 */
export async function followState(db: Db | Tx, actorId: number, target: { questionId?: number; tagName?: string }): Promise<{ question: boolean; tag: boolean }> {
  const question =
    target.questionId === undefined
      ? sql<boolean>`false`
      : sql<boolean>`exists (select 1 from ${questionFollows} where ${questionFollows.userId} = ${actorId} and ${questionFollows.postId} = ${target.questionId})`;
  const tag =
    target.tagName === undefined
      ? sql<boolean>`false`
      : sql<boolean>`exists (select 1 from ${tagFollows} join ${tags} on ${tags.id} = ${tagFollows.tagId} where ${tagFollows.userId} = ${actorId} and ${tags.name} = ${target.tagName})`;
  const [row] = await db.execute<{ question: boolean; tag: boolean }>(sql`select ${question} as question, ${tag} as tag`);
  return { question: Boolean(row?.question), tag: Boolean(row?.tag) };
}

/**
 * Notifies (kind "tag_question") the followers of any of a new question's tags, once each, and
 * only those who may see its space (`notify` checks). `except`: people already notified about
 * this question in the same write (mentioned in it).
 */
export async function notifyTagFollowers(
  tx: Tx,
  input: { actorId: number; spaceId: number; questionId: number; tagIds: number[]; except?: ReadonlySet<number> },
): Promise<number> {
  if (input.tagIds.length === 0) return 0;
  const rows = await tx.selectDistinct({ userId: tagFollows.userId }).from(tagFollows).where(inArray(tagFollows.tagId, input.tagIds));
  const recipients = rows.map((r) => r.userId).filter((id) => !input.except?.has(id));
  return notify(tx, recipients, { kind: "tag_question", actorId: input.actorId, spaceId: input.spaceId, questionId: input.questionId, postId: input.questionId });
}
