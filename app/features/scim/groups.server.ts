import { asc, count, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { scimGroupMembers, scimGroups, users } from "#db/schema/index.ts";
import { uniqueViolation } from "#db/errors.ts";
import { idParam } from "#app/lib/ids.ts";
import { invalidValue, notFound, textAttribute, uniqueness } from "./errors.ts";
import { filterCondition, type FilterAttributes } from "./filter.server.ts";
import { syncRuleGrants } from "./grants.server.ts";
import { provisionedAmong, type ScimContext, type WriteContext } from "./users.server.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";

/**
 * SCIM Groups (RFC 7643 §4.2). A group holds provisioned users; what membership gives (spaces,
 * roles) is decided by the admins' rules, keyed by the group's display name (grants.server.ts).
 * Every write re-syncs the people it concerns in the same transaction.
 */

type GroupRow = typeof scimGroups.$inferSelect;
type Member = { groupId: number; userId: number; name: string };

function toScimGroup(group: GroupRow, members: Member[]): Record<string, unknown> {
  return {
    id: String(group.id),
    displayName: group.displayName,
    ...(group.externalId ? { externalId: group.externalId } : {}),
    members: members.filter((m) => m.groupId === group.id).map((m) => ({ value: String(m.userId), display: m.name, type: "User" })),
    meta: { resourceType: "Group", created: group.createdAt, lastModified: group.updatedAt },
  };
}

async function membersOf(db: Db | Tx, groupIds: number[]): Promise<Member[]> {
  if (groupIds.length === 0) return [];
  return db
    .select({ groupId: scimGroupMembers.groupId, userId: scimGroupMembers.userId, name: users.name })
    .from(scimGroupMembers)
    .innerJoin(users, eq(users.id, scimGroupMembers.userId))
    .where(inArray(scimGroupMembers.groupId, groupIds))
    .orderBy(asc(scimGroupMembers.userId));
}

const GROUP_FILTERS: FilterAttributes = {
  id: { expr: scimGroups.id, kind: "id" },
  displayName: { expr: scimGroups.displayName, kind: "ci-text" },
  externalId: { expr: scimGroups.externalId, kind: "text" },
  "meta.created": { expr: scimGroups.createdAt, kind: "time" },
  "meta.lastModified": { expr: scimGroups.updatedAt, kind: "time" },
  // Entra asks whether someone is a member with `members[value eq "12"]`.
  "members.value": (comparator, value) => {
    const userId = idParam(typeof value === "number" ? String(value) : value);
    if (comparator !== "eq") throw invalidValue("members can only be filtered with eq");
    return Number.isNaN(userId)
      ? sql`false`
      : sql`exists (select 1 from ${scimGroupMembers} where ${scimGroupMembers.groupId} = ${scimGroups.id} and ${scimGroupMembers.userId} = ${userId})`;
  },
};

export async function listScimGroups(db: Db | Tx, filter: ReadonlyArray<unknown> | undefined, startIndex: number, countPerPage: number, withMembers: boolean) {
  const where = filterCondition(filter, GROUP_FILTERS);
  const [rows, [total]] = await Promise.all([
    countPerPage === 0
      ? Promise.resolve([])
      : db
          .select()
          .from(scimGroups)
          .where(where)
          .orderBy(asc(scimGroups.id))
          .limit(countPerPage)
          .offset(startIndex - 1),
    db.select({ n: count() }).from(scimGroups).where(where),
  ]);
  const members = withMembers
    ? await membersOf(
        db,
        rows.map((g) => g.id),
      )
    : [];
  return { resources: rows.map((g) => toScimGroup(g, members)), total: total?.n ?? 0 };
}

async function loadGroup(db: Db | Tx, id: string, lock = false): Promise<GroupRow> {
  const groupId = idParam(id);
  if (Number.isNaN(groupId)) throw notFound("Group", id);
  const query = db.select().from(scimGroups).where(eq(scimGroups.id, groupId)).limit(1);
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw notFound("Group", id);
  return row;
}

export async function getScimGroup(ctx: ScimContext, id: string) {
  const group = await loadGroup(ctx.db, id);
  return toScimGroup(group, await membersOf(ctx.db, [group.id]));
}

/** The member ids of a group as sent; each must be a provisioned user. */
async function readMembers(db: Tx, instance: Record<string, unknown>): Promise<number[]> {
  const raw = Array.isArray(instance.members) ? (instance.members as Array<Record<string, unknown>>) : [];
  const ids = new Set<number>();
  for (const member of raw) {
    const value = typeof member.value === "number" ? String(member.value) : member.value;
    const id = idParam(value);
    if (Number.isNaN(id)) throw invalidValue(`Member '${String(member.value)}' is not a user id`);
    ids.add(id);
  }
  const known = await provisionedAmong(db, [...ids]);
  const unknown = [...ids].filter((id) => !known.has(id));
  if (unknown.length > 0) throw invalidValue(`No provisioned user has the id ${unknown.join(", ")}`);
  return [...ids];
}

function readGroup(instance: Record<string, unknown>) {
  const displayName = textAttribute("displayName", instance.displayName, 200);
  if (!displayName) throw invalidValue("Attribute 'displayName' is required");
  const externalId = instance.externalId === undefined || instance.externalId === null ? null : textAttribute("externalId", instance.externalId, 200);
  return { displayName, externalId };
}

async function uniqueName<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (uniqueViolation(error) === "scim_groups_display_name_key") throw uniqueness("A group with this displayName already exists");
    throw error;
  }
}

