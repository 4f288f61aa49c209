import { and, asc, count, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { uniqueViolation } from "#db/errors.ts";
import type { Db, Tx } from "#db/client.server.ts";
import { spaceMembers, spaces, users } from "#db/schema/index.ts";
import { InputError } from "#app/lib/errors.ts";
import { peopleActiveInSpace } from "#search/documents.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { SpaceSchema, type SpaceInput } from "./space-schema.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";
import {
  type Actor,
  type Space,
  type SpaceRole,
  canAdministerSpaces,
  canManageSpace,
  lockSpaceForActor,
  spaceBySlugForActor,
  spaceNotFound,
  visibleSpacesCondition,
} from "./visibility.server.ts";

/**
 * Spaces: listing what an actor may see, one space's page, and the writes that admins and space
 * moderators make. Every read goes through visibility.server.ts; every write runs in one
 * transaction that re-checks the actor's rights on the locked space row.
 */

export type SpaceSummary = Pick<Space, "id" | "slug" | "name" | "description" | "visibility"> & {
  memberCount: number;
  myRole: SpaceRole | null;
};

export type SpacePerson = { id: number; name: string; title: string; department: string; role: SpaceRole; deactivated: boolean };

/**
 * Members who count: active accounts (a deactivated member keeps the row but is not counted), for
 * every space at once: one grouped join, instead of a count per space that reads `users` again each time.
 */
function memberCounts(db: Db | Tx) {
  const member = alias(spaceMembers, "counted_member");
  return db
    .select({ spaceId: member.spaceId, n: sql<number>`count(*)::int`.as("n") })
    .from(member)
    .innerJoin(users, eq(users.id, member.userId))
    .where(isNull(users.deactivatedAt))
    .groupBy(member.spaceId)
    .as("member_counts");
}

/** Every space the actor may see, with member counts and the actor's own role: one query. */
export async function visibleSpaces(db: Db | Tx, actor: Actor): Promise<SpaceSummary[]> {
  const counts = memberCounts(db);
  return db
    .select({
      id: spaces.id,
      slug: spaces.slug,
      name: spaces.name,
      description: spaces.description,
      visibility: spaces.visibility,
      memberCount: sql<number>`coalesce(${counts.n}, 0)::int`,
      myRole: spaceMembers.role,
    })
    .from(spaces)
    .leftJoin(spaceMembers, and(eq(spaceMembers.spaceId, spaces.id), eq(spaceMembers.userId, actor.id)))
    .leftJoin(counts, eq(counts.spaceId, spaces.id))
    .where(visibleSpacesCondition(actor))
    .orderBy(asc(sql`lower(${spaces.name})`), asc(spaces.id));
}

/** The spaces the actor may post in, for a form's choice of space: names only, no counts to compute. */
export async function spaceChoices(db: Db | Tx, actor: Actor): Promise<Array<Pick<SpaceSummary, "slug" | "name" | "visibility">>> {
  return db
    .select({ slug: spaces.slug, name: spaces.name, visibility: spaces.visibility })
    .from(spaces)
    .where(visibleSpacesCondition(actor))
    .orderBy(asc(sql`lower(${spaces.name})`), asc(spaces.id));
}

/**
 * The space select of a new question or article: every space the actor may post in, restricted
 * ones labelled so, and the one named by `wanted` (a space's "Ask"/"Write" link) preselected.
 * Nothing else is preselected: a default could put something confidential in an open space, or
 * hide something meant for everyone in a restricted one.
 */
export async function spaceSelect(db: Db | Tx, actor: Actor, wanted: string | null): Promise<{ spaces: Array<{ value: string; label: string }>; preselected: string }> {
  const choices = await spaceChoices(db, actor);
  return {
    spaces: choices.map((s) => ({ value: s.slug, label: s.visibility === "restricted" ? `${s.name} (restricted)` : s.name })),
    preselected: choices.find((s) => s.slug === wanted)?.slug ?? "",
  };
}

/** For the home page: the spaces the actor belongs to, and the open ones they have not joined. */
export async function homeSpaces(db: Db | Tx, actor: Actor): Promise<{ mine: SpaceSummary[]; otherOpen: SpaceSummary[] }> {
  const all = await visibleSpaces(db, actor);
  return {
    mine: all.filter((s) => s.myRole !== null),
    otherOpen: all.filter((s) => s.myRole === null && s.visibility === "open"),
  };
}

const PEOPLE_ON_SPACE_PAGE = 50;

const person = {
  id: users.id,
  name: users.name,
  title: users.title,
  department: users.department,
  role: spaceMembers.role,
  deactivated: sql<boolean>`${users.deactivatedAt} is not null`,
};

/**
 * One space's page: the space, the actor's membership, its moderators, and (for restricted
 * spaces, where membership decides who reads it) the first members. Three queries, whatever the size.
 */
export async function spaceOverview(db: Db | Tx, actor: Actor, slug: string) {
  const { space, membership } = await spaceBySlugForActor(db, actor, slug);
  const [people, [counted]] = await Promise.all([
    db
      .select(person)
      .from(spaceMembers)
      .innerJoin(users, eq(users.id, spaceMembers.userId))
      .where(and(eq(spaceMembers.spaceId, space.id), isNull(users.deactivatedAt), space.visibility === "open" ? eq(spaceMembers.role, "moderator") : undefined))
      .orderBy(desc(spaceMembers.role), asc(users.name))
      .limit(PEOPLE_ON_SPACE_PAGE),
    db
      .select({ n: count() })
      .from(spaceMembers)
      .innerJoin(users, eq(users.id, spaceMembers.userId))
      .where(and(eq(spaceMembers.spaceId, space.id), isNull(users.deactivatedAt))),
  ]);
  return {
    space,
    membership,
    memberCount: counted?.n ?? 0,
    moderators: people.filter((p) => p.role === "moderator"),
    members: space.visibility === "restricted" ? people : [],
    membersTruncated: space.visibility === "restricted" && people.length === PEOPLE_ON_SPACE_PAGE,
    canManage: canManageSpace(actor, space, membership),
  };
}

const MEMBERS_PAGE = 50;

/** A space's full member list for the people who manage it (admins, its moderators). */
export async function spaceForManager(db: Db | Tx, actor: Actor, slug: string, page = 1) {
  const { space, membership } = await spaceBySlugForActor(db, actor, slug);
  if (!canManageSpace(actor, space, membership)) spaceNotFound();
  const offset = (Math.max(1, page) - 1) * MEMBERS_PAGE;
  const rows = await db
    .select({ ...person, email: users.email, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(spaceMembers)
    .innerJoin(users, eq(users.id, spaceMembers.userId))
    .where(eq(spaceMembers.spaceId, space.id))
    .orderBy(desc(spaceMembers.role), asc(users.name), asc(users.id))
    .limit(MEMBERS_PAGE)
    .offset(offset);
  return {
    space,
    canAdminister: canAdministerSpaces(actor),
    members: rows.map(({ total: _total, ...m }) => m),
    total: rows[0]?.total ?? 0,
    offset,
    pageSize: MEMBERS_PAGE,
  };
}

// ---- writes -------------------------------------------------------------------------------

const slugTaken = () => InputError.field("slug", "Another space already uses this address; choose a different one");

/** Creates a space (admins only). A taken slug comes back as a field error. */
export async function addSpace(db: Db, actor: Actor, input: SpaceInput): Promise<Space> {
  if (!canAdministerSpaces(actor)) spaceNotFound();
  const values = SpaceSchema.parse(input);
  try {
    return await db.transaction(async (tx) => {
      const [space] = await tx.insert(spaces).values(values).returning();
      return space!;
    });
  } catch (error) {
    if (uniqueViolation(error) === "spaces_slug_key") throw slugTaken();
    throw error;
  }
}

/** Edits a space's name, address, description and visibility (admins only). */
export async function updateSpace(db: Db, actor: Actor, spaceId: number, input: SpaceInput): Promise<Space> {
  if (!canAdministerSpaces(actor)) spaceNotFound();
  const values = SpaceSchema.parse(input);
  try {
    return await db.transaction(async (tx) => {
      const [before] = await tx.select({ visibility: spaces.visibility, companyWide: spaces.companyWide }).from(spaces).where(eq(spaces.id, spaceId)).for("update");
      // Company-wide recognition (kudos, badges, awards) lives in the company space: everyone must keep seeing it.
      if (before?.companyWide && values.visibility !== "open")
        throw InputError.field("visibility", "The company space stays open to every employee: company-wide kudos, badges and awards live in it.");
      const [space] = await tx.update(spaces).set(values).where(eq(spaces.id, spaceId)).returning();
      if (!space) spaceNotFound();
      // People's search documents hold only open spaces' tags and reputation: theirs change with this.
      if (before && before.visibility !== space.visibility) {
        await enqueueIndexing(tx, "person", await peopleActiveInSpace(tx, space.id), { priority: 1 });
        const details = { space: space.name, from: before.visibility, to: space.visibility };
        await recordAudit(tx, { actorId: actor.id, action: "space.visibility_changed", target: { type: "space", id: space.id }, spaceId: space.id, details });
      }
      return space;
    });
  } catch (error) {
    if (uniqueViolation(error) === "spaces_slug_key") throw slugTaken();
    throw error;
  }
}

/** Locks the space row and checks, inside the transaction, that the actor may manage its members. */
async function lockManagedSpace(tx: Tx, actor: Actor, spaceId: number): Promise<Space> {
  const { space, membership } = await lockSpaceForActor(tx, actor, spaceId);
  if (!canManageSpace(actor, space, membership)) spaceNotFound();
  return space;
}

/** Adds an active employee, found by email, to a space (admins and the space's moderators). */
export async function addSpaceMember(db: Db, actor: Actor, spaceId: number, input: { email: string; role?: SpaceRole }) {
  const email = input.email.trim().toLowerCase();
  return db.transaction(async (tx) => {
    await lockManagedSpace(tx, actor, spaceId);
    const [person] = await tx
      .select({ id: users.id, name: users.name })
      .from(users)
      // A pending account's address is unproven: "cfo@…" may be anyone until the link is opened.
      .where(and(eq(users.email, email), eq(users.kind, "employee"), isNull(users.deactivatedAt), isNotNull(users.emailVerifiedAt)))
      .limit(1);
    if (!person) throw InputError.field("email", "No active employee has this email address");
    const inserted = await tx
      .insert(spaceMembers)
      .values({ spaceId, userId: person.id, role: input.role ?? "member" })
      .onConflictDoNothing()
      .returning({ userId: spaceMembers.userId });
    if (inserted.length === 0) throw InputError.field("email", `${person.name} is already a member of this space`);
    const role = input.role ?? "member";
    await recordAudit(tx, { actorId: actor.id, action: "space.member_added", subjectUserId: person.id, target: { type: "space", id: spaceId }, spaceId, details: { role } });
    return person;
  });
}

/** Makes a member a moderator or back (admins and the space's moderators). */
export async function setSpaceMemberRole(db: Db, actor: Actor, spaceId: number, userId: number, role: SpaceRole) {
  return db.transaction(async (tx) => {
    await lockManagedSpace(tx, actor, spaceId);
    const [before] = await tx
      .select({ role: spaceMembers.role })
      .from(spaceMembers)
      .where(and(eq(spaceMembers.spaceId, spaceId), eq(spaceMembers.userId, userId)))
      .for("update");
    if (!before) throw new InputError("That person is no longer a member of this space");
    if (before.role === role) return;
    await tx
      .update(spaceMembers)
      .set({ role })
      .where(and(eq(spaceMembers.spaceId, spaceId), eq(spaceMembers.userId, userId)));
    const details = { from: before.role, to: role };
    await recordAudit(tx, { actorId: actor.id, action: "space.role_changed", subjectUserId: userId, target: { type: "space", id: spaceId }, spaceId, details });
  });
}

/** Removes someone from a space (admins and the space's moderators). */
export async function removeSpaceMember(db: Db, actor: Actor, spaceId: number, userId: number) {
  return db.transaction(async (tx) => {
    await lockManagedSpace(tx, actor, spaceId);
    const removed = await tx
      .delete(spaceMembers)
      .where(and(eq(spaceMembers.spaceId, spaceId), eq(spaceMembers.userId, userId)))
      .returning({ role: spaceMembers.role });
    if (removed.length > 0)
      await recordAudit(tx, {
        actorId: actor.id,
        action: "space.member_removed",
        subjectUserId: userId,
        target: { type: "space", id: spaceId },
        spaceId,
        details: { role: removed[0]!.role },
      });
  });
}

/**
 * Joins an open space, so that it shows among the actor's own spaces. Restricted spaces are
 * joined only when a moderator adds you; asking for one you cannot see answers the usual 404.
 */
export async function joinSpace(db: Db, actor: Actor, slug: string): Promise<void> {
  const { space, membership } = await spaceBySlugForActor(db, actor, slug);
  if (membership) return;
  if (space.visibility !== "open") throw new InputError("Members of a restricted space are added by its moderators");
  await db.insert(spaceMembers).values({ spaceId: space.id, userId: actor.id, role: "member" }).onConflictDoNothing();
}

/**
 * Leaves a space. Moderators step down through an admin or another moderator, so that a space
 * is not left without its moderators by a stray click. Leaving a restricted space ends access to it.
 */
export async function leaveSpace(db: Db, actor: Actor, slug: string): Promise<{ stillVisible: boolean }> {
  const { space, membership } = await spaceBySlugForActor(db, actor, slug);
  if (!membership) return { stillVisible: true };
  if (membership.role === "moderator") throw new InputError("You moderate this space: ask an admin or another moderator to take you off it");
  await db.delete(spaceMembers).where(and(eq(spaceMembers.spaceId, space.id), eq(spaceMembers.userId, actor.id)));
  return { stillVisible: space.visibility === "open" || canAdministerSpaces(actor) };
}
