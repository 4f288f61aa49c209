import { and, asc, count, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { scimGroupMembers, scimGroupRules, scimGroups, scimRuleGrants, spaces, users } from "#db/schema/index.ts";
import { isRowId } from "#app/lib/ids.ts";
import { InputError } from "#app/lib/errors.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { assertAdmin } from "./admin-check.ts";
import { membersOfGroupsNamed, syncRuleGrants, type SyncNotes } from "./grants.server.ts";
import type { ScimRuleInput } from "./schemas.ts";

/** Admins' side of group rules and provisioned groups (Admin → Integrations → SCIM). */

export const GROUPS_PAGE_SIZE = 25;

/** Every rule with its space and how many people it gives something to now. */
export async function listScimRules(db: Db, actor: Actor) {
  assertAdmin(actor);
  const granted = db.$with("granted").as(
    db
      .select({ ruleId: scimRuleGrants.ruleId, n: count().as("n") })
      .from(scimRuleGrants)
      .groupBy(scimRuleGrants.ruleId),
  );
  return db
    .with(granted)
    .select({
      id: scimGroupRules.id,
      groupName: scimGroupRules.groupName,
      spaceRole: scimGroupRules.spaceRole,
      siteRole: scimGroupRules.siteRole,
      space: { id: spaces.id, name: spaces.name, slug: spaces.slug, visibility: spaces.visibility },
      createdAt: scimGroupRules.createdAt,
      createdBy: users.name,
      grants: sql<number>`coalesce(${granted.n}, 0)`.mapWith(Number),
    })
    .from(scimGroupRules)
    .leftJoin(spaces, eq(spaces.id, scimGroupRules.spaceId))
    .leftJoin(users, eq(users.id, scimGroupRules.createdBy))
    .leftJoin(granted, eq(granted.ruleId, scimGroupRules.id))
    .orderBy(asc(sql`lower(${scimGroupRules.groupName})`), asc(scimGroupRules.id));
}

/** The spaces a rule can name, for the form's choices. */
export async function ruleSpaceChoices(db: Db, actor: Actor) {
  assertAdmin(actor);
  return db
    .select({ id: spaces.id, name: spaces.name, visibility: spaces.visibility })
    .from(spaces)
    .orderBy(asc(sql`lower(${spaces.name})`));
}

/** Adds a rule and applies it at once to the members of the groups it names. */
export async function createScimRule(db: Db, actor: Actor, input: ScimRuleInput): Promise<{ id: number; applied: number; notes: SyncNotes }> {
  assertAdmin(actor);
  return db.transaction(async (tx) => {
    const { target } = input;
    if (target.kind === "space") {
      const [space] = await tx.select({ id: spaces.id }).from(spaces).where(eq(spaces.id, target.spaceId)).for("share");
      if (!space) throw InputError.field("spaceId", "That space no longer exists: choose another");
    }
    const sameTarget =
      target.kind === "space" ? and(eq(scimGroupRules.spaceId, target.spaceId), eq(scimGroupRules.spaceRole, target.spaceRole)) : eq(scimGroupRules.siteRole, target.siteRole);
    const [duplicate] = await tx
      .select({ id: scimGroupRules.id })
      .from(scimGroupRules)
      .where(and(sql`lower(${scimGroupRules.groupName}) = lower(${input.groupName})`, sameTarget))
      .limit(1);
    if (duplicate) throw InputError.field("groupName", "This group already has this rule");
    const [rule] = await tx
      .insert(scimGroupRules)
      .values({
        groupName: input.groupName,
        createdBy: actor.id,
        ...(target.kind === "space" ? { spaceId: target.spaceId, spaceRole: target.spaceRole } : { siteRole: target.siteRole }),
      })
      .returning({ id: scimGroupRules.id });
    const members = await membersOfGroupsNamed(tx, input.groupName);
    const notes = await syncRuleGrants(tx, members, { actorId: actor.id });
    return { id: rule!.id, applied: members.length, notes };
  });
}

/**
 * Deletes a rule and takes back what it gave, except what another rule still gives (or what the
 * last admin holds).
 */
export async function deleteScimRule(db: Db, actor: Actor, ruleId: number): Promise<{ notes: SyncNotes }> {
  assertAdmin(actor);
  if (!isRowId(ruleId)) throw new InputError("That rule no longer exists.");
  return db.transaction(async (tx) => {
    const [rule] = await tx.select({ id: scimGroupRules.id }).from(scimGroupRules).where(eq(scimGroupRules.id, ruleId)).for("update");
    if (!rule) throw new InputError("That rule no longer exists.");
    const holders = await tx.select({ userId: scimRuleGrants.userId }).from(scimRuleGrants).where(eq(scimRuleGrants.ruleId, ruleId));
    const notes = await syncRuleGrants(
      tx,
      holders.map((h) => h.userId),
      { excludeRuleIds: [ruleId], actorId: actor.id },
    );
    // Only when nobody's grant had to stay (the last admin's): the rule keeps holding that role.
    if (notes.keptLastAdmin.length > 0) {
      throw new InputError("This rule makes the last active admin an admin. Make someone else an admin first, then delete the rule.");
    }
    await tx.delete(scimGroupRules).where(eq(scimGroupRules.id, ruleId));
    return { notes };
  });
}

/** The provisioned groups, 25 a page, with their member counts and how many rules name them. */
export async function listProvisionedGroups(db: Db, actor: Actor, page: number) {
  assertAdmin(actor);
  const offset = (page - 1) * GROUPS_PAGE_SIZE;
  const rows = await db
    .select({
      id: scimGroups.id,
      displayName: scimGroups.displayName,
      externalId: scimGroups.externalId,
      updatedAt: scimGroups.updatedAt,
      members: sql<number>`(select count(*) from ${scimGroupMembers} where ${scimGroupMembers.groupId} = ${scimGroups.id})`.mapWith(Number),
      rules: sql<number>`(select count(*) from ${scimGroupRules} where lower(${scimGroupRules.groupName}) = lower(${scimGroups.displayName}))`.mapWith(Number),
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(scimGroups)
    .orderBy(asc(sql`lower(${scimGroups.displayName})`), asc(scimGroups.id))
    .limit(GROUPS_PAGE_SIZE)
    .offset(offset);
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && offset > 0) total = await db.$count(scimGroups);
  return { groups: rows.map(({ total: _t, ...g }) => g), total, offset, pageSize: GROUPS_PAGE_SIZE };
}

/** Figures for the SCIM page's header: provisioned accounts, active ones, groups. */
export async function provisioningSummary(db: Db, actor: Actor) {
  assertAdmin(actor);
  const [row] = await db
    .select({
      accounts: sql<number>`(select count(*) from scim_users)`.mapWith(Number),
      active: sql<number>`(select count(*) from scim_users su join users u on u.id = su.user_id where u.deactivated_at is null)`.mapWith(Number),
      groups: sql<number>`(select count(*) from scim_groups)`.mapWith(Number),
      rules: sql<number>`(select count(*) from scim_group_rules)`.mapWith(Number),
    })
    .from(sql`(select 1) as one`);
  return row!;
}
