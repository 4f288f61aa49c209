import { and, asc, count, eq, gt, ilike, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { isRowId } from "#app/lib/ids.ts";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "#db/client.server.ts";
import { sessions, spaceMembers, spaces, users } from "#db/schema/index.ts";
import { claimedImports, unclaimedImport } from "#app/features/imports/imported-profiles.server.ts";
import { invalidateUserSessions } from "#app/features/auth/session.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import type { UserFilters } from "./user-filters.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";

/**
 * What admins do with accounts: find them, change their role, deactivate and reactivate them.
 * Every function re-checks that the actor is an active admin; anyone else gets a 404.
 */

type Role = (typeof users.$inferSelect)["role"];

export const USERS_PAGE_SIZE = 25;

function assertAdmin(actor: Actor): void {
  if (actor.kind !== "employee" || actor.deactivatedAt || actor.role !== "admin") throw new NotFoundError();
}

/** `%` and `_` typed by the user are searched for literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The person is an imported profile nobody has claimed yet (they cannot sign in). */
const unclaimedImportExists = sql`exists (select 1 from imported_profiles ip where ip.user_id = ${users.id} and ip.claimed_at is null)`;

/** Admin list of accounts: case-insensitive search over name, email and department, filters, 25 a page. */
export async function adminUserList(db: Db | Tx, actor: Actor, filters: UserFilters) {
  assertAdmin(actor);
  const conditions: SQL[] = [];
  if (filters.q) {
    const pattern = containsPattern(filters.q);
    conditions.push(or(ilike(users.name, pattern), ilike(users.email, pattern), ilike(users.department, pattern))!);
  }
  if (filters.role) conditions.push(eq(users.role, filters.role));
  if (filters.status === "active") conditions.push(isNull(users.deactivatedAt));
  if (filters.status === "deactivated") conditions.push(isNotNull(users.deactivatedAt));
  if (filters.status === "imported") conditions.push(unclaimedImportExists);
  const where = conditions.length ? and(...conditions) : undefined;
  const offset = (filters.page - 1) * USERS_PAGE_SIZE;
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      title: users.title,
      department: users.department,
      role: users.role,
      kind: users.kind,
      deactivatedAt: users.deactivatedAt,
      imported: sql<boolean>`${unclaimedImportExists}`,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(users)
    .where(where)
    .orderBy(asc(sql`lower(${users.name})`), asc(users.id))
    .limit(USERS_PAGE_SIZE)
    .offset(offset);
  let total = rows[0]?.total ?? 0;
  // Past the last page the window count has no row to ride on; count separately (rare).
  if (rows.length === 0 && offset > 0) total = (await db.select({ n: count() }).from(users).where(where))[0]?.n ?? 0;
  return { users: rows.map(({ total: _t, ...u }) => u), total, offset, pageSize: USERS_PAGE_SIZE };
}

/** One account as the admin detail page shows it. */
export async function adminUserDetail(db: Db | Tx, actor: Actor, userId: number) {
  assertAdmin(actor);
  if (!isRowId(userId)) throw new NotFoundError();
  const manager = alias(users, "manager");
  const [row] = await db
    .select({
      user: {
        id: users.id,
        name: users.name,
        email: users.email,
        title: users.title,
        department: users.department,
        location: users.location,
        role: users.role,
        kind: users.kind,
        createdAt: users.createdAt,
        deactivatedAt: users.deactivatedAt,
      },
      manager: { id: manager.id, name: manager.name },
    })
    .from(users)
    .leftJoin(manager, eq(manager.id, users.managerId))
    .where(eq(users.id, userId))
    .limit(1);
  if (!row) throw new NotFoundError();
  const [memberships, [sessionCount], imported, claimedProfiles] = await Promise.all([
    db
      .select({ slug: spaces.slug, name: spaces.name, visibility: spaces.visibility, role: spaceMembers.role })
      .from(spaceMembers)
      .innerJoin(spaces, eq(spaces.id, spaceMembers.spaceId))
      .where(eq(spaceMembers.userId, userId))
      .orderBy(asc(spaces.name)),
    db
      .select({ n: count() })
      .from(sessions)
      .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, new Date()))),
    unclaimedImport(db, userId),
    claimedImports(db, userId),
  ]);
  return { user: row.user, manager: row.manager?.id ? row.manager : null, memberships, activeSessions: sessionCount?.n ?? 0, imported, claimedProfiles };
}

