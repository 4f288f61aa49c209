import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { liveSessionQuestions, liveSessionVotes } from "#db/schema/index.ts";

/** What a reader sees of a session question, in both processes (the app's page and the forum's). */
export const liveQuestionColumns = {
  id: liveSessionQuestions.id,
  authorName: liveSessionQuestions.authorName,
  bodyHtml: liveSessionQuestions.bodyHtml,
  votes: liveSessionQuestions.votes,
  answerHtml: liveSessionQuestions.answerHtml,
  answeredByName: liveSessionQuestions.answeredByName,
  answeredByTitle: liveSessionQuestions.answeredByTitle,
  answeredAt: liveSessionQuestions.answeredAt,
  createdAt: liveSessionQuestions.createdAt,
};

/**
 * One voter's up-vote on a session question, or taking it back, with the question's `votes`
 * counter moved in the caller's transaction. Both processes use it: the app for employees ("u:<id>")
 * and the forum, as its own role, for customers ("a:<id>"). True when the vote is now there.
 */
export async function toggleVoteRow(tx: Tx, questionId: number, voter: string): Promise<boolean> {
  const removed = await tx
    .delete(liveSessionVotes)
    .where(and(eq(liveSessionVotes.questionId, questionId), eq(liveSessionVotes.voter, voter)))
    .returning({ voter: liveSessionVotes.voter });
  if (removed.length > 0) {
    await tx
      .update(liveSessionQuestions)
      .set({ votes: sql`greatest(${liveSessionQuestions.votes} - 1, 0)` })
      .where(eq(liveSessionQuestions.id, questionId));
    return false;
  }
  const added = await tx.insert(liveSessionVotes).values({ questionId, voter }).onConflictDoNothing().returning({ voter: liveSessionVotes.voter });
  if (added.length === 0) return false;
  await tx
    .update(liveSessionQuestions)
    .set({ votes: sql`${liveSessionQuestions.votes} + 1` })
    .where(eq(liveSessionQuestions.id, questionId));
  return true;
}
