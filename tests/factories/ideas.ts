import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { ideas } from "#db/schema/index.ts";

export { createCampaign, createIdea, dayFromToday } from "#db/factories/ideas.ts";

/** An idea's item in the social layer: what comments, votes, follows and revisions name. */
export async function ideaItemId(db: Db, ideaId: number): Promise<number> {
  const [row] = await db.select({ itemId: ideas.itemId }).from(ideas).where(eq(ideas.id, ideaId));
  if (!row) throw new Error(`No idea ${ideaId}`);
  return row.itemId;
}
