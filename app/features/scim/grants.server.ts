import { and, asc, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { scimGroupMembers, scimGroupRules, scimGroups, scimRuleGrants, spaceMembers, users } from "#db/schema/index.ts";
import { type AuditEntry, recordAudits } from "#app/features/audit/audit.server.ts";

/**
 * What group rules give (docs/scim.md). A rule says: members of the group named X join space S
 * with role R, or hold the site role R. `scim_rule_grants` records which rule gave a person what,
 * so that leaving the group (or the group's or the rule's deletion) takes back only what a rule
 * gave, and only when no other rule still gives it.
 *
 * - A space membership is "rule-held" while some grant of a rule for that space exists. A
 *   membership an admin or a moderator gave by hand is never touched: a rule neither records a
 *   grant on it nor changes its role, so it outlives the group.
 * - A site role is rule-held while some grant of a site-role rule exists. A rule raises a
 *   `member` only: a role an admin gave by hand (moderator, HR, admin) stays as it is.
 * - Several rules: a space's role is the highest any of them gives (moderator over member); the
 *   site role likewise (admin over HR over moderator).
 * - The last active admin is never demoted: the grant stays, and the next change tries again.
 *
 * `syncRuleGrants` makes what people hold match what the rules say now, for the people named. It
 * runs inside the caller's transaction, after the group or rule change it follows.
 */

type Rule = { id: number; spaceId: number | null; spaceRole: "member" | "moderator" | null; siteRole: "member" | "moderator" | "hr" | "admin" | null };
type SiteRole = NonNullable<Rule["siteRole"]>;

const SPACE_RANK = { member: 1, moderator: 2 } as const;
const SITE_RANK = { member: 0, moderator: 1, hr: 2, admin: 3 } as const;

const ruleColumns = { id: scimGroupRules.id, spaceId: scimGroupRules.spaceId, spaceRole: scimGroupRules.spaceRole, siteRole: scimGroupRules.siteRole };

function highest<T extends string>(values: T[], rank: Record<T, number>): T {
  return values.reduce((best, v) => (rank[v] > rank[best] ? v : best));
}

function groupBy<T>(rows: Array<{ userId: number; rule: T }>): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) map.set(row.userId, [...(map.get(row.userId) ?? []), row.rule]);
  return map;
}

export interface SyncOptions {
  /** Rules being deleted in this transaction: they give nothing any more. */
  excludeRuleIds?: number[];
  /** The admin whose rule change this follows; none (the default) when the identity provider's SCIM call caused it. */
  actorId?: number;
}

/** What a sync could not do, for the log: people kept as admins because no other admin is left. */
export type SyncNotes = { keptLastAdmin: number[] };

