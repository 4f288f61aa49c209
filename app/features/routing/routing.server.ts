import { eq, sql } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import type { Db, Tx } from "#db/client.server.ts";
import { questionRouting, users } from "#db/schema/index.ts";
import { anonymousAskerOf } from "#app/features/anonymous/askers.server.ts";
import { expertsForQuestion } from "#app/features/expertise/experts.server.ts";
import { getExpertiseSettings } from "#app/features/expertise/settings.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { intArray } from "#db/sql-params.ts";
import { deliver, eligible, lockRouting, ts } from "./deliver.server.ts";
import { addWorkingHours } from "./working-hours.ts";

/**
 * The routing job (docs/routing.md), run every minute by the scheduler in every instance.
 *
 * In a space with an answer deadline, a new unanswered question goes to its top experts (round 1):
 * the topics' assigned SMEs first, then the model's experts for it as its asker sees them, so no
 * one is picked on evidence the asker could not see. When a round's deadline (in working hours)
 * passes without an answer, the next experts get it (round 2), then the space's moderators. A
 * round that finds no one available is skipped at once. Nobody gets more than the weekly limit of
 * questions in seven days, except moderators, for whom an overdue question is part of the role.
 *
 * Candidates are computed outside any transaction (the text part asks Meilisearch); each round
 * is then written in one transaction that holds the routing lock and the question's row (SKIP
 * LOCKED: a question someone is answering waits for the next minute), and checks again that the
 * round is still due, so two instances never route a question twice.
 */

const DAY_MS = 86_400_000;
/** Questions older than this when routing first sees them are left alone: routing is for new questions. */
const NEW_FOR_DAYS = 7;
/** Questions handled per run and per step; the rest wait a minute. */
const BATCH = 50;

export type RoutingRun = { started: number; escalated: number; toModerators: number; answered: number; closed: number };

type Options = { prefix?: string; onError?: (error: unknown) => void };

export async function routeQuestions(db: Db, search: Meilisearch | null, now: Date, options: Options = {}): Promise<RoutingRun> {
  const run: RoutingRun = { started: 0, escalated: 0, toModerators: 0, answered: 0, closed: 0 };
  const settled = await settle(db, now);
  run.answered = settled.answered;
  run.closed = settled.closed;
  const since = new Date(now.getTime() - NEW_FOR_DAYS * DAY_MS);
  const fresh = await db.execute<{ id: number }>(sql`
    select q.id from posts q join spaces s on s.id = q.space_id
     where q.type = 'question' and s.answer_deadline_hours is not null
       and q.created_at > ${ts(since)} and q.created_at <= ${ts(now)}
       and q.deleted_at is null and q.closed_at is null and q.answer_count = 0
       and not exists (select 1 from question_routing r where r.question_id = q.id)
     order by q.created_at, q.id limit ${BATCH}`);
  const due = await db.execute<{ id: number }>(sql`
    select r.question_id as id from question_routing r join spaces s on s.id = r.space_id
     where r.status = 'routing' and r.due_at <= ${ts(now)} and s.answer_deadline_hours is not null
     order by r.due_at, r.question_id limit ${BATCH}`);
  for (const { id } of [...fresh, ...due]) {
    const outcome = await routeOne(db, search, Number(id), now, options);
    if (outcome === "started") run.started++;
    else if (outcome === "escalated") run.escalated++;
    else if (outcome === "moderators") run.toModerators++;
  }
  return run;
}

/**
 * Questions in routing that have been answered since (by anyone) become "answered", with the time
 * of their first answer; closed and deleted ones "closed". Two statements.
 */
async function settle(db: Db, now: Date): Promise<{ answered: number; closed: number }> {
  const answered = await db.execute(sql`
    update question_routing r set status = 'answered', updated_at = ${ts(now)},
           first_answer_at = coalesce(r.first_answer_at, (select min(a.created_at) from posts a where a.parent_id = r.question_id and a.type = 'answer' and a.deleted_at is null))
      from posts q
     where q.id = r.question_id and r.status in ('routing', 'moderators') and q.answer_count > 0
    returning r.question_id`);
  const closed = await db.execute(sql`
    update question_routing r set status = 'closed', updated_at = ${ts(now)}
      from posts q
     where q.id = r.question_id and r.status in ('routing', 'moderators') and (q.closed_at is not null or q.deleted_at is not null)
    returning r.question_id`);
  return { answered: answered.length, closed: closed.length };
}

type QuestionRow = {
  id: number;
  item_id: number;
  title: string;
  body: string;
  space_id: number;
  space_name: string;
  deadline: number | null;
  author_id: number;
  tag_ids: number[] | null;
  routed: number[] | null;
  round: number | null;
  status: string | null;
};

async function loadForRouting(db: Db | Tx, questionId: number): Promise<QuestionRow | null> {
  const [row] = await db.execute<QuestionRow>(sql`
    select q.id, q.item_id, coalesce(q.title, '') as title, q.body, q.space_id, s.name as space_name, s.answer_deadline_hours as deadline, q.author_id,
           (select array_agg(qt.tag_id order by qt.tag_id) from question_tags qt where qt.post_id = q.id) as tag_ids,
           (select array_agg(distinct qr.user_id) from question_routes qr where qr.question_id = q.id) as routed,
           r.round, r.status
      from posts q join spaces s on s.id = q.space_id left join question_routing r on r.question_id = q.id
     where q.id = ${questionId} and q.type = 'question'`);
  return row ?? null;
}

