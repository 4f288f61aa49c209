import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { spaces } from "#db/schema/index.ts";
import { type Actor, canManageSpace, lockSpaceForActor, type Space, spaceBySlugForActor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError } from "#app/lib/errors.ts";

const FORBIDDEN = "Only this space's moderators and admins set its answer deadline.";

/**
 * A space's answer deadline (docs/routing.md): how many working hours a routed question waits
 * for an answer before it goes to the next people; none turns routing off. Set by the space's
 * moderators and admins, on the routing dashboard and the admin space page.
 */
export async function setAnswerDeadline(db: Db, actor: Actor, spaceId: number, hours: number | null): Promise<void> {
  await db.transaction(async (tx) => {
    const { space, membership } = await lockSpaceForActor(tx, actor, spaceId);
    if (!canManageSpace(actor, space, membership)) throw new ForbiddenError(FORBIDDEN);
    await tx
      .update(spaces)
      .set({ answerDeadlineHours: hours, updatedAt: sql`now()` })
      .where(eq(spaces.id, spaceId));
  });
}

/**
 * The space whose deadline `actor` may set, by its address: the 404 of a missing space for someone
 * who can't see it, a 403 for someone who sees it but does not moderate it (asked before the form
 * is read, so a member's bad input is no more than a refusal).
 */
export async function spaceForDeadline(db: Db, actor: Actor, slug: string): Promise<Space> {
  const { space, membership } = await spaceBySlugForActor(db, actor, slug);
  if (!canManageSpace(actor, space, membership)) throw new ForbiddenError(FORBIDDEN);
  return space;
}
