import type { Db, Tx } from "#db/client.server.ts";
import { companyValues } from "#db/schema/index.ts";

let sequence = 0;

/** A company value ("#craft-1"), as admins keep them. */
export async function createValue(db: Db | Tx, attrs: { name?: string; emoji?: string; description?: string } = {}) {
  sequence += 1;
  const [row] = await db
    .insert(companyValues)
    .values({ name: attrs.name ?? `Craft ${sequence}`, emoji: attrs.emoji ?? "🛠️", description: attrs.description ?? "We care about doing it well.", position: sequence })
    .returning();
  return row!;
}
