import { z } from "zod";
import { idField } from "#app/lib/ids.ts";

/**
 * The claim form on Admin → People → an imported profile. First the admin types whose account it
 * is (review); then they confirm, and the account's id travels back in a hidden field.
 */
export const ClaimReviewSchema = z.object({
  account: z.string({ error: "Type the person's email address or name" }).trim().min(1, "Type the person's email address or name").max(200, "That is longer than any email or name here"),
});

export const ClaimSchema = ClaimReviewSchema.extend({
  accountUserId: idField("Choose the account again"),
});

/** "1 question, 12 answers, 30 comments and 1,234 reputation": what a claim moves, in words. */
export function claimSummaryText(summary: { questions: number; answers: number; comments: number; reputation: number }): string {
  const count = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
  const parts = [count(summary.questions, "question", "questions"), count(summary.answers, "answer", "answers"), count(summary.comments, "comment", "comments")];
  return `${parts.join(", ")} and ${summary.reputation.toLocaleString("en")} reputation`;
}
