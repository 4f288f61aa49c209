import { and, eq, exists, inArray, isNotNull, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { follows, spaceTags, tags, users } from "#db/schema/index.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import { notify } from "./notify.server.ts";
import { kindDefinition, type ItemAccess, loadItem } from "./registry.server.ts";

/**
 * Following items (a question, an idea) and tags: one table, one route shape
 * (`POST /items/:itemId/follow` or `/tags/:name/follow` with `intent=follow|unfollow`, see follow-route.server.ts). Authors,
 * answerers and commenters follow from their first write; anyone who may see a thing can follow
 * it. Following an item brings its answers, comments and changes to the inbox; following a tag
 * brings its new questions; following a person (`POST /people/:userId/follow`) brings the articles
 * they publish.
 */

export type FollowTarget = { itemId: number } | { tagName: string } | { personId: number };

/** A tag exists for someone when it is used in a space they may see; otherwise a 404, as for a missing tag. */
async function visibleTagId(db: Db | Tx, actor: Actor, name: string): Promise<number> {
  if (name.length === 0 || name.length > 100) throw new NotFoundError();
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
  if (!row) throw new NotFoundError();
  return row.id;
}

/**
 * A person can be followed by any active employee who may see their profile (an employee whose
 * address is proven); anyone else is a 404, as a missing profile is. Nobody follows themselves.
 */
async function followablePersonId(db: Db | Tx, actor: Actor, personId: number): Promise<number> {
  if (actor.kind !== "employee" || actor.deactivatedAt || !isRowId(personId)) throw new NotFoundError();
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, personId), eq(users.kind, "employee"), isNotNull(users.emailVerifiedAt)));
  if (!row) throw new NotFoundError();
  if (row.id === actor.id) throw new ForbiddenError("You can't follow yourself: your own articles are on your profile.");
  return row.id;
}

async function resolveTarget(db: Db, actor: Actor, target: FollowTarget): Promise<{ itemId: number } | { tagId: number } | { personId: number }> {
  if ("tagName" in target) return { tagId: await visibleTagId(db, actor, target.tagName) };
  if ("personId" in target) return { personId: await followablePersonId(db, actor, target.personId) };
  const access = await loadItem(db, actor, target.itemId);
  if (!kindDefinition(access.kind).features.follows) throw new ForbiddenError(`A ${access.kind} can't be followed; follow its page instead.`);
  return { itemId: access.itemId };
}

/** Follows or unfollows; following twice or unfollowing what one doesn't follow changes nothing. */
export async function setFollowing(db: Db, actor: Actor, target: FollowTarget, following: boolean): Promise<{ following: boolean }> {
  const resolved = await resolveTarget(db, actor, target);
  if (following) {
    await db
      .insert(follows)
      .values({ userId: actor.id, ...resolved })
      .onConflictDoNothing();
  } else {
    const on = "itemId" in resolved ? eq(follows.itemId, resolved.itemId) : "tagId" in resolved ? eq(follows.tagId, resolved.tagId) : eq(follows.personId, resolved.personId);
    await db.delete(follows).where(and(eq(follows.userId, actor.id), on));
  }
  return { following };
}

/** The writer of something follows its page from then on (an asker, an answerer, a commenter), inside their write. */
export async function followInTx(tx: Tx, userId: number, itemId: number): Promise<void> {
  await tx.insert(follows).values({ userId, itemId }).onConflictDoNothing();
}

/** People following an item. */
export async function itemFollowers(tx: Db | Tx, itemId: number): Promise<number[]> {
  const rows = await tx.select({ userId: follows.userId }).from(follows).where(eq(follows.itemId, itemId));
  return rows.map((r) => r.userId);
}

/** People following a person (their published articles reach them). */
export async function personFollowers(tx: Db | Tx, personId: number): Promise<number[]> {
  const rows = await tx.select({ userId: follows.userId }).from(follows).where(eq(follows.personId, personId));
  return rows.map((r) => r.userId);
}

/** Whether `actorId` follows the person `personId`. */
export async function followsPerson(db: Db | Tx, actorId: number, personId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: follows.id })
    .from(follows)
    .where(and(eq(follows.userId, actorId), eq(follows.personId, personId)))
    .limit(1);
  return Boolean(row);
}

/**
 * Whether someone follows an item and/or a tag, for a page that has already checked they may see
 * it. One query.
 */
export async function followState(db: Db | Tx, actorId: number, target: { itemId?: number; tagName?: string }): Promise<{ item: boolean; tag: boolean }> {
  const item =
    target.itemId === undefined ? sql<boolean>`false` : sql<boolean>`exists (select 1 from ${follows} where ${follows.userId} = ${actorId} and ${follows.itemId} = ${target.itemId})`;
  const tag =
    target.tagName === undefined
      ? sql<boolean>`false`
      : sql<boolean>`exists (select 1 from ${follows} join ${tags} on ${tags.id} = ${follows.tagId} where ${follows.userId} = ${actorId} and ${tags.name} = ${target.tagName})`;
  const [row] = await db.execute<{ item: boolean; tag: boolean }>(sql`select ${item} as item, ${tag} as tag`);
  return { item: Boolean(row?.item), tag: Boolean(row?.tag) };
}

/**
 * Notifies (kind "tag_question") the followers of any of a new question's tags, once each, and
 * only those who may see its space (`notify` checks). `except`: people already notified about
 * this question in the same write (mentioned in it).
 */
export async function notifyTagFollowers(tx: Tx, input: { actorId: number; spaceId: number; itemId: number; tagIds: number[]; except?: ReadonlySet<number> }): Promise<number> {
  if (input.tagIds.length === 0) return 0;
  const rows = await tx.selectDistinct({ userId: follows.userId }).from(follows).where(inArray(follows.tagId, input.tagIds));
  const recipients = rows.map((r) => r.userId).filter((id) => !input.except?.has(id));
  return notify(tx, recipients, { kind: "tag_question", actorId: input.actorId, spaceId: input.spaceId, itemId: input.itemId });
}

export type { ItemAccess };
