import { sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { getExpertiseSettings } from "#app/features/expertise/settings.server.ts";
import { recordReputation } from "#app/features/reputation/ledger.server.ts";

/**
 * What an answer does to routing, in the answer's own transaction (postAnswer calls it with the
 * question's row locked): the question's routing is answered, with the time of its first answer;
 * and when the answerer is someone the question was sent to (by routing or by a colleague), their
 * route is marked answered and they earn the routed answer's reputation, once per question.
 */
export async function recordRoutedAnswer(tx: Tx, answer: { questionId: number; questionItemId: number; spaceId: number; authorId: number }, now = new Date()): Promise<void> {
  const at = sql`${now.toISOString()}::timestamptz`;
  await tx.execute(sql`
    update question_routing set status = 'answered', first_answer_at = coalesce(first_answer_at, ${at}), updated_at = ${at}
     where question_id = ${answer.questionId} and status in ('routing', 'moderators')`);
  const routed = await tx.execute(sql`
    update question_routes set answered_at = ${at}
     where question_id = ${answer.questionId} and user_id = ${answer.authorId} and answered_at is null
    returning id`);
  if (routed.length === 0) return;
  const { routing } = await getExpertiseSettings(tx);
  if (routing.answerReputation <= 0) return;
  // Once per question: `answered_at` already says so; the ledger guards it should one person ever hold two routes for it.
  const [earlier] = await tx.execute(sql`
    select 1 from reputation_events e
     where e.user_id = ${answer.authorId} and e.reason = 'routed_answer' and e.item_id = ${answer.questionItemId} and e.reverses_event_id is null
     limit 1`);
  if (earlier) return;
  const tags = await tx.execute<{ tag_id: number }>(sql`select tag_id from question_tags where post_id = ${answer.questionId}`);
  await recordReputation(tx, {
    userId: answer.authorId,
    reason: "routed_answer",
    delta: routing.answerReputation,
    actorId: null,
    itemId: answer.questionItemId,
    spaceId: answer.spaceId,
    tagIds: tags.map((t) => Number(t.tag_id)),
    countsTowardCap: false,
  });
}
