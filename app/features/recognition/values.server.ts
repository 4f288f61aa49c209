import { and, asc, eq, isNull, ne, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { companyValues } from "#db/schema/index.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import type { ValueInput } from "./kudos-schemas.ts";
import { intArray } from "#db/sql-params.ts";

/**
 * The company's values ("Customer first", "Craft"), chosen on every kudos. Admins keep the list:
 * names are unique whatever their case; an archived value stays on the kudos that carry it (and in
 * feed filters) but is no longer offered on the give form. The order is the admin's (`position`).
 */

export type CompanyValue = { id: number; name: string; emoji: string; description: string; archived: boolean; kudosCount: number };

function requireAdmin(actor: Actor): void {
  if (actor.role !== "admin" || actor.kind !== "employee" || actor.deactivatedAt) throw new ForbiddenError("Only admins manage the company's values.");
}

/** The values people may choose now, in the admin's order. */
export async function activeValues(db: Db | Tx): Promise<Array<Omit<CompanyValue, "archived" | "kudosCount">>> {
  return db
    .select({ id: companyValues.id, name: companyValues.name, emoji: companyValues.emoji, description: companyValues.description })
    .from(companyValues)
    .where(isNull(companyValues.archivedAt))
    .orderBy(asc(companyValues.position), asc(companyValues.id));
}

/** Every value, archived ones last, with how many kudos carry each (the admin's list). One query. */
export async function allValues(db: Db | Tx): Promise<CompanyValue[]> {
  const rows = await db
    .select({
      id: companyValues.id,
      name: companyValues.name,
      emoji: companyValues.emoji,
      description: companyValues.description,
      archived: sql<boolean>`${companyValues.archivedAt} is not null`,
      // Spelled out: drizzle leaves a one-table select's columns unqualified, and "id" would be the kudos's.
      kudosCount: sql<number>`(select count(*) from kudos k where k.value_id = company_values.id and k.deleted_at is null)::int`,
    })
    .from(companyValues)
    .orderBy(sql`${companyValues.archivedAt} is not null`, asc(companyValues.position), asc(companyValues.id));
  return rows;
}

/** Values for the feeds' filter: the active ones, and archived ones too since old kudos carry them. */
export async function filterValues(db: Db | Tx): Promise<Array<{ id: number; name: string; emoji: string; archived: boolean }>> {
  return db
    .select({ id: companyValues.id, name: companyValues.name, emoji: companyValues.emoji, archived: sql<boolean>`${companyValues.archivedAt} is not null` })
    .from(companyValues)
    .orderBy(sql`${companyValues.archivedAt} is not null`, asc(companyValues.position), asc(companyValues.id));
}

const NAME_TAKEN = "Another value already has this name.";

/** A unique-index violation on the lower-cased name becomes the message the form shows. */
async function uniqueName<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; constraint_name?: string } }).cause ?? (error as { code?: string; constraint_name?: string });
    if (cause?.code === "23505" && cause.constraint_name === "company_values_name_key") throw InputError.field("name", NAME_TAKEN);
    throw error;
  }
}

export async function createCompanyValue(db: Db, actor: Actor, input: ValueInput): Promise<{ id: number }> {
  requireAdmin(actor);
  return db.transaction(async (tx) => {
    // New values go last; the lock keeps two admins adding at once from sharing a position.
    await tx.execute(sql`lock table ${companyValues} in share row exclusive mode`);
    const [clash] = await tx
      .select({ id: companyValues.id })
      .from(companyValues)
      .where(sql`lower(${companyValues.name}) = lower(${input.name})`);
    if (clash) throw InputError.field("name", NAME_TAKEN);
    const [row] = await uniqueName(() =>
      tx
        .insert(companyValues)
        .values({ ...input, position: sql`(select coalesce(max(position), 0) + 1 from company_values)` })
        .returning({ id: companyValues.id }),
    );
    return { id: row!.id };
  });
}

export async function updateCompanyValue(db: Db, actor: Actor, valueId: number, input: ValueInput): Promise<void> {
  requireAdmin(actor);
  if (!isRowId(valueId)) throw new NotFoundError();
  const [clash] = await db
    .select({ id: companyValues.id })
    .from(companyValues)
    .where(and(sql`lower(${companyValues.name}) = lower(${input.name})`, ne(companyValues.id, valueId)));
  if (clash) throw InputError.field("name", NAME_TAKEN);
  const updated = await uniqueName(() =>
    db
      .update(companyValues)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(companyValues.id, valueId))
      .returning({ id: companyValues.id }),
  );
  if (updated.length === 0) throw new NotFoundError();
}

/** Archives (or brings back) a value: kudos keep it either way; the give form offers only active ones. */
export async function setValueArchived(db: Db, actor: Actor, valueId: number, archived: boolean): Promise<void> {
  requireAdmin(actor);
  if (!isRowId(valueId)) throw new NotFoundError();
  const updated = await db
    .update(companyValues)
    .set({ archivedAt: archived ? sql`coalesce(${companyValues.archivedAt}, now())` : null, updatedAt: new Date() })
    .where(eq(companyValues.id, valueId))
    .returning({ id: companyValues.id });
  if (updated.length === 0) throw new NotFoundError();
}

/**
 * Moves a value one place up or down among the active ones (the order of the give form): it swaps
 * positions with its neighbour. Positions are renumbered 1..n first, so ties from old data or
 * concurrent inserts never make a move do nothing.
 */
export async function moveCompanyValue(db: Db, actor: Actor, valueId: number, direction: "up" | "down"): Promise<void> {
  requireAdmin(actor);
  if (!isRowId(valueId)) throw new NotFoundError();
  await db.transaction(async (tx) => {
    await tx.execute(sql`lock table ${companyValues} in share row exclusive mode`);
    const rows = await tx.select({ id: companyValues.id }).from(companyValues).where(isNull(companyValues.archivedAt)).orderBy(asc(companyValues.position), asc(companyValues.id));
    const order = rows.map((r) => r.id);
    const at = order.indexOf(valueId);
    if (at === -1) throw new NotFoundError();
    const to = direction === "up" ? at - 1 : at + 1;
    if (to < 0 || to >= order.length) return;
    [order[at], order[to]] = [order[to]!, order[at]!];
    await tx.execute(sql`
      update ${companyValues} v set position = o.position
      from unnest(${intArray(order)}) with ordinality as o(id, position)
      where v.id = o.id`);
  });
}