/**
 * Locks the rows of the active admins, so that two admins demoting each other at the same moment
 * cannot leave the company with none, and confirms the actor is still one of them.
 */
async function lockActiveAdmins(tx: Tx, actor: Actor): Promise<number[]> {
  assertAdmin(actor);
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt), eq(users.kind, "employee")))
    .orderBy(asc(users.id))
    .for("update");
  const ids = rows.map((r) => r.id);
  if (!ids.includes(actor.id)) throw new NotFoundError();
  return ids;
}

async function lockTarget(tx: Tx, userId: number) {
  if (!isRowId(userId)) throw new NotFoundError();
  const [target] = await tx
    .select({ id: users.id, name: users.name, role: users.role, kind: users.kind, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(eq(users.id, userId))
    .for("update");
  if (!target) throw new NotFoundError();
  return target;
}

/** Changes someone's role (admins only). The last active admin cannot give the role away. */
export async function changeRole(db: Db, actor: Actor, userId: number, role: Role) {
  return db.transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx, actor);
    const target = await lockTarget(tx, userId);
    if (target.kind !== "employee" && role !== "member") {
      throw new InputError("Customer accounts can't hold employee roles");
    }
    const losesLastAdmin = target.role === "admin" && role !== "admin" && !target.deactivatedAt && admins.filter((id) => id !== target.id).length === 0;
    if (losesLastAdmin) {
      throw new InputError(
        target.id === actor.id
          ? "You're the last active admin. Make someone else an admin before changing your own role."
          : `${target.name} is the last active admin; make someone else an admin first.`,
      );
    }
    if (target.role !== role) {
      await tx.update(users).set({ role }).where(eq(users.id, target.id));
      await recordAudit(tx, { actorId: actor.id, action: "user.role_changed", subjectUserId: target.id, details: { from: target.role, to: role } });
    }
    return { id: target.id, name: target.name, role, changed: target.role !== role };
  });
}

/** Deactivates an account and signs it out everywhere, in one transaction. Not your own. */
export async function deactivateUser(db: Db, actor: Actor, userId: number) {
  return db.transaction(async (tx) => {
    await lockActiveAdmins(tx, actor);
    const target = await lockTarget(tx, userId);
    if (target.id === actor.id) throw new InputError("You can't deactivate your own account. Ask another admin to do it.");
    await setAccountActive(tx, target, false);
    if (!target.deactivatedAt) await recordAudit(tx, { actorId: actor.id, action: "user.deactivated", subjectUserId: target.id });
    return { id: target.id, name: target.name };
  });
}

/** Lets a deactivated account sign in again (it keeps its role and spaces). */
export async function reactivateUser(db: Db, actor: Actor, userId: number) {
  return db.transaction(async (tx) => {
    await lockActiveAdmins(tx, actor);
    const target = await lockTarget(tx, userId);
    await setAccountActive(tx, target, true);
    if (target.deactivatedAt) await recordAudit(tx, { actorId: actor.id, action: "user.reactivated", subjectUserId: target.id });
    return { id: target.id, name: target.name };
  });
}

/**
 * The account's switch, in the caller's transaction, for admins and for SCIM alike: the account is
 * marked, the people index is told, and switching off ends every session at once (also when it
 * was already off, so a session that slipped in is ended too). The callers check who may do it.
 */
export async function setAccountActive(tx: Tx, target: { id: number; deactivatedAt: Date | null }, active: boolean, now = new Date()): Promise<void> {
  if (active) {
    if (!target.deactivatedAt) return;
    // An anonymised person is gone for good: their name, address and password are no more.
    const revived = await tx
      .update(users)
      .set({ deactivatedAt: null })
      .where(and(eq(users.id, target.id), isNull(users.anonymizedAt)))
      .returning({ id: users.id });
    if (revived.length === 0) throw new InputError("This person was anonymised after leaving: the account can't be reactivated. Invite them again as a new account.");
    await enqueueIndexing(tx, "person", [target.id]);
    return;
  }
  if (!target.deactivatedAt) {
    await tx.update(users).set({ deactivatedAt: now }).where(eq(users.id, target.id));
    await enqueueIndexing(tx, "person", [target.id]);
  }
  await invalidateUserSessions(tx, target.id);
}