async function syncNoted(ctx: WriteContext, userIds: Iterable<number>) {
  const notes = await syncRuleGrants(ctx.db, userIds);
  ctx.notes.keptLastAdmin.push(...notes.keptLastAdmin);
}

/** POST /Groups. */
export async function createScimGroup(ctx: WriteContext, instance: Record<string, unknown>) {
  const tx = ctx.db;
  const { displayName, externalId } = readGroup(instance);
  const members = await readMembers(tx, instance);
  const [group] = await uniqueName(() => tx.insert(scimGroups).values({ displayName, externalId, createdAt: ctx.now }).returning());
  if (members.length > 0) await tx.insert(scimGroupMembers).values(members.map((userId) => ({ groupId: group!.id, userId })));
  await recordGroupChange(ctx, group!.id, { group: displayName, created: true, joined: members });
  await syncNoted(ctx, members);
  return toScimGroup(group!, await membersOf(tx, [group!.id]));
}

/**
 * PUT /Groups/:id and every PATCH: the group becomes what was sent, members included (a PATCH
 * that adds or removes members arrives here as the whole new list). The people who joined or left,
 * and everyone in it when it was renamed (other rules may name it now), are re-synced.
 */
export async function replaceScimGroup(ctx: WriteContext, id: string, instance: Record<string, unknown>) {
  const tx = ctx.db;
  const group = await loadGroup(tx, id, true);
  const { displayName, externalId } = readGroup(instance);
  const members = new Set(await readMembers(tx, instance));
  const before = new Set((await tx.select({ userId: scimGroupMembers.userId }).from(scimGroupMembers).where(eq(scimGroupMembers.groupId, group.id))).map((r) => r.userId));
  const joined = [...members].filter((u) => !before.has(u));
  const left = [...before].filter((u) => !members.has(u));
  const renamed = displayName.toLowerCase() !== group.displayName.toLowerCase();
  if (displayName !== group.displayName || externalId !== group.externalId || joined.length > 0 || left.length > 0) {
    await uniqueName(() => tx.update(scimGroups).set({ displayName, externalId, updatedAt: ctx.now }).where(eq(scimGroups.id, group.id)));
  }
  if (left.length > 0) await tx.delete(scimGroupMembers).where(sql`${scimGroupMembers.groupId} = ${group.id} and ${inArray(scimGroupMembers.userId, left)}`);
  if (joined.length > 0) await tx.insert(scimGroupMembers).values(joined.map((userId) => ({ groupId: group.id, userId })));
  if (displayName !== group.displayName || joined.length > 0 || left.length > 0) {
    await recordGroupChange(ctx, group.id, { group: displayName, ...(renamed ? { renamedFrom: group.displayName } : {}), joined, left });
  }
  await syncNoted(ctx, renamed ? [...before, ...members] : [...joined, ...left]);
  return toScimGroup((await loadGroup(tx, id))!, await membersOf(tx, [group.id]));
}

/** DELETE /Groups/:id: its members lose what its rules gave them (unless another group's rule gives it too). */
export async function deleteScimGroup(ctx: WriteContext, id: string) {
  const tx = ctx.db;
  const group = await loadGroup(tx, id, true);
  const members = await tx.select({ userId: scimGroupMembers.userId }).from(scimGroupMembers).where(eq(scimGroupMembers.groupId, group.id));
  await tx.delete(scimGroups).where(eq(scimGroups.id, group.id));
  await recordGroupChange(ctx, group.id, { group: group.displayName, deleted: true, left: members.map((m) => m.userId) });
  await syncNoted(
    ctx,
    members.map((m) => m.userId),
  );
}

/** One entry per group change (who joined and left, by id); what the rules then gave or took back has its own entries. */
async function recordGroupChange(ctx: WriteContext, groupId: number, details: Record<string, unknown>) {
  await recordAudit(ctx.db, { actorId: null, via: "scim", action: "scim.group_changed", target: { type: "scim_group", id: groupId }, details });
}
