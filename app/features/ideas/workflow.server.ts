import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { follows, ideaEvents, ideaOwners, ideas, reputationEvents, tags, votes } from "#db/schema/index.ts";
import { type ReputationReason, recordReputation, reverseReputation } from "#app/features/reputation/ledger.server.ts";
import { getReputationRules } from "#app/features/reputation/rules.server.ts";
import { notify } from "#app/features/social/notify.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
// issue 21: webhook event
import { emitIdeaStatusChanged } from "#app/features/webhooks/build.server.ts";
import { type IdeaAccess, loadIdea } from "./access.server.ts";
import { ideaAudience } from "./audience.server.ts";
import { ACCEPTED_OR_LATER, type IdeaStatus, type MergeInput, REASON_MIN, STATUS_LABELS, type StatusInput } from "./schemas.ts";
import { dropOwnersVotesAndScores, recountVotes } from "./votes.server.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";

/**
 * The status workflow: submitted → under review → accepted → in progress → implemented, or
 * declined (with a public reason) or merged into another idea. Every change is one transaction:
 * the idea's status, an event on its timeline naming who and why, the owners' reputation, the
 * notifications to owners, voters and followers, and the search document.
 */

type Decision = { actorId: number; at: Date };

/**
 * Who decided each milestone the idea stands at: the status change that last brought it into
 * "accepted or later" (for `idea_accepted`) and into "implemented" (for `idea_implemented`).
 * Re-saving a status with a new reason, or moving between in progress and accepted, decides nothing.
 */
async function milestoneDecisions(tx: Tx, ideaId: number): Promise<Partial<Record<ReputationReason, Decision>>> {
  const events = await tx
    .select({ actorId: ideaEvents.actorId, fromStatus: ideaEvents.fromStatus, toStatus: ideaEvents.toStatus, at: ideaEvents.createdAt })
    .from(ideaEvents)
    .where(and(eq(ideaEvents.ideaId, ideaId), eq(ideaEvents.kind, "status")))
    .orderBy(desc(ideaEvents.id));
  const inRange = (status: IdeaStatus | null) => status !== null && ACCEPTED_OR_LATER.has(status);
  const accepted = events.find((e) => inRange(e.toStatus) && !inRange(e.fromStatus));
  const implemented = events.find((e) => e.toStatus === "implemented" && e.fromStatus !== "implemented");
  return {
    ...(accepted ? { idea_accepted: { actorId: accepted.actorId, at: accepted.at } } : {}),
    ...(implemented ? { idea_implemented: { actorId: implemented.actorId, at: implemented.at } } : {}),
  };
}

/**
 * Brings the ledger in line with an idea's status and owners: each owner holds `idea_accepted`
 * while the idea is accepted or further, and `idea_implemented` while it is implemented. A missing
 * event is recorded, one no longer deserved is reversed, so moving an idea back and forth never
 * pays twice. Call it after anything that changes the status or the owners.
 *
 * Nobody earns from their own decision (decision 007): the person who decided a milestone never
 * holds it; when they owned the idea, or had been invited to, at the time they decided, no owner
 * holds it; and owners who came in by a merge decided by one of the target's owners hold nothing.
 */
