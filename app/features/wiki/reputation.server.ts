import type { Tx } from "#db/client.server.ts";
import { recordReputation } from "#app/features/reputation/ledger.server.ts";
import { getReputationRules } from "#app/features/reputation/rules.server.ts";

/** The wiki's reputation events, each with the weight it earns. */
const WEIGHTS = { edit_approved: "editApproved", page_verified: "pageVerified", answer_promoted: "answerPromoted" } as const;

/**
 * Records one of the wiki's reputation events (an approved suggestion, a verification, a promoted
 * answer) at its weight now, in the caller's transaction. None of them counts toward the daily cap.
 * Whether it is earned at all is the caller's rule.
 */
export async function recordWikiReputation(
  tx: Tx,
  input: { userId: number; reason: keyof typeof WEIGHTS; actorId: number; itemId: number; spaceId: number; tagIds?: readonly number[] },
): Promise<{ id: number; delta: number }> {
  const rules = await getReputationRules(tx);
  return recordReputation(tx, { ...input, delta: rules.weights[WEIGHTS[input.reason]], tagIds: input.tagIds ?? [], countsTowardCap: false, rules });
}
