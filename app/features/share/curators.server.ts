import { asc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db, Tx } from "#db/client.server.ts";
import { shareCurators, users } from "#db/schema/index.ts";
import { usersByHandle } from "#app/features/notifications/mentions.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError } from "#app/lib/errors.ts";
import type { CuratorSchema } from "./schemas.ts";

/**
 * Who curates share kits: admins, and the communications staff admins name in `share_curators`.
 * Everyone else (every active employee) reads kits and gets their own links.
 */

export const NOT_A_CURATOR = "Share kits are curated by communications staff. Ask an admin to name you a curator.";

export async function canCurate(db: Db | Tx, actor: Actor): Promise<boolean> {
  if (actor.role === "admin") return true;
  const [row] = await db.select({ userId: shareCurators.userId }).from(shareCurators).where(eq(shareCurators.userId, actor.id));
  return row !== undefined;
}

export async function requireCurator(db: Db | Tx, actor: Actor): Promise<void> {
  if (!(await canCurate(db, actor))) throw new ForbiddenError(NOT_A_CURATOR);
}

export type Curator = { id: number; name: string; title: string; email: string; since: Date };

/** The named curators (admins curate without a row), active ones first by name. */
export async function listCurators(db: Db): Promise<Curator[]> {
  return db
    .select({ id: users.id, name: users.name, title: users.title, email: users.email, since: shareCurators.createdAt })
    .from(shareCurators)
    .innerJoin(users, eq(users.id, shareCurators.userId))
    .orderBy(sql`${users.deactivatedAt} is not null`, asc(users.name));
}

/** Names an active employee (by handle) a curator; naming one twice changes nothing. */
export async function addCurator(db: Db, actor: Actor, input: z.output<typeof CuratorSchema>): Promise<{ name: string; added: boolean }> {
  if (actor.role !== "admin") throw new ForbiddenError("Only admins name curators.");
  return db.transaction(async (tx) => {
    const handle = input.person.replace(/^@/, "").toLowerCase();
    const userId = (await usersByHandle(tx, [handle])).get(handle);
    if (userId === undefined) throw InputError.field("person", `No one active goes by @${handle.slice(0, 60)}: use a colleague's handle, the part of their email before the @.`);
    const [person] = await tx.select({ name: users.name }).from(users).where(eq(users.id, userId));
    const added = await tx.insert(shareCurators).values({ userId }).onConflictDoNothing().returning({ userId: shareCurators.userId });
    return { name: person!.name, added: added.length > 0 };
  });
}

export async function removeCurator(db: Db, actor: Actor, userId: number): Promise<boolean> {
  if (actor.role !== "admin") throw new ForbiddenError("Only admins name curators.");
  const removed = await db.delete(shareCurators).where(eq(shareCurators.userId, userId)).returning({ userId: shareCurators.userId });
  return removed.length > 0;
}
