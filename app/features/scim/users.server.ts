import { and, asc, count, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "#db/client.server.ts";
import { scimGroupMembers, scimUsers, users } from "#db/schema/index.ts";
import { uniqueViolation } from "#db/errors.ts";
import { setAccountActive } from "#app/features/users/admin-users.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { idParam } from "#app/lib/ids.ts";
import { invalidValue, notFound, scimError, textAttribute, uniqueness } from "./errors.ts";
import { filterCondition, type FilterAttributes } from "./filter.server.ts";
import { syncRuleGrants, type SyncNotes } from "./grants.server.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";

/**
 * SCIM Users (RFC 7643 §4.1) over Commons accounts. A SCIM user is an employee account with a
 * `scim_users` row (the identity provider's userName and externalId); accounts the provider never
 * created or linked are not SCIM resources. See docs/scim.md for the mapping and the choices.
 */

export const ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** What every SCIM handler is given: the transaction of the request, its time, and notes for the log. */
export interface ScimContext {
  db: Db | Tx;
  now: Date;
  notes: SyncNotes;
}

export interface WriteContext extends ScimContext {
  db: Tx;
  /** A PATCH: scimmy hands over the whole patched resource, and only what differs from before is new. */
  patch?: boolean;
}

const columns = {
  id: users.id,
  email: users.email,
  name: users.name,
  title: users.title,
  department: users.department,
  role: users.role,
  kind: users.kind,
  deactivatedAt: users.deactivatedAt,
  createdAt: users.createdAt,
  updatedAt: sql<Date>`greatest(${users.updatedAt}, ${scimUsers.updatedAt})`.mapWith(users.updatedAt),
  userName: scimUsers.userName,
  externalId: scimUsers.externalId,
};

type AccountRow = {
  id: number;
  email: string;
  name: string;
  title: string;
  department: string;
  deactivatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  userName: string;
  externalId: string | null;
};

/**
 * Commons keeps one name; SCIM asks for its parts. The family name is read as the last word, the
 * given name as the rest: good enough for an identity provider that PATCHes one part (Entra's
 * `name.givenName`), which then replaces that part and keeps the other.
 */
export function nameParts(name: string): { givenName: string; familyName?: string } {
  const words = name.trim().split(/\s+/);
  if (words.length < 2) return { givenName: name.trim() };
  return { givenName: words.slice(0, -1).join(" "), familyName: words.at(-1)! };
}

/** An account as a SCIM User (scimmy formats it: schemas, meta.location, attribute selection). */
export function toScimUser(row: AccountRow): Record<string, unknown> {
  return {
    id: String(row.id),
    ...(row.externalId ? { externalId: row.externalId } : {}),
    userName: row.userName,
    name: { formatted: row.name, ...nameParts(row.name) },
    displayName: row.name,
    ...(row.title ? { title: row.title } : {}),
    active: row.deactivatedAt === null,
    emails: [{ value: row.email, type: "work", primary: true }],
    ...(row.department ? { [ENTERPRISE_USER]: { department: row.department } } : {}),
    meta: { resourceType: "User", created: row.createdAt, lastModified: row.updatedAt },
  };
}

const USER_FILTERS: FilterAttributes = {
  id: { expr: users.id, kind: "id" },
  userName: { expr: scimUsers.userName, kind: "ci-text" },
  externalId: { expr: scimUsers.externalId, kind: "text" },
  "emails.value": { expr: users.email, kind: "ci-text" },
  emails: { expr: users.email, kind: "ci-text" },
  displayName: { expr: users.name, kind: "ci-text" },
  "name.formatted": { expr: users.name, kind: "ci-text" },
  title: { expr: users.title, kind: "ci-text" },
  active: { expr: sql`(${users.deactivatedAt} is null)`, kind: "bool" },
  "meta.created": { expr: users.createdAt, kind: "time" },
  "meta.lastModified": { expr: sql`greatest(${users.updatedAt}, ${scimUsers.updatedAt})`, kind: "time" },
};

/** One page of SCIM users matching `filter`, in id order, and how many match in all. */
export async function listScimUsers(db: Db | Tx, filter: ReadonlyArray<unknown> | undefined, startIndex: number, countPerPage: number) {
  const where = filterCondition(filter, USER_FILTERS);
  const [rows, [total]] = await Promise.all([
    countPerPage === 0
      ? Promise.resolve([])
      : db
          .select(columns)
          .from(scimUsers)
          .innerJoin(users, eq(users.id, scimUsers.userId))
          .where(where)
          .orderBy(asc(users.id))
          .limit(countPerPage)
          .offset(startIndex - 1),
    db.select({ n: count() }).from(scimUsers).innerJoin(users, eq(users.id, scimUsers.userId)).where(where),
  ]);
  return { resources: rows.map(toScimUser), total: total?.n ?? 0 };
}

async function loadAccount(db: Db | Tx, id: string, lock = false): Promise<AccountRow & { role: string }> {
  const userId = idParam(id);
  if (Number.isNaN(userId)) throw notFound("User", id);
  const query = db.select(columns).from(scimUsers).innerJoin(users, eq(users.id, scimUsers.userId)).where(eq(users.id, userId)).limit(1);
  const [row] = lock ? await query.for("update", { of: [users, scimUsers] }) : await query;
  if (!row) throw notFound("User", id);
  return row;
}

export async function getScimUser(ctx: ScimContext, id: string) {
  return toScimUser(await loadAccount(ctx.db, id));
}

// ---- writing -----------------------------------------------------------------------------------

const EmailSchema = z.email();

function address(value: unknown, attribute: string): string {
  if (typeof value !== "string" || value.length > 254 || !EmailSchema.safeParse(value.trim()).success) throw invalidValue(`Attribute '${attribute}' must be an email address`);
  return value.trim().toLowerCase();
}

type Incoming = {
  userName: string;
  externalId: string | null;
  /** Candidates for the one name Commons keeps, in the order they are preferred. */
  displayName: string | null;
  formatted: string | null;
  composed: string | null;
  title: string | null;
  department: string | null;
  /** The address in `emails` (primary, else work, else first), or null when none was sent. */
  email: string | null;
  active: boolean | undefined;
};

/** Reads what scimmy validated against the User schema (types and required attributes are checked). */
function readIncoming(instance: Record<string, unknown>): Incoming {
  const userName = textAttribute("userName", instance.userName, 254);
  if (!userName) throw invalidValue("Attribute 'userName' is required: the person's work email address");
  const name = (instance.name ?? {}) as Record<string, unknown>;
  const given = textAttribute("name.givenName", name.givenName);
  const family = textAttribute("name.familyName", name.familyName);
  const emails = Array.isArray(instance.emails) ? (instance.emails as Array<Record<string, unknown>>) : [];
  const chosen = emails.find((e) => e.primary === true) ?? emails.find((e) => String(e.type ?? "").toLowerCase() === "work") ?? emails[0];
  const enterprise = (instance[ENTERPRISE_USER] ?? {}) as Record<string, unknown>;
  const externalId = instance.externalId === undefined || instance.externalId === null ? null : textAttribute("externalId", instance.externalId, 200);
  return {
    userName: userName.toLowerCase(),
    externalId,
    displayName: textAttribute("displayName", instance.displayName),
    formatted: textAttribute("name.formatted", name.formatted),
    composed: [given, family].filter(Boolean).join(" ") || null,
    title: textAttribute("title", instance.title),
    department: textAttribute("department", enterprise.department),
    email: chosen?.value === undefined ? null : address(chosen.value, "emails.value"),
    active: typeof instance.active === "boolean" ? instance.active : undefined,
  };
}

/**
 * The account's address. userName is the work email; an identity provider whose userName is not an
 * address (the RFC's "bjensen") must send one in `emails`. When both change, `emails` wins.
 */
function chooseEmail(input: Incoming, current?: { email: string; userName: string }): string {
  const fromUserName = EmailSchema.safeParse(input.userName).success ? input.userName : null;
  if (!current) {
    const email = input.email ?? fromUserName;
    if (!email) throw invalidValue("userName must be the person's work email address, or send the address in 'emails'");
    return email;
  }
  if (input.email && input.email !== current.email) return input.email;
  if (fromUserName && input.userName !== current.userName && fromUserName !== current.email) return fromUserName;
  return current.email;
}

/**
 * The name: on create and PUT, the first of displayName, name.formatted, givenName + familyName,
 * (or, on create, the address's local part). On PATCH, the first of them that differs from what
 * Commons answered before (the patched resource carries every part, and only one of them is new).
 */
function chooseName(input: Incoming, email: string, currentName?: string, patch = false): string {
  const candidates = [input.displayName, input.formatted, input.composed];
  if (currentName === undefined) return candidates.find(Boolean) ?? email.slice(0, email.indexOf("@")).slice(0, 100);
  if (!patch) return candidates.find(Boolean) ?? currentName;
  const parts = nameParts(currentName);
  const currentComposed = [parts.givenName, parts.familyName].filter(Boolean).join(" ");
  if (input.displayName && input.displayName !== currentName) return input.displayName;
  if (input.formatted && input.formatted !== currentName) return input.formatted;
  if (input.composed && input.composed !== currentComposed) return input.composed;
  return currentName;
}

async function assertUserNameFree(tx: Tx, userName: string, exceptUserId?: number) {
  const [taken] = await tx
    .select({ userId: scimUsers.userId })
    .from(scimUsers)
    .where(and(sql`lower(${scimUsers.userName}) = ${userName}`, exceptUserId ? ne(scimUsers.userId, exceptUserId) : undefined))
    .limit(1);
  if (taken) throw uniqueness(`userName ${userName} is already provisioned`);
}

/** Unique violations of a write become SCIM 409s naming what is taken. */
async function unique<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint === "users_email_key") throw uniqueness("Another Commons account already has this email address");
    if (constraint === "scim_users_external_key") throw uniqueness("Another user already has this externalId");
    if (constraint === "scim_users_pkey") throw uniqueness("This account is already provisioned");
    throw error;
  }
}