export async function settleIdeaReputation(tx: Tx, ideaId: number): Promise<number[]> {
  const [idea] = await tx.select({ itemId: ideas.itemId, status: ideas.status, spaceId: ideas.spaceId, tags: ideas.tags }).from(ideas).where(eq(ideas.id, ideaId));
  if (!idea) return [];
  const rows = await tx
    .select({ userId: ideaOwners.userId, state: ideaOwners.state, since: ideaOwners.createdAt, invitedById: ideaOwners.invitedById, mergedFromId: ideaOwners.mergedFromId })
    .from(ideaOwners)
    .where(eq(ideaOwners.ideaId, ideaId));
  const owners = rows.filter((o) => o.state === "accepted");
  const held = await tx
    .select({ id: reputationEvents.id, userId: reputationEvents.userId, reason: reputationEvents.reason })
    .from(reputationEvents)
    .where(
      and(
        eq(reputationEvents.itemId, idea.itemId),
        inArray(reputationEvents.reason, ["idea_accepted", "idea_implemented"]),
        isNull(reputationEvents.reversesEventId),
        sql`not exists (select 1 from ${reputationEvents} r where r.reverses_event_id = ${reputationEvents.id})`,
      ),
    );
  const reached: ReputationReason[] = [];
  if (ACCEPTED_OR_LATER.has(idea.status)) reached.push("idea_accepted");
  if (idea.status === "implemented") reached.push("idea_implemented");
  const decisions = reached.length > 0 ? await milestoneDecisions(tx, ideaId) : {};
  const ownerIds = new Set(owners.map((o) => o.userId));
  const mergedBySelf = new Set(owners.filter((o) => o.mergedFromId !== null && o.invitedById !== null && ownerIds.has(o.invitedById)).map((o) => o.userId));
  const deserves = (userId: number, reason: ReputationReason): boolean => {
    if (!reached.includes(reason)) return false;
    if (mergedBySelf.has(userId)) return false;
    // A status with no change on the timeline that reached it (rows written straight in SQL) pays as it always did.
    const decision = decisions[reason];
    if (!decision) return true;
    if (decision.actorId === userId) return false;
    return !rows.some((o) => o.userId === decision.actorId && o.since <= decision.at);
  };
  const changed = new Set<number>();
  // Reversals: events held for a milestone the idea no longer stands at, or that its owner no longer deserves.
  for (const event of held) {
    if (!deserves(event.userId, event.reason)) {
      await reverseReputation(tx, event.id);
      changed.add(event.userId);
    }
  }
  const missing = [...ownerIds].flatMap((userId) =>
    reached.filter((reason) => deserves(userId, reason) && !held.some((e) => e.userId === userId && e.reason === reason)).map((reason) => ({ userId, reason })),
  );
  if (missing.length > 0) {
    const rules = await getReputationRules(tx);
    const tagIds = idea.tags.length > 0 ? (await tx.select({ id: tags.id }).from(tags).where(inArray(tags.name, idea.tags))).map((t) => t.id) : [];
    for (const { userId, reason } of missing) {
      await recordReputation(tx, {
        userId,
        reason,
        delta: reason === "idea_accepted" ? rules.weights.ideaAccepted : rules.weights.ideaImplemented,
        // The decision that paid it, for whoever audits the ledger.
        actorId: decisions[reason]?.actorId ?? null,
        itemId: idea.itemId,
        spaceId: idea.spaceId,
        tagIds,
        countsTowardCap: false,
        rules,
      });
      changed.add(userId);
    }
  }
  if (changed.size > 0) await enqueueIndexing(tx, "person", changed, { priority: 1 });
  return [...changed];
}

export async function changeIdeaStatus(db: Db, actor: Actor, ideaId: number, input: StatusInput): Promise<{ status: StatusInput["status"] }> {
  return db.transaction(async (tx) => {
    const { idea, canManage } = await loadIdea(tx, actor, ideaId, { lock: true });
    if (!canManage) throw new ForbiddenError("Only the campaign's sponsor and moderators decide on ideas.");
    if (idea.status === "merged") throw new InputError("This idea was merged into another one; decide on that one.");
    const reason = input.reason.trim();
    if (input.status === "declined" && reason.length < REASON_MIN) {
      throw InputError.field("reason", `Tell the owners and voters why it was declined (at least ${REASON_MIN} characters): everyone who voted will read it.`);
    }
    if (idea.status === input.status && idea.statusReason === reason) throw InputError.field("status", `The idea is ${STATUS_LABELS[input.status].toLowerCase()} already.`);
    await tx
      .update(ideas)
      .set({ status: input.status, statusReason: reason, statusChangedAt: sql`now()` })
      .where(eq(ideas.id, ideaId));
    await tx.insert(ideaEvents).values({ ideaId, kind: "status", actorId: actor.id, fromStatus: idea.status, toStatus: input.status, reason });
    const details = { from: idea.status, to: input.status, ...(reason ? { reason } : {}) };
    await recordAudit(tx, { actorId: actor.id, action: "idea.status_changed", subjectUserId: idea.authorId, target: { type: "idea", id: idea.itemId }, spaceId: idea.spaceId, details });
    await settleIdeaReputation(tx, ideaId);
    await notify(tx, await ideaAudience(tx, idea), { kind: "idea_status", actorId: actor.id, spaceId: idea.spaceId, itemId: idea.itemId });
    await enqueueIndexing(tx, "idea", [ideaId]);
    // issue 21: webhook event (a new reason alone, same status, is no status change)
    if (idea.status !== input.status) await emitIdeaStatusChanged(tx, { ideaId, spaceId: idea.spaceId, from: idea.status, to: input.status, actorId: actor.id });
    return { status: input.status };
  });
}

/**
 * Merges a duplicate into another idea of the same campaign. The duplicate's votes move to the
 * target; someone who voted for both keeps one vote and gets the other back, as does a target's
 * owner who voted for the duplicate. The duplicate's owners become owners of the target (credited
 * "via merge") and get back any vote they had given it; its followers follow the target, and its
 * page and comments stay readable with a link to where it went.
 */
