import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { reputationEvents, userTagReputation, users } from "#db/schema/index.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { getReputationRules, type ReputationRules } from "./rules.server.ts";
import { intArray } from "#db/sql-params.ts";

/**
 * The reputation ledger. `reputation_events` is the truth; `users.reputation` and
 * `user_tag_reputation` are sums of it, updated in the same transaction as every event, and
 * `recomputeReputation` rebuilds them from the ledger and reports any drift.
 *
 * Every write locks the recipient's `users` row first, so two transactions giving the same person
 * reputation at once take turns: the daily cap is computed from committed events and cannot be
 * overrun. Callers that touch several people lock them all up front with `lockUsers` (in id
 * order, so two transactions never wait on each other in a circle).
 */

export type ReputationReason = (typeof reputationEvents.$inferInsert)["reason"];

/** Reasons whose gains count toward the daily cap: reputation from upvotes (accepts are excluded). */
export const CAPPED_REASONS: ReadonlyArray<ReputationReason> = ["question_upvoted", "answer_upvoted", "article_upvoted"];

export type ReputationEventInput = {
  userId: number;
  reason: ReputationReason;
  /** The rule weight; the delta actually applied can be smaller when the daily cap is reached. */
  delta: number;
  actorId: number | null;
  /** The item it was earned on (a question, an answer, an idea), or null (imported reputation). */
  itemId: number | null;
  spaceId: number | null;
  tagIds: readonly number[];
  /** A vote-derived gain: subject to the daily cap. */
  countsTowardCap: boolean;
  /** The rules in force (read from the settings when not given). */
  rules?: ReputationRules;
};

/** Locks these people's rows for the rest of the transaction, in id order. */
export async function lockUsers(tx: Tx, userIds: readonly number[]): Promise<void> {
  const ids = [...new Set(userIds)].sort((a, b) => a - b);
  if (ids.length === 0) return;
  await tx.select({ id: users.id }).from(users).where(inArray(users.id, ids)).orderBy(users.id).for("update");
}

/** The start of the current UTC day, as the database sees it. */
const utcDayStart = sql`(date_trunc('day', now() at time zone 'utc') at time zone 'utc')`;

/**
 * What `userId` gained today from capped reasons: today's capped events plus reversals of them
 * (a reversal counts on the day of the event it undoes, so retracting yesterday's vote does not
 * open room under today's cap).
 */
async function cappedGainsToday(tx: Tx, userId: number): Promise<number> {
  const rows = await tx.execute<{ total: number }>(sql`
    select coalesce(sum(e.delta), 0)::int as total
    from ${reputationEvents} e
    left join ${reputationEvents} o on o.id = e.reverses_event_id
    where e.user_id = ${userId}
      and e.reason in (${sql.join(
        CAPPED_REASONS.map((r) => sql`${r}`),
        sql`, `,
      )})
      and coalesce(o.created_at, e.created_at) >= ${utcDayStart}
      and e.created_at >= ${utcDayStart}`);
  return Number(rows[0]?.total ?? 0);
}

/** Adds `delta` to a person's total and to their per-tag scores in the event's space. */
async function applyToColumns(
  tx: Tx,
  event: {
    userId: number;
    delta: number;
    spaceId: number | null;
    tagIds: readonly number[];
  },
): Promise<void> {
  if (event.delta === 0) return;
  await tx
    .update(users)
    .set({ reputation: sql`${users.reputation} + ${event.delta}` })
    .where(eq(users.id, event.userId));
  // Every event and reversal passes here: the person's document (reputation, top tags) follows.
  await enqueueIndexing(tx, "person", [event.userId], { priority: 1 });
  if (event.spaceId === null || event.tagIds.length === 0) return;
  // A tag deleted since the event happened no longer has a score to keep.
  await tx.execute(sql`
    insert into ${userTagReputation} (user_id, tag_id, space_id, score)
    select ${event.userId}, t.id, ${event.spaceId}, ${event.delta}
    from tags t where t.id = any(${intArray(event.tagIds)})
    on conflict (user_id, tag_id, space_id) do update set score = ${userTagReputation.score} + excluded.score`);
}

/**
 * Appends one event and updates the stored sums, inside the caller's transaction. Returns the
 * event's id and the delta applied (0 when the daily cap swallowed all of it).
 */
export async function recordReputation(tx: Tx, input: ReputationEventInput): Promise<{ id: number; delta: number }> {
  await lockUsers(tx, [input.userId]);
  let delta = input.delta;
  if (input.countsTowardCap && delta > 0) {
    const rules = input.rules ?? (await getReputationRules(tx));
    const room = Math.max(0, rules.dailyCap - (await cappedGainsToday(tx, input.userId)));
    delta = Math.min(delta, room);
  }
  const [event] = await tx
    .insert(reputationEvents)
    .values({
      userId: input.userId,
      delta,
      reason: input.reason,
      actorId: input.actorId,
      itemId: input.itemId,
      spaceId: input.spaceId,
      tagIds: [...input.tagIds],
    })
    .returning({ id: reputationEvents.id });
  await applyToColumns(tx, {
    userId: input.userId,
    delta,
    spaceId: input.spaceId,
    tagIds: input.tagIds,
  });
  return { id: event!.id, delta };
}

/**
 * Appends the event that undoes `eventId` (the same reason, the opposite delta, naming the one it
 * reverses) and updates the sums. An event is reversed at most once (a unique index says so);
 * reversing it again returns the existing reversal and changes nothing.
 */
