import { and, asc, eq, isNotNull, isNull, ne, or, sql } from "drizzle-orm";
import { isRowId } from "#app/lib/ids.ts";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "#db/client.server.ts";
import { ideas, posts, spaceMembers, spaces, users } from "#db/schema/index.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { type Actor, visibleSpacesCondition } from "#app/features/spaces/visibility.server.ts";
import { handleOf, usersByHandle } from "#app/features/notifications/mentions.server.ts";
import { ProfileSchema, type ProfileInput } from "./profile-schema.ts";

/**
 * People's profiles: who someone is, whom they report to, who reports to them. Profiles are for
 * employees, read by employees; customer accounts have none and answer 404 like a missing one.
 */

function isActiveEmployee(actor: Actor): boolean {
  return actor.kind === "employee" && !actor.deactivatedAt;
}

const personFields = {
  id: users.id,
  name: users.name,
  title: users.title,
  deactivated: sql<boolean>`${users.deactivatedAt} is not null`,
};

/** A profile as `viewer` sees it. Three queries: the person with their manager, their reports, their spaces. */
export async function profileForViewer(db: Db | Tx, viewer: Actor, userId: number) {
  if (!isActiveEmployee(viewer) || !isRowId(userId)) throw new NotFoundError();
  const manager = alias(users, "manager");
  const [row] = await db
    .select({
      user: {
        id: users.id,
        name: users.name,
        title: users.title,
        department: users.department,
        location: users.location,
        bio: users.bio,
        role: users.role,
        createdAt: users.createdAt,
        deactivatedAt: users.deactivatedAt,
      },
      manager: { id: manager.id, name: manager.name, title: manager.title },
    })
    .from(users)
    .leftJoin(manager, eq(manager.id, users.managerId))
    // A pending account (address not proven) has no profile yet.
    .where(and(eq(users.id, userId), eq(users.kind, "employee"), isNotNull(users.emailVerifiedAt)))
    .limit(1);
  if (!row) throw new NotFoundError();
  const [reports, memberOf] = await Promise.all([
    db
      .select(personFields)
      .from(users)
      .where(and(eq(users.managerId, userId), eq(users.kind, "employee")))
      .orderBy(asc(users.name)),
    // Only the spaces the viewer may see: a profile must not reveal a restricted space's name.
    db
      .select({ slug: spaces.slug, name: spaces.name, visibility: spaces.visibility, role: spaceMembers.role })
      .from(spaceMembers)
      .innerJoin(spaces, eq(spaces.id, spaceMembers.spaceId))
      .where(and(eq(spaceMembers.userId, userId), visibleSpacesCondition(viewer)))
      .orderBy(asc(spaces.name)),
  ]);
  return { user: row.user, manager: row.manager?.id ? row.manager : null, reports, spaces: memberOf };
}

/** The actor's manager, direct reports and peers (same manager), for the home page. One query. */
export async function teamOf(db: Db | Tx, actor: Actor & { managerId: number | null }) {
  const related = actor.managerId ? or(eq(users.id, actor.managerId), eq(users.managerId, actor.id), eq(users.managerId, actor.managerId)) : eq(users.managerId, actor.id);
  const rows = await db
    .select({ ...personFields, managerId: users.managerId })
    .from(users)
    .where(and(related, ne(users.id, actor.id), eq(users.kind, "employee"), isNull(users.deactivatedAt)))
    .orderBy(asc(users.name))
    .limit(60);
  return {
    manager: rows.find((r) => r.id === actor.managerId) ?? null,
    reports: rows.filter((r) => r.managerId === actor.id),
    peers: actor.managerId ? rows.filter((r) => r.managerId === actor.managerId) : [],
  };
}

/** The actor's own profile as the edit form shows it, the manager as `@handle` (empty for none). One query. */
export async function ownProfile(db: Db | Tx, actor: Actor) {
  const manager = alias(users, "manager");
  const [row] = await db
    .select({
      name: users.name,
      title: users.title,
      department: users.department,
      location: users.location,
      bio: users.bio,
      managerHandle: sql<string | null>`case when ${manager.id} is null then null else ${handleOf(manager)} end`,
    })
    .from(users)
    .leftJoin(manager, eq(manager.id, users.managerId))
    .where(eq(users.id, actor.id))
    .limit(1);
  if (!row) throw new NotFoundError();
  const { managerHandle, ...fields } = row;
  return { ...fields, manager: managerHandle ? `@${managerHandle}` : "" };
}