export async function mergeIdea(db: Db, actor: Actor, sourceId: number, input: MergeInput): Promise<{ targetId: number }> {
  return db.transaction(async (tx) => {
    if (sourceId === input.targetId) throw InputError.field("targetId", "An idea cannot be merged into itself.");
    // Both ideas locked in id order, so two merges of the same pair never wait on each other in a circle.
    const [first, second] = sourceId < input.targetId ? [sourceId, input.targetId] : [input.targetId, sourceId];
    const lockedFirst = await loadIdea(tx, actor, first, { lock: true }).catch(notFoundAsField(first === input.targetId));
    const lockedSecond = await loadIdea(tx, actor, second, { lock: true }).catch(notFoundAsField(second === input.targetId));
    const source = first === sourceId ? lockedFirst : lockedSecond;
    const target = first === sourceId ? lockedSecond : lockedFirst;
    if (!source.canManage) throw new ForbiddenError("Only the campaign's sponsor and moderators merge ideas.");
    if (source.idea.status === "merged") throw new InputError("This idea was merged already.");
    if (target.idea.campaignId !== source.idea.campaignId) throw InputError.field("targetId", "Ideas merge only within one campaign: that idea belongs to another.");
    if (target.idea.status === "merged") throw InputError.field("targetId", `That idea was itself merged into #${target.idea.mergedIntoId}: merge into that one.`);
    const audience = await ideaAudience(tx, source.idea);
    const [sourceItem, targetItem] = [source.idea.itemId, target.idea.itemId];

    // Votes: drop the duplicate's votes by people who voted for the target or own it, move the rest.
    await tx.execute(sql`
      delete from ${votes} v
      where v.item_id = ${sourceItem}
        and (exists (select 1 from ${votes} t where t.item_id = ${targetItem} and t.user_id = v.user_id)
             or exists (select 1 from ${ideaOwners} o where o.idea_id = ${target.idea.id} and o.user_id = v.user_id and o.state = 'accepted'))`);
    await tx.update(votes).set({ itemId: targetItem }).where(eq(votes.itemId, sourceItem));
    // Owners of the duplicate are credited on the target; its followers follow the target.
    await tx.execute(sql`
      insert into ${ideaOwners} (idea_id, user_id, state, invited_by_id, merged_from_id)
      select ${target.idea.id}, o.user_id, 'accepted', ${actor.id}, ${sourceId} from ${ideaOwners} o
      where o.idea_id = ${sourceId} and o.state = 'accepted'
      on conflict (idea_id, user_id) do update set state = 'accepted'`);
    // They now own the target: their votes for it come back to them, their scores of it go.
    await dropOwnersVotesAndScores(tx, target.idea.id);
    await tx.execute(sql`
      insert into ${follows} (user_id, item_id) select f.user_id, ${targetItem} from ${follows} f where f.item_id = ${sourceItem}
      on conflict do nothing`);
    const reason = input.reason.trim();
    await tx
      .update(ideas)
      .set({ status: "merged", mergedIntoId: target.idea.id, statusReason: reason, statusChangedAt: sql`now()` })
      .where(eq(ideas.id, sourceId));
    await tx.insert(ideaEvents).values([
      { ideaId: sourceId, kind: "status", actorId: actor.id, fromStatus: source.idea.status, toStatus: "merged", reason, otherIdeaId: target.idea.id },
      { ideaId: target.idea.id, kind: "merged_in", actorId: actor.id, reason, otherIdeaId: sourceId },
    ]);
    await recountVotes(tx, [sourceId, target.idea.id]);
    await settleIdeaReputation(tx, sourceId);
    await settleIdeaReputation(tx, target.idea.id);
    await notify(tx, audience, { kind: "idea_status", actorId: actor.id, spaceId: source.idea.spaceId, itemId: sourceItem });
    await enqueueIndexing(tx, "idea", [sourceId, target.idea.id]);
    // issue 21: webhook event (merging is the duplicate's change of status to "merged")
    await emitIdeaStatusChanged(tx, { ideaId: sourceId, spaceId: source.idea.spaceId, from: source.idea.status, to: "merged", actorId: actor.id });
    const details = { from: source.idea.status, to: "merged", into: target.idea.id, ...(reason ? { reason } : {}) };
    await recordAudit(tx, {
      actorId: actor.id,
      action: "idea.status_changed",
      subjectUserId: source.idea.authorId,
      target: { type: "idea", id: sourceItem },
      spaceId: source.idea.spaceId,
      details,
    });
    return { targetId: target.idea.id };
  });
}

/** A target idea that is hidden or missing is a mistake in the form, not a missing page. */
function notFoundAsField(isTarget: boolean) {
  return (error: unknown): IdeaAccess => {
    if (isTarget && error instanceof NotFoundError) throw InputError.field("targetId", "There is no idea with that number in this campaign.");
    throw error;
  };
}
