import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { reputationEvents, wikiPages } from "#db/schema/index.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError } from "#app/lib/errors.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { loadPage } from "./access.server.ts";
import { REVIEW_INTERVALS, type VerifyInput } from "./governance-schemas.ts";
import { recordWikiReputation } from "./reputation.server.ts";
import { needsReview } from "./view.server.ts";

/**
 * Verification: an owner (or a moderator) vouches that a page is right, for a review interval;
 * past its review date the page "needs review" (readers see it, search ranks it lower and says so,
 * owners are told by the hourly review job in review.server.ts).
 *
 * Verifying earns the verifier a small ledger event, but only for real review work: when the page
 * was unverified or past its review date, and never twice for the same page within the shortest
 * review interval, so verifying, removing the verification and verifying again can't farm it.
 */

const DAY_MS = 24 * 3600 * 1000;
/** No second "page_verified" event for a page within this many days, however it was re-verified. */
const REWARD_GAP_DAYS = Math.min(...REVIEW_INTERVALS);

export async function verifyPage(db: Db, actor: Actor, pageId: number, input: VerifyInput, now = new Date()): Promise<{ reviewDueAt: Date; earned: number }> {
  return db.transaction(async (tx) => {
    const access = await loadPage(tx, actor, { pageId }, { forUpdate: true });
    if (!access.canManage) throw new ForbiddenError("Only the page's owners and the space's moderators verify it.");
    const { page } = access;
    const reviewDueAt = new Date(now.getTime() + input.intervalDays * DAY_MS);
    const dueForReview = page.verifiedAt === null || needsReview(page, now);
    await tx.update(wikiPages).set({ verifiedAt: now, verifiedById: actor.id, reviewIntervalDays: input.intervalDays, reviewDueAt, reviewNotifiedAt: null }).where(eq(wikiPages.id, page.id));
    // Search ranks verified pages higher and marks stale ones: the document follows.
    await enqueueIndexing(tx, "wiki_page", [page.id]);
    let earned = 0;
    if (dueForReview) {
      const [recent] = await tx
        .select({ id: reputationEvents.id })
        .from(reputationEvents)
        .where(
          and(
            eq(reputationEvents.itemId, page.itemId),
            eq(reputationEvents.reason, "page_verified"),
            isNull(reputationEvents.reversesEventId),
            gt(reputationEvents.createdAt, sql`${now.toISOString()}::timestamptz - make_interval(days => ${REWARD_GAP_DAYS})`),
          ),
        )
        .limit(1);
      if (!recent) {
        const event = await recordWikiReputation(tx, { userId: actor.id, reason: "page_verified", actorId: actor.id, itemId: page.itemId, spaceId: page.spaceId });
        earned = event.delta;
      }
    }
    return { reviewDueAt, earned };
  });
}

/** Removes a page's verification (owners and moderators): it is neither fresh nor due any more. */
export async function unverifyPage(db: Db, actor: Actor, pageId: number): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const access = await loadPage(tx, actor, { pageId }, { forUpdate: true });
    if (!access.canManage) throw new ForbiddenError("Only the page's owners and the space's moderators remove its verification.");
    if (access.page.verifiedAt === null) return { changed: false };
    await tx.update(wikiPages).set({ verifiedAt: null, verifiedById: null, reviewIntervalDays: null, reviewDueAt: null, reviewNotifiedAt: null }).where(eq(wikiPages.id, access.page.id));
    await enqueueIndexing(tx, "wiki_page", [access.page.id]);
    return { changed: true };
  });
}