/** A typed handle as the resolver reads it: no blank space, no leading @, lower case. */
const bareHandle = (typed: string) => typed.trim().replace(/^@/, "").trim().toLowerCase();

/**
 * The manager the form names, as a user id, or a message on the "Manager" field. Keeping the
 * manager the form showed is no change and passes as is, even if they have left since: saving a
 * bio must not force a new manager. A new one must be an active employee (the shared handle
 * resolver's rule), not the actor, and not someone who already reports to the actor (directly or
 * further down): the org chart stays a tree.
 */
async function chosenManager(tx: Tx, actor: Actor, typed: string): Promise<number> {
  const handle = bareHandle(typed);
  const me = alias(users, "me");
  const current = alias(users, "current");
  const [kept] = await tx
    .select({ id: current.id, handle: handleOf(current) })
    .from(me)
    .innerJoin(current, eq(current.id, me.managerId))
    .where(eq(me.id, actor.id));
  if (kept && kept.handle === handle) return kept.id;

  // Serializes org-chart changes so two people cannot make each other their manager at once.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('commons:org-chart'))`);
  const managerId = (await usersByHandle(tx, [handle])).get(handle);
  // Unknown, deactivated, pending, a customer, or a handle two people share: the same answer, as
  // the other forms that name a colleague give (a customer has no profile to reveal).
  if (managerId === undefined) throw InputError.field("manager", `No one active goes by @${handle.slice(0, 60)}: use a colleague's handle, the part of their email before the @.`);
  if (managerId === actor.id) throw InputError.field("manager", "You can't be your own manager");
  // Walk up from the chosen manager; reaching the actor means the new link would close a loop.
  const chain = await tx.execute<{ id: number }>(sql`
    with recursive chain(id, manager_id) as (
      select ${users.id}, ${users.managerId} from ${users} where ${users.id} = ${managerId}
      union
      select u.id, u.manager_id from ${users} u inner join chain c on u.id = c.manager_id
    )
    select id from chain where id = ${actor.id} limit 1`);
  if (chain.length > 0) {
    const [manager] = await tx.select({ name: users.name }).from(users).where(eq(users.id, managerId));
    throw InputError.field("manager", `${manager?.name ?? `@${handle}`} reports to you (directly or through others), so they can't be your manager`);
  }
  return managerId;
}

/** Saves the actor's own profile; the manager is named by handle (see `chosenManager`), empty for none. */
export async function updateOwnProfile(db: Db, actor: Actor, input: ProfileInput) {
  if (!isActiveEmployee(actor)) throw new NotFoundError();
  const parsed = ProfileSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(issue.message, issue.path.length ? { [issue.path.map(String).join(".")]: issue.message } : {});
  }
  const { manager, ...fields } = parsed.data;
  return db.transaction(async (tx) => {
    const profile = { ...fields, managerId: manager ? await chosenManager(tx, actor, manager) : null };
    const [before] = await tx.select({ name: users.name, department: users.department }).from(users).where(eq(users.id, actor.id)).for("update");
    const [saved] = await tx.update(users).set(profile).where(eq(users.id, actor.id)).returning({ id: users.id });
    if (!before || !saved) throw new NotFoundError();
    await enqueueIndexing(tx, "person", [actor.id]);
    // Question documents carry their author's name and department (a search filter).
    if (before.name !== profile.name || before.department !== profile.department) {
      const asked = await tx
        .select({ id: posts.id })
        .from(posts)
        .where(and(eq(posts.authorId, actor.id), eq(posts.type, "question"), isNull(posts.deletedAt)));
      await enqueueIndexing(
        tx,
        "question",
        asked.map((q) => q.id),
        { priority: 1 },
      );
      // Idea documents carry them too.
      const proposed = await tx.select({ id: ideas.id }).from(ideas).where(eq(ideas.authorId, actor.id));
      await enqueueIndexing(
        tx,
        "idea",
        proposed.map((i) => i.id),
        { priority: 1 },
      );
    }
    return profile;
  });
}
