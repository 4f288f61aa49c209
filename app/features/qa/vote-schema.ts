import { z } from "zod";

/** The vote form: `value` is up, down or none (retract). Shared by the route and the controls. */
export const VoteSchema = z.object({ value: z.enum(["up", "down", "none"]) });
export type VoteChoice = z.output<typeof VoteSchema>["value"];

export function voteValue(choice: VoteChoice): 1 | -1 | 0 {
  return choice === "up" ? 1 : choice === "down" ? -1 : 0;
}