/** The topics' assigned SMEs, oldest assignment first, with the line they are picked for. */
async function assignedSmes(db: Db, tagIds: readonly number[]): Promise<Array<{ userId: number; why: string }>> {
  if (tagIds.length === 0) return [];
  const rows = await db.execute<{ user_id: number; tag: string }>(sql`
    select x.user_id, x.tag from (
      select distinct on (s.user_id) s.user_id, t.name as tag, s.created_at
        from tag_smes s join tags t on t.id = s.tag_id
       where s.tag_id = any(${intArray(tagIds)}) and s.source = 'assigned'
       order by s.user_id, s.created_at
    ) x order by x.created_at, x.user_id`);
  return rows.map((r) => ({ userId: Number(r.user_id), why: `subject-matter expert for ${r.tag}` }));
}

async function spaceModerators(db: Db, spaceId: number): Promise<number[]> {
  const rows = await db.execute<{ user_id: number }>(sql`select user_id from space_members where space_id = ${spaceId} and role = 'moderator' order by created_at, user_id`);
  return rows.map((r) => Number(r.user_id));
}

type Outcome = "started" | "escalated" | "moderators" | "skipped";

/** One question's next round: computes its candidates, then writes the round if it is still due. */
async function routeOne(db: Db, search: Meilisearch | null, questionId: number, now: Date, options: Options): Promise<Outcome> {
  const q = await loadForRouting(db, questionId);
  if (!q || q.deadline === null) return "skipped";
  const nextRound = q.round === null ? 1 : q.round + 1;
  const tagIds = (q.tag_ids ?? []).map(Number);
  // An anonymous question's author is the stand-in: its real asker is the actor, and is left out.
  const askerId = (await anonymousAskerOf(db, q.id)) ?? Number(q.author_id);
  const exclude = [...new Set([askerId, Number(q.author_id)])];
  const [settings, moderators] = await Promise.all([getExpertiseSettings(db), spaceModerators(db, Number(q.space_id))]);
  let experts: Array<{ userId: number; why: string }> = [];
  if (nextRound <= 2) {
    const [asker] = await db.select({ id: users.id, role: users.role, kind: users.kind, deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, askerId));
    const smes = await assignedSmes(db, tagIds);
    const ranked = asker
      ? await expertsForQuestion(
          db,
          search,
          asker satisfies Actor,
          { id: q.id, title: q.title, body: q.body, tagIds, authorId: Number(q.author_id) },
          { limit: 20, exclude: [...exclude, ...(q.routed ?? []).map(Number)], now, prefix: options.prefix, onError: options.onError },
        )
      : [];
    experts = [...smes, ...ranked.map((e) => ({ userId: e.id, why: e.why }))];
  }
  return db.transaction(async (tx) => {
    await lockRouting(tx);
    const [locked] = await tx.execute(sql`select id from posts where id = ${q.id} for update skip locked`);
    if (!locked) return "skipped";
    // Still as it was when the candidates were chosen? Another instance may have routed it since.
    const current = await loadForRouting(tx, q.id);
    if (!current || current.round !== q.round || current.status !== q.status || current.deadline === null) return "skipped";
    if (current.status !== null && current.status !== "routing") return "skipped";
    const [state] = await tx.execute<{ open: boolean; due: boolean }>(sql`
      select q.answer_count = 0 and q.closed_at is null and q.deleted_at is null as open,
             coalesce((select r.due_at <= ${ts(now)} from question_routing r where r.question_id = q.id), true) as due
        from posts q where q.id = ${q.id}`);
    if (!state?.open || !state.due) return "skipped";
    const question = { id: q.id, itemId: Number(q.item_id), title: q.title, spaceId: Number(q.space_id), spaceName: q.space_name };
    const base = { questionId: q.id, spaceId: question.spaceId, exclude, now };
    let round = nextRound;
    if (round <= 2) {
      const picked = (await eligible(tx, { ...base, candidates: experts.map((e) => e.userId), weeklyLimit: settings.routing.weeklyLimit })).slice(0, settings.routing.expertsPerRound);
      if (picked.length > 0) {
        // The first reason each person came up for (an SME's assignment before their evidence).
        const why = new Map<number, string>();
        for (const e of experts) if (!why.has(e.userId)) why.set(e.userId, e.why);
        const dueAt = addWorkingHours(now, current.deadline);
        await deliver(tx, { question, reason: "expert", round, to: picked.map((userId) => ({ userId, why: why.get(userId) ?? "" })), askedBy: null, dueAt, now });
        await saveRouting(tx, { questionId: q.id, spaceId: question.spaceId, status: "routing", round, dueAt, now });
        return round === 1 ? "started" : "escalated";
      }
      // No expert is available: nothing is gained by waiting a round for no one.
      round = 3;
    }
    const picked = await eligible(tx, { ...base, candidates: moderators, weeklyLimit: null });
    await deliver(tx, { question, reason: "moderator", round, to: picked.map((userId) => ({ userId, why: `moderator of ${question.spaceName}` })), askedBy: null, dueAt: null, now });
    await saveRouting(tx, { questionId: q.id, spaceId: question.spaceId, status: "moderators", round, dueAt: now, now });
    return "moderators";
  });
}

async function saveRouting(tx: Tx, r: { questionId: number; spaceId: number; status: "routing" | "moderators"; round: number; dueAt: Date; now: Date }): Promise<void> {
  await tx
    .insert(questionRouting)
    .values({ questionId: r.questionId, spaceId: r.spaceId, status: r.status, round: r.round, dueAt: r.dueAt, createdAt: r.now, updatedAt: r.now })
    .onConflictDoUpdate({ target: questionRouting.questionId, set: { spaceId: r.spaceId, status: r.status, round: r.round, dueAt: r.dueAt, updatedAt: r.now } });
}
