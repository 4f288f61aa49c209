import { z } from "zod";

/** The form on HR's dashboard that starts a run now, over one of these windows (in days). */
export const RECOMPUTE_WINDOWS = [30, 90, 180, 365] as const;

export const RecomputeSchema = z.object({
  intent: z.literal("recompute", { error: "Unknown action." }),
  windowDays: z.enum(RECOMPUTE_WINDOWS.map(String) as [string, ...string[]], { error: "Pick one of the windows offered." }).transform(Number),
});
export type RecomputeInput = z.output<typeof RecomputeSchema>;