export async function reverseReputation(tx: Tx, eventId: number): Promise<{ id: number; delta: number }> {
  const [original] = await tx.select().from(reputationEvents).where(eq(reputationEvents.id, eventId));
  if (!original) throw new Error(`reputation event ${eventId} does not exist`);
  if (original.reversesEventId !== null) throw new Error(`reputation event ${eventId} is itself a reversal`);
  await lockUsers(tx, [original.userId]);
  const [existing] = await tx.select({ id: reputationEvents.id, delta: reputationEvents.delta }).from(reputationEvents).where(eq(reputationEvents.reversesEventId, eventId));
  if (existing) return existing;
  const [reversal] = await tx
    .insert(reputationEvents)
    .values({
      userId: original.userId,
      delta: -original.delta,
      reason: original.reason,
      actorId: original.actorId,
      itemId: original.itemId,
      spaceId: original.spaceId,
      tagIds: original.tagIds,
      reversesEventId: original.id,
    })
    .returning({ id: reputationEvents.id });
  await applyToColumns(tx, {
    userId: original.userId,
    delta: -original.delta,
    spaceId: original.spaceId,
    tagIds: original.tagIds,
  });
  return { id: reversal!.id, delta: -original.delta };
}

/** The events of these reasons on an item that have not been reversed yet (e.g. what an accept gave). */
export async function unreversedEvents(tx: Tx, itemId: number, reasons: readonly ReputationReason[]): Promise<number[]> {
  const rows = await tx
    .select({ id: reputationEvents.id })
    .from(reputationEvents)
    .where(
      and(
        eq(reputationEvents.itemId, itemId),
        inArray(reputationEvents.reason, [...reasons]),
        isNull(reputationEvents.reversesEventId),
        sql`not exists (select 1 from ${reputationEvents} r where r.reverses_event_id = ${reputationEvents.id})`,
      ),
    );
  return rows.map((r) => r.id);
}

export type UserDrift = {
  userId: number;
  name: string;
  stored: number;
  ledger: number;
};
export type TagDrift = {
  userId: number;
  name: string;
  tagId: number;
  tag: string;
  spaceId: number;
  stored: number;
  ledger: number;
};
export type ReputationDrift = {
  users: UserDrift[];
  tags: TagDrift[];
  fixed: boolean;
};

const ledgerTotals = sql`select user_id, coalesce(sum(delta), 0)::int as total from reputation_events group by user_id`;
const ledgerTagScores = sql`
  select e.user_id, tag_id, e.space_id, sum(e.delta)::int as score
  from reputation_events e, unnest(e.tag_ids) as tag_id
  where e.space_id is not null and exists (select 1 from tags t where t.id = tag_id)
  group by e.user_id, tag_id, e.space_id`;

async function findDrift(db: Db | Tx): Promise<Omit<ReputationDrift, "fixed">> {
  const driftedUsers = await db.execute<{
    user_id: number;
    name: string;
    stored: number;
    ledger: number;
  }>(sql`
    select u.id as user_id, u.name, u.reputation as stored, coalesce(l.total, 0) as ledger
    from users u left join (${ledgerTotals}) l on l.user_id = u.id
    where u.reputation <> coalesce(l.total, 0)
    order by u.id`);
  const driftedTags = await db.execute<{
    user_id: number;
    name: string;
    tag_id: number;
    tag: string;
    space_id: number;
    stored: number;
    ledger: number;
  }>(sql`
    select d.user_id, u.name, d.tag_id, t.name as tag, d.space_id, d.stored, d.ledger
    from (
      select coalesce(s.user_id, l.user_id) as user_id, coalesce(s.tag_id, l.tag_id) as tag_id,
             coalesce(s.space_id, l.space_id) as space_id, coalesce(s.score, 0) as stored, coalesce(l.score, 0) as ledger
      from user_tag_reputation s
      full join (${ledgerTagScores}) l on l.user_id = s.user_id and l.tag_id = s.tag_id and l.space_id = s.space_id
    ) d
    join users u on u.id = d.user_id
    join tags t on t.id = d.tag_id
    where d.stored <> d.ledger
    order by d.user_id, d.tag_id, d.space_id`);
  return {
    users: driftedUsers.map((r) => ({
      userId: r.user_id,
      name: r.name,
      stored: Number(r.stored),
      ledger: Number(r.ledger),
    })),
    tags: driftedTags.map((r) => ({
      userId: r.user_id,
      name: r.name,
      tagId: r.tag_id,
      tag: r.tag,
      spaceId: r.space_id,
      stored: Number(r.stored),
      ledger: Number(r.ledger),
    })),
  };
}

/**
 * Compares the stored sums with the ledger and, with `fix`, sets them to the ledger's values.
 * The fix holds a SHARE lock on the ledger: writers (who append events and update the sums in one
 * transaction) wait for the few statements it takes, so it cannot overwrite a sum that a
 * concurrent event just changed.
 */
export async function recomputeReputation(db: Db, options: { fix: boolean }): Promise<ReputationDrift> {
  if (!options.fix) return { ...(await findDrift(db)), fixed: false };
  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table reputation_events in share mode`);
    const drift = await findDrift(tx);
    if (drift.users.length > 0) {
      await tx.execute(sql`
        update users u set reputation = coalesce(l.total, 0)
        from users x left join (${ledgerTotals}) l on l.user_id = x.id
        where u.id = x.id and u.reputation <> coalesce(l.total, 0)`);
    }
    for (const d of drift.tags) {
      await tx
        .insert(userTagReputation)
        .values({
          userId: d.userId,
          tagId: d.tagId,
          spaceId: d.spaceId,
          score: d.ledger,
        })
        .onConflictDoUpdate({
          target: [userTagReputation.userId, userTagReputation.tagId, userTagReputation.spaceId],
          set: { score: d.ledger },
        });
    }
    await enqueueIndexing(
      tx,
      "person",
      [...drift.users, ...drift.tags].map((d) => d.userId),
      { priority: 1 },
    );
    return { ...drift, fixed: true };
  });
}
