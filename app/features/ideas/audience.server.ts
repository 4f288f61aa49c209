import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { ideaOwners, votes } from "#db/schema/index.ts";
import { itemFollowers } from "#app/features/social/follows.server.ts";

/**
 * Who hears about an idea. Apart from ideas.server.ts and workflow.server.ts, which both tell
 * these people about changes, so neither has to import the other.
 */

/** The idea's owners who accepted (people only invited are not told yet). */
export async function acceptedOwnerIds(tx: Db | Tx, ideaId: number): Promise<number[]> {
  const rows = await tx
    .select({ userId: ideaOwners.userId })
    .from(ideaOwners)
    .where(and(eq(ideaOwners.ideaId, ideaId), eq(ideaOwners.state, "accepted")));
  return rows.map((r) => r.userId);
}

/** Everyone a change to an idea is news for: its owners, voters and followers. */
export async function ideaAudience(tx: Db | Tx, idea: { id: number; itemId: number }): Promise<number[]> {
  const [owners, voters, following] = await Promise.all([
    acceptedOwnerIds(tx, idea.id),
    tx.select({ userId: votes.userId }).from(votes).where(eq(votes.itemId, idea.itemId)),
    itemFollowers(tx, idea.itemId),
  ]);
  return [...new Set([...owners, ...voters.map((v) => v.userId), ...following])];
}
