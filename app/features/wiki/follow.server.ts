import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { follows } from "#db/schema/index.ts";
import { type Actor, spaceBySlugForActor } from "#app/features/spaces/visibility.server.ts";

/**
 * Following a space's wiki: every page created or changed in it reaches the follower's inbox
 * (pages.server.ts names them among a change's audience). Anyone who sees the space may follow
 * its wiki; a space they don't see is the same 404 as a missing one. A page is followed through
 * the shared `POST /items/:itemId/follow` instead.
 */
export async function setWikiFollowing(db: Db, actor: Actor, spaceSlug: string, following: boolean): Promise<{ following: boolean }> {
  const { space } = await spaceBySlugForActor(db, actor, spaceSlug);
  if (following) {
    await db.insert(follows).values({ userId: actor.id, wikiSpaceId: space.id }).onConflictDoNothing();
  } else {
    await db.delete(follows).where(and(eq(follows.userId, actor.id), eq(follows.wikiSpaceId, space.id)));
  }
  return { following };
}
