import { eq, inArray, sql } from "drizzle-orm";
import { href } from "react-router";
import type { Db, Tx } from "#db/client.server.ts";
import { anonymousAskers, chatConnections, posts, spaces, users } from "#db/schema/index.ts";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { enqueueDeliveries, newMessageId } from "#app/features/webhooks/deliveries.server.ts";
import type { WebhookBody } from "#app/features/webhooks/events.ts";
import { chatPayload } from "./format.ts";

/**
 * "Still unanswered after N hours" for chat connections (issue 21), run every minute by the
 * scheduler. A question is announced once per connection: the notice row and the delivery are
 * written in one transaction, and only for notice rows this run actually inserted, so two
 * instances sweeping at once, or a crash between the two, never post it twice.
 *
 * What counts: questions of the connection's space asked more than N hours ago and within the
 * last 7 days, still without an answer, not deleted or closed. A question asked before the
 * connection existed (minus its N hours) is left alone, so connecting a busy space does not flood
 * the channel with its backlog; the same holds when an existing connection starts asking for them
 * (`skipUnansweredBacklog`).
 */

/** Questions older than this are not news any more. */
const WINDOW_DAYS = 7;
/** A round's most: a backlog (after downtime) goes out over the next minutes. */
const SWEEP_LIMIT = 500;
const HOUR_MS = 3600_000;

/**
 * The (connection, question) pairs due at `at` and not announced yet: the rules above, for every
 * connection or for one.
 */
function duePairs(at: string, connectionId: number | null) {
  return sql`
    select c.id, p.id
    from chat_connections c
    join posts p on p.space_id = c.space_id
    where c.enabled and c.disabled_at is null and c.unanswered_hours is not null
      and 'question.unanswered' = any(c.events)
      ${connectionId === null ? sql`` : sql`and c.id = ${connectionId}`}
      and p.type = 'question' and p.deleted_at is null and p.closed_at is null and p.answer_count = 0
      and p.created_at <= ${at}::timestamptz - make_interval(hours => c.unanswered_hours)
      and p.created_at >= ${at}::timestamptz - make_interval(days => ${WINDOW_DAYS})
      and p.created_at >= c.created_at - make_interval(hours => c.unanswered_hours)
      and not exists (select 1 from chat_unanswered_notices n where n.connection_id = c.id and n.question_id = p.id)`;
}

/**
 * When a connection starts asking for unanswered questions later in its life (the box ticked, the
 * hours shortened, turned back on), what is already due counts as announced: like a new
 * connection, it posts what becomes due from now on, not a backlog. Called in the transaction that
 * changes the connection, after the change.
 */
export async function skipUnansweredBacklog(tx: Tx, connectionId: number, now: Date): Promise<void> {
  await tx.execute(sql`insert into chat_unanswered_notices (connection_id, question_id) ${duePairs(now.toISOString(), connectionId)} on conflict do nothing`);
}

/** Announces what is due; returns how many messages it queued. */
export async function sweepUnanswered(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const at = now.toISOString();
    const claimed = [
      ...(await tx.execute<{ connection_id: number; question_id: number }>(sql`
      insert into chat_unanswered_notices (connection_id, question_id)
      ${duePairs(at, null)}
      order by p.created_at, p.id
      limit ${SWEEP_LIMIT}
      on conflict do nothing
      returning connection_id, question_id
    `)),
    ];
    if (claimed.length === 0) return 0;

    const questionIds = [...new Set(claimed.map((c) => c.question_id))];
    const connectionIds = [...new Set(claimed.map((c) => c.connection_id))];
    const [questions, connections] = await Promise.all([
      tx
        .select({
          id: posts.id,
          title: posts.title,
          tags: posts.tags,
          createdAt: posts.createdAt,
          authorId: posts.authorId,
          authorName: users.name,
          // An anonymous question's author is the space's stand-in; the asker is never named.
          anonymous: sql<boolean>`exists (select 1 from ${anonymousAskers} where ${anonymousAskers.questionId} = ${posts.id})`,
          space: { id: spaces.id, slug: spaces.slug, name: spaces.name, visibility: spaces.visibility },
        })
        .from(posts)
        .innerJoin(users, eq(users.id, posts.authorId))
        .innerJoin(spaces, eq(spaces.id, posts.spaceId))
        .where(inArray(posts.id, questionIds)),
      tx.select({ id: chatConnections.id, platform: chatConnections.platform }).from(chatConnections).where(inArray(chatConnections.id, connectionIds)),
    ]);
    const questionById = new Map(questions.map((q) => [q.id, q]));
    const platformById = new Map(connections.map((c) => [c.id, c.platform]));

    const deliveries = claimed.flatMap(({ connection_id, question_id }) => {
      const q = questionById.get(question_id);
      const platform = platformById.get(connection_id);
      if (!q || !platform) return [];
      const body: WebhookBody<"question.unanswered"> = {
        type: "question.unanswered",
        timestamp: at,
        space: q.space,
        data: {
          question: {
            id: q.id,
            title: q.title ?? "",
            url: appUrl(questionUrl({ id: q.id, title: q.title })),
            tags: q.tags,
            author: q.anonymous ? null : { id: q.authorId, name: q.authorName, url: appUrl(href("/people/:userId", { userId: String(q.authorId) })) },
            createdAt: q.createdAt.toISOString(),
          },
          hoursUnanswered: Math.floor((now.getTime() - q.createdAt.getTime()) / HOUR_MS),
        },
      };
      return [{ chatConnectionId: connection_id, messageId: newMessageId(), eventType: "question.unanswered", payload: chatPayload(platform, body as WebhookBody) }];
    });
    await enqueueDeliveries(tx, deliveries);
    return deliveries.length;
  });
}
