import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { users, wikiPageOwners, wikiPages } from "#db/schema/index.ts";
import { usersByHandle } from "#app/features/notifications/mentions.server.ts";
import { followInTx } from "#app/features/social/follows.server.ts";
import { type Actor, userSeesSpaceSql } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError } from "#app/lib/errors.ts";
import { idParam } from "#app/lib/ids.ts";
import { loadPage, type PageAccess } from "./access.server.ts";
import type { AddOwnerInput } from "./governance-schemas.ts";
import { wikiPageUrl } from "./page-url.ts";

/**
 * A page's owners: they verify it, review its suggested edits and hear when its review is due.
 * Owners and moderators of the space manage them. A page always keeps at least one owner, so
 * someone is always answerable for it; the page's row is locked while owners change, so two people
 * removing the last two owners at once can't leave it with none.
 */

export type Owner = { id: number; name: string; title: string; deactivated: boolean };

export async function ownersOf(db: Db | Tx, pageId: number): Promise<Owner[]> {
  const rows = await db
    .select({ id: users.id, name: users.name, title: users.title, deactivatedAt: users.deactivatedAt })
    .from(wikiPageOwners)
    .innerJoin(users, eq(users.id, wikiPageOwners.userId))
    .where(eq(wikiPageOwners.pageId, pageId))
    .orderBy(asc(wikiPageOwners.createdAt), asc(users.id));
  return rows.map((r) => ({ id: r.id, name: r.name, title: r.title, deactivated: r.deactivatedAt !== null }));
}

/** The owners screen: the page, its owners and what the reader may change. */
export async function pageOwnersView(db: Db, actor: Actor, pageId: number) {
  const access = await loadPage(db, actor, { pageId });
  const owners = await ownersOf(db, access.page.id);
  return {
    page: { id: access.page.id, title: access.page.title, url: wikiPageUrl(access.page), protected: access.page.protected },
    space: { slug: access.space.slug, name: access.space.name, wikiProtected: access.space.wikiProtected },
    owners,
    permissions: { canManage: access.canManage, isOwner: access.isOwner },
  };
}

function requireManager(access: PageAccess, what: string): void {
  if (!access.canManage) throw new ForbiddenError(`Only the page's owners and the space's moderators ${what}.`);
}

/**
 * The active employee `person` names (a handle, or the id the autocomplete filled in) who may see
 * the page's space, or a message for the form saying who is wrong and why.
 */
async function ownerCandidate(tx: Tx, person: string, spaceId: number): Promise<{ id: number; name: string }> {
  let userId: number | undefined;
  const asId = idParam(person);
  if (!Number.isNaN(asId)) userId = asId;
  else userId = (await usersByHandle(tx, [person])).get(person);
  const unknown = () => InputError.field("person", `No one active goes by @${person.slice(0, 60)}: use a colleague's handle, the part of their email before the @.`);
  if (userId === undefined) throw unknown();
  const [row] = await tx.execute<{ id: number; name: string; active: boolean; sees: boolean }>(sql`
    select u.id, u.name, (u.kind = 'employee' and u.deactivated_at is null and u.email_verified_at is not null) as active, ${userSeesSpaceSql} as sees
    from users u join spaces s on s.id = ${spaceId}
    where u.id = ${userId}`);
  if (!row || !row.active) throw unknown();
  if (!row.sees) throw InputError.field("person", `${row.name} can't see this space, so they can't own its pages. Add them to the space first.`);
  return { id: row.id, name: row.name };
}

/** Adds an owner (who then follows the page, as its writer does). Adding someone who owns it already changes nothing. */
export async function addOwner(db: Db, actor: Actor, pageId: number, input: AddOwnerInput): Promise<{ added: boolean; name: string }> {
  return db.transaction(async (tx) => {
    const access = await loadPage(tx, actor, { pageId }, { forUpdate: true });
    requireManager(access, "add owners");
    const person = await ownerCandidate(tx, input.person, access.page.spaceId);
    const inserted = await tx.insert(wikiPageOwners).values({ pageId: access.page.id, userId: person.id }).onConflictDoNothing().returning({ userId: wikiPageOwners.userId });
    if (inserted.length > 0) await followInTx(tx, person.id, access.page.itemId);
    return { added: inserted.length > 0, name: person.name };
  });
}

/** Removes an owner; the last one stays (a page always has someone answerable for it). */
export async function removeOwner(db: Db, actor: Actor, pageId: number, userId: number): Promise<{ removed: boolean }> {
  return db.transaction(async (tx) => {
    const access = await loadPage(tx, actor, { pageId }, { forUpdate: true });
    requireManager(access, "remove owners");
    const owners = await tx.select({ userId: wikiPageOwners.userId }).from(wikiPageOwners).where(eq(wikiPageOwners.pageId, access.page.id));
    if (!owners.some((o) => o.userId === userId)) return { removed: false };
    if (owners.length === 1) throw new InputError("A page needs at least one owner: add another owner before removing this one.");
    await tx.delete(wikiPageOwners).where(and(eq(wikiPageOwners.pageId, access.page.id), eq(wikiPageOwners.userId, userId)));
    return { removed: true };
  });
}

/**
 * Protects a page (edits by anyone but its owners and moderators become suggested edits) or lifts
 * it. Owners and moderators only. A space's whole wiki is protected from the space's queue
 * (`setSpaceWikiProtection`).
 */
export async function setPageProtection(db: Db, actor: Actor, pageId: number, value: boolean): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const access = await loadPage(tx, actor, { pageId }, { forUpdate: true });
    requireManager(access, value ? "protect it" : "lift its protection");
    if (access.page.protected === value) return { changed: false };
    await tx.update(wikiPages).set({ protected: value }).where(eq(wikiPages.id, access.page.id));
    return { changed: true };
  });
}
