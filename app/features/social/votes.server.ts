import type { Db } from "#db/client.server.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { type ItemAccess, kindDefinition, loadItem, type VoteOutcome } from "./kinds.server.ts";
import { KIND_NOUNS } from "./kinds.ts";
import { type VoteChoice, voteValue } from "./vote-schema.ts";

/**
 * Votes on any item, whatever its kind: the kind casts them (its counters, budget and reputation in
 * one transaction, `KindDefinition.vote`). Kinds with "support" votes take up and none; a kind
 * without votes has nothing to vote on (404).
 */
export async function castItemVote(db: Db, actor: ReputationActor, itemId: number, choice: VoteChoice): Promise<VoteOutcome> {
  const access = await loadItem(db, actor, itemId);
  const definition = kindDefinition(access.kind);
  if (!definition.vote || !definition.features.votes) throw new NotFoundError(`A ${access.kind} takes no votes.`);
  if (definition.features.votes === "support" && choice === "down")
    throw new InputError(`You can vote for this ${KIND_NOUNS[access.kind]} or take your vote back; there are no votes against it.`);
  return definition.vote(db, actor, access.itemId, voteValue(choice));
}

/** Where a vote sends a browser without JavaScript back to, and how the refusal page names it. */
export async function votePage(db: Db, actor: ReputationActor, itemId: number): Promise<{ back: string; kind: ItemAccess["kind"]; votes: "up-down" | "support" | null }> {
  const access = await loadItem(db, actor, itemId, { allowDeleted: true });
  return { back: access.url, kind: access.kind, votes: kindDefinition(access.kind).features.votes };
}
