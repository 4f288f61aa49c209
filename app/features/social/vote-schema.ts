import { z } from "zod";

/**
 * The one vote protocol, for every kind that takes votes (`POST /items/:itemId/vote`): `value` is
 * up, down or none (retract). Kinds that count support (ideas) take up and none. Shared by the
 * route and the vote controls.
 */
export const VoteSchema = z.object({ value: z.enum(["up", "down", "none"], { error: "A vote is up, down or none." }) });
export type VoteChoice = z.output<typeof VoteSchema>["value"];

export function voteValue(choice: VoteChoice): 1 | -1 | 0 {
  return choice === "up" ? 1 : choice === "down" ? -1 : 0;
}

/** What the route answers a fetcher (`_fetcher=1`): the voter's vote, the item's score or count, and their budget left where there is one. */
export type VoteReply = { ok: true; myVote: 1 | -1 | 0; score: number; votesLeft?: number | null } | { ok: false; message: string };
