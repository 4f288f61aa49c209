import { and, count, eq, notInArray, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { campaignVoters, ideaOwners, ideaScores, ideas, votes } from "#db/schema/index.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { campaignPhase, type IdeaAccess, loadIdea } from "./access.server.ts";

/**
 * Voting on ideas: one vote per idea per person, and in a campaign with a budget at most N votes
 * per person on its live ideas. Votes on declined and merged ideas are returned: they no longer
 * count against the budget. The votes are rows of the social layer's `votes` (value +1, on the
 * idea's item); a campaign's votes are found by joining its ideas on their item.
 *
 * Lock order: the voter's campaign_voters row, then the campaign row (FOR SHARE, as every idea
 * write takes it; closing a campaign takes it FOR UPDATE and so waits for votes in flight), then
 * the idea row. Holding the voter's row while counting makes the budget check and the insert one
 * step for that person, however many requests they send at once.
 */

/** Statuses whose votes count against a budget (declined and merged ideas give their votes back). */
const RETURNED = ["declined", "merged"] as const;
/** Statuses that take votes. */
const VOTABLE = new Set(["submitted", "under_review", "accepted", "in_progress"]);

/** How many of a person's votes in a campaign are on ideas that still hold them. */
export async function votesUsed(db: Db | Tx, campaignId: number, userId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(votes)
    .innerJoin(ideas, eq(ideas.itemId, votes.itemId))
    .where(and(eq(ideas.campaignId, campaignId), eq(votes.userId, userId), notInArray(ideas.status, [...RETURNED])));
  return row?.n ?? 0;
}

/** The epoch of the trending sum: a vote's weight doubles every week after it (see `ideas.trending`). */
const TRENDING_EPOCH = "2026-01-01T00:00:00Z";
const WEEK_SECONDS = 7 * 24 * 3600;

/** Recounts an idea's votes and trending weight from its item's votes, inside the caller's transaction. */
export async function recountVotes(tx: Tx, ideaIds: readonly number[]): Promise<void> {
  for (const id of new Set(ideaIds)) {
    await tx.execute(sql`
      update ${ideas} set
        vote_count = (select count(*)::int from ${votes} v where v.item_id = ${ideas.itemId}),
        trending = (select coalesce(sum(power(2::float8, extract(epoch from (v.created_at - ${TRENDING_EPOCH}::timestamptz)) / ${WEEK_SECONDS})), 0)
                    from ${votes} v where v.item_id = ${ideas.itemId}),
        -- The search document carries the vote count: a new version lets the reconcile see it.
        updated_at = now()
      where id = ${id}`);
  }
  // Vote counts are in the search documents (sorting by votes).
  await enqueueIndexing(tx, "idea", ideaIds, { priority: 1 });
}

/**
 * Takes back what the idea's owners put into it as voters and evaluators (nobody votes for or
 * scores their own idea): their votes on it are deleted, which returns them to their budget
 * (`votesUsed` counts rows), and their scores go. For a co-owner who accepts and for owners who
 * arrive with a merged duplicate. The caller holds the idea's row and recounts its votes.
 */
export async function dropOwnersVotesAndScores(tx: Tx, ideaId: number): Promise<{ votesReturned: number }> {
  const owned = sql`(select ${ideaOwners.userId} from ${ideaOwners} where ${ideaOwners.ideaId} = ${ideaId} and ${ideaOwners.state} = 'accepted')`;
  const returned = await tx
    .delete(votes)
    .where(and(eq(votes.itemId, sql`(select ${ideas.itemId} from ${ideas} where ${ideas.id} = ${ideaId})`), sql`${votes.userId} in ${owned}`))
    .returning({ userId: votes.userId });
  await tx.delete(ideaScores).where(and(eq(ideaScores.ideaId, ideaId), sql`${ideaScores.evaluatorId} in ${owned}`));
  return { votesReturned: returned.length };
}

function refuseUnlessVotable(access: IdeaAccess, now: Date): void {
  const { campaign, idea } = access;
  const phase = campaignPhase(campaign, now);
  if (phase === "upcoming") throw new InputError("Voting opens when the campaign starts.");
  if (phase !== "open") throw new InputError("This campaign is closed: its votes are frozen.");
  if (idea.status === "declined") throw new InputError("This idea was declined, so it takes no votes; the votes it had were returned.");
  if (idea.status === "merged") throw new InputError("This idea was merged into another one: vote for that one instead.");
  if (!VOTABLE.has(idea.status)) throw new InputError("This idea is implemented: voting on it has ended.");
}

export type VoteResult = { voted: boolean; voteCount: number; votesLeft: number | null };

async function result(tx: Tx, access: IdeaAccess, actor: Actor, voted: boolean): Promise<VoteResult> {
  const [row] = await tx.select({ voteCount: ideas.voteCount }).from(ideas).where(eq(ideas.id, access.idea.id));
  const budget = access.campaign.voteBudget;
  return { voted, voteCount: row!.voteCount, votesLeft: budget === null ? null : Math.max(0, budget - (await votesUsed(tx, access.campaign.id, actor.id))) };
}

async function lockVoter(tx: Tx, campaignId: number, userId: number): Promise<void> {
  await tx.insert(campaignVoters).values({ campaignId, userId }).onConflictDoNothing();
  await tx
    .select({ userId: campaignVoters.userId })
    .from(campaignVoters)
    .where(and(eq(campaignVoters.campaignId, campaignId), eq(campaignVoters.userId, userId)))
    .for("update");
}

export async function castIdeaVote(db: Db, actor: Actor, ideaId: number, now = new Date()): Promise<VoteResult> {
  return db.transaction(async (tx) => {
    const peek = await loadIdea(tx, actor, ideaId);
    // The voter's row before the idea's: the lock order above.
    await lockVoter(tx, peek.campaign.id, actor.id);
    const access = await loadIdea(tx, actor, ideaId, { lock: true });
    refuseUnlessVotable(access, now);
    const [own] = await tx
      .select({ state: ideaOwners.state })
      .from(ideaOwners)
      .where(and(eq(ideaOwners.ideaId, ideaId), eq(ideaOwners.userId, actor.id), eq(ideaOwners.state, "accepted")));
    if (own) throw new InputError("You can't vote for your own idea.");
    const [existing] = await tx
      .select({ value: votes.value })
      .from(votes)
      .where(and(eq(votes.itemId, access.idea.itemId), eq(votes.userId, actor.id)));
    if (existing) return result(tx, access, actor, true);
    const budget = access.campaign.voteBudget;
    if (budget !== null && (await votesUsed(tx, access.campaign.id, actor.id)) >= budget) {
      throw new InputError(`You have used all ${budget} of your votes in this campaign. Take a vote back from another idea to vote for this one.`);
    }
    await tx.insert(votes).values({ itemId: access.idea.itemId, userId: actor.id, value: 1 });
    await recountVotes(tx, [ideaId]);
    return result(tx, access, actor, true);
  });
}

export async function retractIdeaVote(db: Db, actor: Actor, ideaId: number, now = new Date()): Promise<VoteResult> {
  return db.transaction(async (tx) => {
    const peek = await loadIdea(tx, actor, ideaId);
    await lockVoter(tx, peek.campaign.id, actor.id);
    const access = await loadIdea(tx, actor, ideaId, { lock: true });
    const [existing] = await tx
      .select({ value: votes.value })
      .from(votes)
      .where(and(eq(votes.itemId, access.idea.itemId), eq(votes.userId, actor.id)));
    if (!existing) return result(tx, access, actor, false);
    refuseUnlessVotable(access, now);
    await tx.delete(votes).where(and(eq(votes.itemId, access.idea.itemId), eq(votes.userId, actor.id)));
    await recountVotes(tx, [ideaId]);
    return result(tx, access, actor, false);
  });
}