/**
 * POST /Users. A new address makes an employee account with no password (people sign in through
 * SSO) and a proven address. An address that already belongs to an employee account the provider
 * has not linked yet is linked, not refused: the provider is the company's directory, and people
 * keep their questions, answers and reputation. A customer's account is never turned into an
 * employee's (409). A pending password sign-up proved nothing and gives way, as at a first SSO login.
 */
export async function createScimUser(ctx: WriteContext, instance: Record<string, unknown>) {
  const { db: tx, now } = ctx;
  const input = readIncoming(instance);
  const email = chooseEmail(input);
  const name = chooseName(input, email);
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`scim-user:${email}`}))`);
  await assertUserNameFree(tx, input.userName);
  const [existing] = await tx
    .select({ id: users.id, kind: users.kind, emailVerifiedAt: users.emailVerifiedAt, linked: scimUsers.userId })
    .from(users)
    .leftJoin(scimUsers, eq(scimUsers.userId, users.id))
    .where(eq(users.email, email))
    .limit(1)
    .for("update", { of: users });
  if (existing?.linked) throw uniqueness(`A provisioned user already has the address ${email}`);
  if (existing?.kind === "customer") throw uniqueness(`${email} belongs to a customer account of the public forum; it can't become an employee's`);
  let userId: number;
  if (existing?.emailVerifiedAt) {
    userId = existing.id;
    await tx
      .update(users)
      .set({ name, title: input.title ?? "", department: input.department ?? "", updatedAt: now })
      .where(eq(users.id, userId));
  } else {
    if (existing) await tx.delete(users).where(and(eq(users.id, existing.id), isNull(users.emailVerifiedAt)));
    const [created] = await unique(() =>
      tx
        .insert(users)
        .values({ email, name, title: input.title ?? "", department: input.department ?? "", passwordHash: null, kind: "employee", role: "member", emailVerifiedAt: now })
        .returning({ id: users.id }),
    );
    userId = created!.id;
  }
  await unique(() => tx.insert(scimUsers).values({ userId, userName: input.userName, externalId: input.externalId }));
  await recordAudit(tx, {
    actorId: null,
    via: "scim",
    action: "scim.user_created",
    subjectUserId: userId,
    target: { type: "user", id: userId },
    details: { linked: Boolean(existing?.emailVerifiedAt) },
  });
  await enqueueIndexing(tx, "person", [userId]);
  const account = await loadAccount(tx, String(userId), true);
  // A linked account that was deactivated comes back only when the provider says it is active (the default).
  await setActive(ctx, account, input.active ?? true);
  return toScimUser(await loadAccount(tx, String(userId)));
}

/**
 * PUT /Users/:id, and every PATCH (scimmy applies the operations to what we answered, then hands
 * the whole result here). `active: false` deactivates the account as an admin does, ending every
 * session at once; `active: true` lets it sign in again.
 */
export async function replaceScimUser(ctx: WriteContext, id: string, instance: Record<string, unknown>) {
  const { db: tx, now } = ctx;
  const current = await loadAccount(tx, id, true);
  const input = readIncoming(instance);
  const email = chooseEmail(input, current);
  const name = chooseName(input, email, current.name, ctx.patch);
  if (input.userName !== current.userName) await assertUserNameFree(tx, input.userName, current.id);
  const profile = { email, name, title: input.title ?? "", department: input.department ?? "" };
  const changed = profile.email !== current.email || profile.name !== current.name || profile.title !== current.title || profile.department !== current.department;
  if (changed)
    await unique(() =>
      tx
        .update(users)
        .set({ ...profile, updatedAt: now })
        .where(eq(users.id, current.id)),
    );
  if (input.userName !== current.userName || input.externalId !== current.externalId) {
    await unique(() => tx.update(scimUsers).set({ userName: input.userName, externalId: input.externalId, updatedAt: now }).where(eq(scimUsers.userId, current.id)));
  }
  if (changed) await enqueueIndexing(tx, "person", [current.id]);
  // Which fields changed, never their values: the log names people by id only.
  const fields = [...(Object.keys(profile) as Array<keyof typeof profile>).filter((k) => profile[k] !== current[k]), ...(input.userName !== current.userName ? ["userName"] : [])];
  if (fields.length > 0)
    await recordAudit(tx, { actorId: null, via: "scim", action: "scim.user_updated", subjectUserId: current.id, target: { type: "user", id: current.id }, details: { fields } });
  if (input.active !== undefined) await setActive(ctx, current, input.active);
  return toScimUser(await loadAccount(tx, id));
}

/**
 * DELETE /Users/:id. Commons never deletes a person: their questions, answers and name stay, as
 * when an admin deactivates them. The account is deactivated (sessions end at once), it leaves its
 * SCIM groups (taking back what group rules gave), and it stops being a SCIM resource, so a GET
 * answers 404 as RFC 7644 §3.6 asks. Provisioning the address again links the same account.
 */
export async function deleteScimUser(ctx: WriteContext, id: string) {
  const tx = ctx.db;
  const account = await loadAccount(tx, id, true);
  await setActive(ctx, account, false);
  await tx.delete(scimGroupMembers).where(eq(scimGroupMembers.userId, account.id));
  const notes = await syncRuleGrants(tx, [account.id]);
  ctx.notes.keptLastAdmin.push(...notes.keptLastAdmin);
  await tx.delete(scimUsers).where(eq(scimUsers.userId, account.id));
}

/**
 * Deactivation does what an admin's does (app/features/users/admin-users.server.ts): the account is
 * marked, the people index is told, and every session ends in the same transaction. As there, the
 * last active admin can't be deactivated: Commons would be left with nobody to administer it.
 */
async function setActive(ctx: WriteContext, account: { id: number; role: string; deactivatedAt: Date | null }, active: boolean) {
  const tx = ctx.db;
  if (!active && !account.deactivatedAt && account.role === "admin") {
    const admins = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt), eq(users.kind, "employee")))
      .orderBy(asc(users.id))
      .for("update");
    if (!admins.some((a) => a.id !== account.id)) throw scimError(400, "mutability", "This is the last active admin of Commons: make someone else an admin before deactivating them");
  }
  await setAccountActive(tx, account, active, ctx.now);
  if (active === (account.deactivatedAt !== null)) {
    const action = active ? "scim.user_reactivated" : "scim.user_deactivated";
    await recordAudit(tx, { actorId: null, via: "scim", action, subjectUserId: account.id, target: { type: "user", id: account.id } });
  }
}

/** The SCIM users among `ids` (group members must be provisioned users). */
export async function provisionedAmong(db: Db | Tx, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: scimUsers.userId }).from(scimUsers).where(inArray(scimUsers.userId, ids));
  return new Set(rows.map((r) => r.id));
}
