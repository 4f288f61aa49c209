import { and, eq, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db, Tx } from "#db/client.server.ts";
import { spaceMembers, spaces, type users } from "#db/schema/index.ts";
import { NotFoundError } from "#app/lib/errors.ts";

/**
 * THE one place that decides who may see and do what in a space.
 *
 * Every piece of content lives in a space, and every later feature (questions, ideas, wiki,
 * search filters) MUST go through this module: in SQL with `visibleSpacesCondition` (queries
 * that join `spaces`) or `inVisibleSpace` (queries that only hold a `space_id`), and for one
 * item with `spaceBySlugForActor` / `canSeeSpace`. Never re-derive the rules elsewhere.
 *
 * The rules: open spaces are visible to every active employee; restricted spaces to their
 * members; admins see every space; customers and deactivated accounts see none. Something the
 * actor may not see answers exactly like something that does not exist: a 404.
 */

export type Actor = Pick<typeof users.$inferSelect, "id" | "role" | "kind" | "deactivatedAt">;
export type Space = typeof spaces.$inferSelect;
export type SpaceRole = (typeof spaceMembers.$inferSelect)["role"];
/** The actor's membership row in a space, or null when they are not a member. */
export type Membership = { role: SpaceRole } | null;

/** Active employees take part in spaces; customers and deactivated accounts never do. */
function isActiveEmployee(actor: Actor): boolean {
  return actor.kind === "employee" && !actor.deactivatedAt;
}

export function canSeeSpace(actor: Actor, space: Pick<Space, "visibility">, membership: Membership): boolean {
  if (!isActiveEmployee(actor)) return false;
  if (actor.role === "admin") return true;
  return space.visibility === "open" || membership !== null;
}

/** Who may edit a space's members (and, for admins, its details): admins and the space's moderators. */
export function canManageSpace(actor: Actor, space: Pick<Space, "visibility">, membership: Membership): boolean {
  if (!canSeeSpace(actor, space, membership)) return false;
  return actor.role === "admin" || membership?.role === "moderator";
}

/** Only admins create spaces, rename them or change their visibility. */
export function canAdministerSpaces(actor: Actor): boolean {
  return isActiveEmployee(actor) && actor.role === "admin";
}

/**
 * A condition on the `spaces` table that keeps only the spaces `actor` may see. Use it in any
 * query that selects from or joins `spaces`.
 */
export function visibleSpacesCondition(actor: Actor): SQL {
  if (!isActiveEmployee(actor)) return sql`false`;
  if (actor.role === "admin") return sql`true`;
  return sql`(${spaces.visibility} = 'open' or exists (select 1 from ${spaceMembers} where ${spaceMembers.spaceId} = ${spaces.id} and ${spaceMembers.userId} = ${actor.id}))`;
}

/**
 * A condition on any `space_id` column (a question's, an idea's...) that keeps only rows in
 * spaces `actor` may see, without joining `spaces` in the outer query.
 */
export function inVisibleSpace(actor: Actor, spaceIdColumn: AnyPgColumn | SQL): SQL {
  if (!isActiveEmployee(actor)) return sql`false`;
  if (actor.role === "admin") return sql`true`;
  return sql`${spaceIdColumn} in (select ${spaces.id} from ${spaces} where ${visibleSpacesCondition(actor)})`;
}

/**
 * The ids of the spaces `actor` may see right now, in order: for filtering what is counted once
 * for all readers, and as the key of what readers who see the same spaces share. One query.
 */
export async function visibleSpaceIds(db: Db | Tx, actor: Actor): Promise<number[]> {
  const rows = await db.select({ id: spaces.id }).from(spaces).where(visibleSpacesCondition(actor)).orderBy(spaces.id);
  return rows.map((r) => r.id);
}

/**
 * A condition on a `space_id` that keeps only what every active employee may see: open spaces.
 * For things built once for all readers (a person's search document), which therefore may hold
 * nothing a restricted space knows.
 */
export function inOpenSpace(spaceId: AnyPgColumn | SQL): SQL {
  return sql`${spaceId} in (select ${spaces.id} from ${spaces} where ${spaces.visibility} = 'open')`;
}

/** The 404 every hidden or missing space answers with; identical in both cases on purpose. */
export function spaceNotFound(): never {
  throw new NotFoundError();
}

/**
 * The space with this slug and the actor's membership in it, or a thrown 404 (the same answer
 * for "no such space" and "not allowed to see it"). One query.
 */
export async function spaceBySlugForActor(db: Db | Tx, actor: Actor, slug: string): Promise<{ space: Space; membership: Membership }> {
  if (!isActiveEmployee(actor) || slug.length > 100) spaceNotFound();
  const [row] = await db
    .select({ space: spaces, role: spaceMembers.role })
    .from(spaces)
    .leftJoin(spaceMembers, and(eq(spaceMembers.spaceId, spaces.id), eq(spaceMembers.userId, actor.id)))
    .where(and(eq(spaces.slug, slug), visibleSpacesCondition(actor)))
    .limit(1);
  if (!row) spaceNotFound();
  const membership: Membership = row.role ? { role: row.role } : null;
  // The SQL condition already filtered; the same rule in code guards against a drift between the two.
  if (!canSeeSpace(actor, row.space, membership)) spaceNotFound();
  return { space: row.space, membership };
}

/**
 * A space by id with the actor's membership, its row locked for the rest of the transaction, for
 * changes whose permission is decided inside it (members, settings, the answer deadline): the 404
 * of a missing space when the actor can't see it. What they may change is the caller's rule.
 */
export async function lockSpaceForActor(tx: Tx, actor: Actor, spaceId: number): Promise<{ space: Space; membership: Membership }> {
  const [row] = await tx
    .select({ space: spaces, role: spaceMembers.role })
    .from(spaces)
    .leftJoin(spaceMembers, and(eq(spaceMembers.spaceId, spaces.id), eq(spaceMembers.userId, actor.id)))
    .where(and(eq(spaces.id, spaceId), visibleSpacesCondition(actor)))
    .for("update", { of: spaces });
  if (!row) spaceNotFound();
  return { space: row.space, membership: row.role ? { role: row.role } : null };
}

/**
 * The same rule from the other side, for statements over many people at once (who may be
 * notified about something in a space): a condition on a row `u` of `users` and a row `s` of
 * `spaces`, both already in the query under those aliases.
 */
export const userSeesSpaceSql: SQL = sql.raw(
  `(u.kind = 'employee' and u.deactivated_at is null and (u.role = 'admin' or s.visibility = 'open' or exists (select 1 from space_members vm where vm.space_id = s.id and vm.user_id = u.id)))`,
);
