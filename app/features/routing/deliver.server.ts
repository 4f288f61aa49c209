import { sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { questionRoutes } from "#db/schema/index.ts";
import { availableSql } from "#app/features/expertise/experts.server.ts";
import { enqueueMail } from "#app/features/mail/outbox.server.ts";
import { userSeesSpaceSql } from "#app/features/spaces/visibility.server.ts";
import { routedMail } from "./mail.server.ts";
import { intArray } from "#db/sql-params.ts";

/**
 * What every way of sending a question to someone shares (the routing job's rounds and "Ask this
 * person"): who may receive it, and the delivery itself (the question_routes row, the inbox entry,
 * the mail), all in the caller's transaction, which holds the routing lock.
 */

const DAY_MS = 86_400_000;

/** A time as a statement parameter. */
export const ts = (time: Date) => sql`${time.toISOString()}::timestamptz`;

/**
 * Serialises every write that sends questions to people, across instances: the job's rounds and
 * direct asks both count each person's week before adding to it, so two of them at once could
 * pass someone's limit, or route a question twice. They are short and rare; one lock is enough.
 */
export async function lockRouting(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('commons:routing'))`);
}

/** How many questions were sent to each person in the seven days before `now` (routing and direct asks alike). */
export async function weeklyLoad(tx: Db | Tx, userIds: readonly number[], now: Date): Promise<Map<number, number>> {
  const load = new Map<number, number>();
  if (userIds.length === 0) return load;
  const rows = await tx.execute<{ user_id: number; n: number }>(sql`
    select user_id, count(*)::int as n from question_routes
     where user_id = any(${intArray(userIds)}) and routed_at > ${ts(new Date(now.getTime() - 7 * DAY_MS))} and routed_at <= ${ts(now)}
     group by user_id`);
  for (const r of rows) load.set(Number(r.user_id), Number(r.n));
  return load;
}

/**
 * The candidates (in their order) who may receive this question now: active employees with a
 * proven address who see its space (the visibility module's rule), available (not opted out, not
 * away), not excluded, not already sent it, and, when `weeklyLimit` is given, under that many
 * questions in the last seven days. One statement.
 */
export async function eligible(
  tx: Tx,
  input: { questionId: number; spaceId: number; candidates: readonly number[]; exclude: readonly number[]; now: Date; weeklyLimit: number | null },
): Promise<number[]> {
  if (input.candidates.length === 0) return [];
  const since = new Date(input.now.getTime() - 7 * DAY_MS);
  const rows = await tx.execute<{ id: number }>(sql`
    select u.id from users u join spaces s on s.id = ${input.spaceId}
     where u.id = any(${intArray(input.candidates)}) and u.id <> all(${intArray(input.exclude)})
       and ${userSeesSpaceSql} and u.email_verified_at is not null and ${availableSql(input.now)}
       and not exists (select 1 from question_routes r where r.question_id = ${input.questionId} and r.user_id = u.id)
       ${
         input.weeklyLimit === null
           ? sql``
           : sql`and (select count(*) from question_routes w where w.user_id = u.id and w.routed_at > ${ts(since)} and w.routed_at <= ${ts(input.now)}) < ${input.weeklyLimit}`
       }`);
  const ok = new Set(rows.map((r) => Number(r.id)));
  return [...new Set(input.candidates)].filter((id) => ok.has(id));
}

export type Delivery = {
  question: { id: number; itemId: number; title: string; spaceId: number; spaceName: string };
  reason: "expert" | "moderator" | "asked";
  round: number;
  /** The people and the line each was picked for. */
  to: ReadonlyArray<{ userId: number; why: string }>;
  /** Who sent it (shown in the inbox and the mail); null for routing and for an anonymous asker. */
  askedBy: { id: number; name: string } | null;
  dueAt: Date | null;
  now: Date;
};

/**
 * Sends the question to each person: their question_routes row, an inbox entry of kind "routed"
 * (from the asker, or from no one when routing sent it) and a mail. The inbox entry goes through
 * the visibility rule again, like every notification. Three statements whatever the number of people.
 */
export async function deliver(tx: Tx, d: Delivery): Promise<void> {
  if (d.to.length === 0) return;
  const ids = d.to.map((t) => t.userId);
  await tx
    .insert(questionRoutes)
    .values(d.to.map((t) => ({ questionId: d.question.id, userId: t.userId, reason: d.reason, round: d.round, askedById: d.askedBy?.id ?? null, why: t.why, routedAt: d.now })));
  await tx.execute(sql`
    insert into notifications (user_id, kind, actor_id, space_id, item_id, created_at)
    select u.id, 'routed', ${d.askedBy?.id ?? null}, s.id, ${d.question.itemId}, ${ts(d.now)}
      from users u join spaces s on s.id = ${d.question.spaceId}
     where u.id = any(${intArray(ids)}) and ${userSeesSpaceSql}`);
  const people = await tx.execute<{ id: number; email: string; name: string }>(sql`
    select u.id, u.email, u.name from users u
     where u.id = any(${intArray(ids)}) and u.kind = 'employee' and u.deactivated_at is null and u.email_verified_at is not null
     order by u.id`);
  const why = new Map(d.to.map((t) => [t.userId, t.why]));
  await enqueueMail(
    tx,
    ...people.map((p) =>
      routedMail({
        to: { id: Number(p.id), email: p.email, name: p.name },
        question: { id: d.question.id, title: d.question.title },
        spaceName: d.question.spaceName,
        reason: d.reason,
        askedBy: d.askedBy?.name ?? null,
        why: why.get(Number(p.id)) ?? "",
        dueAt: d.dueAt,
      }),
    ),
  );
}
