import { eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { mailPreferences } from "#db/schema/index.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { CATEGORIES, CATEGORY_INFO, type Cadence, type Category, type Preferences, withDefaults } from "./categories.ts";
import type { MailPreferencesInput } from "./schemas.ts";

/** One person's choices, defaults filled in. */
export async function preferencesOf(db: Db | Tx, userId: number): Promise<Preferences> {
  const rows = await db.select({ category: mailPreferences.category, cadence: mailPreferences.cadence }).from(mailPreferences).where(eq(mailPreferences.userId, userId));
  return withDefaults(rows);
}

/** Many people's choices in one query (the mailers' batches). */
export async function preferencesOfMany(db: Db | Tx, userIds: readonly number[]): Promise<Map<number, Preferences>> {
  const ids = [...new Set(userIds)];
  const rows = ids.length
    ? await db
        .select({ userId: mailPreferences.userId, category: mailPreferences.category, cadence: mailPreferences.cadence })
        .from(mailPreferences)
        .where(inArray(mailPreferences.userId, ids))
    : [];
  return new Map(ids.map((id) => [id, withDefaults(rows.filter((r) => r.userId === id))]));
}

/**
 * Saves every category at once. A row is kept only where the choice differs from the default, so
 * a later change of a default reaches everyone who never chose otherwise. One transaction.
 */
export async function saveMailPreferences(db: Db, actor: Actor, input: MailPreferencesInput): Promise<void> {
  if (actor.kind !== "employee" || actor.deactivatedAt) throw new NotFoundError();
  await db.transaction(async (tx) => {
    await tx.delete(mailPreferences).where(eq(mailPreferences.userId, actor.id));
    const chosen = CATEGORIES.filter((c) => input[c] !== CATEGORY_INFO[c].defaultCadence).map((c) => ({ userId: actor.id, category: c, cadence: input[c] }));
    if (chosen.length) await tx.insert(mailPreferences).values(chosen);
  });
}

/** Sets some categories of one person to one cadence (unsubscribing: "never"), leaving the rest. */
export async function setCadence(db: Db | Tx, userId: number, categories: readonly Category[], cadence: Cadence): Promise<void> {
  if (categories.length === 0) return;
  await db
    .insert(mailPreferences)
    .values(categories.map((category) => ({ userId, category, cadence })))
    .onConflictDoUpdate({ target: [mailPreferences.userId, mailPreferences.category], set: { cadence, updatedAt: sql`now()` } });
}