export async function syncRuleGrants(tx: Tx, userIds: Iterable<number>, options: SyncOptions = {}): Promise<SyncNotes> {
  const notes: SyncNotes = { keptLastAdmin: [] };
  const ids = [...new Set(userIds)].sort((a, b) => a - b);
  if (ids.length === 0) return notes;
  const excluded = options.excludeRuleIds ?? [];
  // The people first, in id order, so concurrent syncs take turns without deadlocking on each other.
  const people = await tx.select({ id: users.id, role: users.role, kind: users.kind }).from(users).where(inArray(users.id, ids)).orderBy(asc(users.id)).for("update");
  const [wanted, held, memberships] = await Promise.all([
    tx
      .selectDistinct({ userId: scimGroupMembers.userId, rule: ruleColumns })
      .from(scimGroupMembers)
      .innerJoin(scimGroups, eq(scimGroups.id, scimGroupMembers.groupId))
      .innerJoin(scimGroupRules, sql`lower(${scimGroupRules.groupName}) = lower(${scimGroups.displayName})`)
      .where(and(inArray(scimGroupMembers.userId, ids), excluded.length ? notInArray(scimGroupRules.id, excluded) : undefined)),
    tx
      .select({ userId: scimRuleGrants.userId, rule: ruleColumns })
      .from(scimRuleGrants)
      .innerJoin(scimGroupRules, eq(scimGroupRules.id, scimRuleGrants.ruleId))
      .where(inArray(scimRuleGrants.userId, ids)),
    tx.select({ userId: spaceMembers.userId, spaceId: spaceMembers.spaceId, role: spaceMembers.role }).from(spaceMembers).where(inArray(spaceMembers.userId, ids)),
  ]);
  const wantedBy = groupBy<Rule>(wanted);
  const heldBy = groupBy<Rule>(held);
  // What changed, for the audit log: one insert at the end.
  const audits: AuditEntry[] = [];
  const by = options.actorId === undefined ? ({ actorId: null, via: "scim" } as const) : ({ actorId: options.actorId, via: "user" } as const);
  const spaceAudit = (action: "space.member_added" | "space.member_removed" | "space.role_changed", userId: number, spaceId: number, details: Record<string, unknown>) =>
    audits.push({ ...by, action, subjectUserId: userId, target: { type: "space", id: spaceId }, spaceId, details: { ...details, by: "group rule" } });
  for (const person of people) {
    if (person.kind !== "employee") continue;
    const want = wantedBy.get(person.id) ?? [];
    const have = heldBy.get(person.id) ?? [];
    const wantIds = new Set(want.map((r) => r.id));
    const haveIds = new Set(have.map((r) => r.id));
    const grant = (rules: Rule[]) => rules.filter((r) => !haveIds.has(r.id)).map((r) => ({ ruleId: r.id, userId: person.id }));
    const newGrants: Array<{ ruleId: number; userId: number }> = [];
    const dropped: number[] = have.filter((r) => !wantIds.has(r.id)).map((r) => r.id);

    // Spaces.
    const spaceIds = new Set([...want, ...have].flatMap((r) => (r.spaceId === null ? [] : [r.spaceId])));
    for (const spaceId of spaceIds) {
      const wantHere = want.filter((r) => r.spaceId === spaceId);
      const ruleHeld = have.some((r) => r.spaceId === spaceId);
      const membership = memberships.find((m) => m.userId === person.id && m.spaceId === spaceId);
      if (wantHere.length > 0) {
        const role = highest(
          wantHere.map((r) => r.spaceRole!),
          SPACE_RANK,
        );
        if (!membership) {
          await tx.insert(spaceMembers).values({ spaceId, userId: person.id, role });
          spaceAudit("space.member_added", person.id, spaceId, { role });
          newGrants.push(...grant(wantHere));
        } else if (ruleHeld) {
          if (membership.role !== role) {
            await tx
              .update(spaceMembers)
              .set({ role })
              .where(and(eq(spaceMembers.spaceId, spaceId), eq(spaceMembers.userId, person.id)));
            spaceAudit("space.role_changed", person.id, spaceId, { from: membership.role, to: role });
          }
          newGrants.push(...grant(wantHere));
        }
        // A membership given by hand: left alone.
      } else if (ruleHeld && membership) {
        await tx.delete(spaceMembers).where(and(eq(spaceMembers.spaceId, spaceId), eq(spaceMembers.userId, person.id)));
        spaceAudit("space.member_removed", person.id, spaceId, { role: membership.role });
      }
    }

    // The site role.
    const wantSite = want.filter((r) => r.siteRole !== null);
    const siteHeld = have.some((r) => r.siteRole !== null);
    let role: SiteRole | null = null;
    if (wantSite.length > 0 && (siteHeld || person.role === "member")) {
      role = highest(
        wantSite.map((r) => r.siteRole!),
        SITE_RANK,
      );
      newGrants.push(...grant(wantSite));
    } else if (wantSite.length === 0 && siteHeld) {
      role = "member";
    }
    if (role !== null && role !== person.role) {
      if (person.role === "admin" && !(await anotherActiveAdmin(tx, person.id))) {
        notes.keptLastAdmin.push(person.id);
        // The site grants stay, so the role is still rule-held and the next sync tries again.
        const siteRuleIds = new Set(have.filter((r) => r.siteRole !== null).map((r) => r.id));
        dropped.splice(0, dropped.length, ...dropped.filter((id) => !siteRuleIds.has(id)));
      } else {
        await tx.update(users).set({ role }).where(eq(users.id, person.id));
        audits.push({ ...by, action: "user.role_changed", subjectUserId: person.id, details: { from: person.role, to: role, by: "group rule" } });
      }
    }

    if (dropped.length > 0) await tx.delete(scimRuleGrants).where(and(eq(scimRuleGrants.userId, person.id), inArray(scimRuleGrants.ruleId, dropped)));
    if (newGrants.length > 0) await tx.insert(scimRuleGrants).values(newGrants).onConflictDoNothing();
  }
  await recordAudits(tx, audits);
  return notes;
}

/** Whether an active admin other than `userId` exists; their rows are locked, as admins' own role changes lock them. */
async function anotherActiveAdmin(tx: Tx, userId: number): Promise<boolean> {
  const admins = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt), eq(users.kind, "employee")))
    .orderBy(asc(users.id))
    .for("update");
  return admins.some((a) => a.id !== userId);
}

/** The members of every group called `groupName` (case-insensitive): who a new or deleted rule concerns. */
export async function membersOfGroupsNamed(tx: Tx, groupName: string): Promise<number[]> {
  const rows = await tx
    .selectDistinct({ userId: scimGroupMembers.userId })
    .from(scimGroupMembers)
    .innerJoin(scimGroups, eq(scimGroups.id, scimGroupMembers.groupId))
    .where(sql`lower(${scimGroups.displayName}) = lower(${groupName})`);
  return rows.map((r) => r.userId);
}
