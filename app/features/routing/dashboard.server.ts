import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { type Actor, canManageSpace, spaceBySlugForActor } from "#app/features/spaces/visibility.server.ts";
import { ts } from "./deliver.server.ts";
import type { RoutingWindow } from "./schemas.ts";

/**
 * A space's routing dashboard (docs/routing.md), for anyone who sees the space: over the last 30
 * or 90 days, how fast questions get a first answer (median and 90th percentile, in clock time),
 * how many are still unanswered, week by week, and how many questions were sent to people and
 * answered by one of them; and the questions in routing now, with their round and due time. Five
 * queries after the space, whatever the window.
 */

export const OPEN_PAGE_SIZE = 20;
const DAY_MS = 86_400_000;

export type AnswerTimeRow = { group: "all" | "routed" | "not_routed"; asked: number; answered: number; p50Seconds: number | null; p90Seconds: number | null };
export type WeekRow = { week: Date; asked: number; unanswered: number };
export type RouteRow = { reason: "expert" | "moderator" | "asked" | "all"; people: number; answered: number; questions: number; questionsAnswered: number };
export type OpenRow = { id: number; title: string; url: string; round: number; status: "routing" | "moderators"; dueAt: Date; since: Date };

export type RoutingDashboard = {
  space: { id: number; slug: string; name: string; answerDeadlineHours: number | null; updatedAt: Date };
  canManage: boolean;
  days: RoutingWindow;
  answerTimes: AnswerTimeRow[];
  weeks: WeekRow[];
  routes: RouteRow[];
  open: { rows: OpenRow[]; total: number; offset: number; pageSize: number };
};

const GROUPS: AnswerTimeRow["group"][] = ["all", "routed", "not_routed"];
const REASONS: RouteRow["reason"][] = ["expert", "moderator", "asked", "all"];

export async function routingDashboard(db: Db, actor: Actor, slug: string, days: RoutingWindow, page: number, now = new Date()): Promise<RoutingDashboard> {
  const { space, membership } = await spaceBySlugForActor(db, actor, slug);
  const since = new Date(now.getTime() - days * DAY_MS);
  const offset = (page - 1) * OPEN_PAGE_SIZE;
  // The questions asked in the window (deleted ones aside), each with its first answer's time.
  const asked = sql`
    select q.id, q.created_at, q.answer_count,
           (select min(a.created_at) from posts a where a.parent_id = q.id and a.type = 'answer' and a.deleted_at is null) as first_answer,
           exists (select 1 from question_routes r where r.question_id = q.id) as routed
      from posts q
     where q.space_id = ${space.id} and q.type = 'question' and q.deleted_at is null and q.created_at > ${ts(since)} and q.created_at <= ${ts(now)}`;
  const [times, weeks, routes, open] = await Promise.all([
    db.execute<{ grp: AnswerTimeRow["group"]; asked: number; answered: number; p50: number | null; p90: number | null }>(sql`
      with asked as (${asked})
      select g.grp, count(*)::int as asked, count(a.first_answer)::int as answered,
             percentile_cont(0.5) within group (order by extract(epoch from a.first_answer - a.created_at)) as p50,
             percentile_cont(0.9) within group (order by extract(epoch from a.first_answer - a.created_at)) as p90
        from asked a cross join lateral (values ('all'), (case when a.routed then 'routed' else 'not_routed' end)) g(grp)
       group by g.grp`),
    db.execute<{ week: string | Date; asked: number; unanswered: number }>(sql`
      with asked as (${asked}),
      weeks as (
        select generate_series(date_trunc('week', ${ts(since)} at time zone 'utc'), date_trunc('week', ${ts(now)} at time zone 'utc'), interval '1 week') as week
      )
      select w.week at time zone 'utc' as week, count(a.id)::int as asked, count(a.id) filter (where a.first_answer is null)::int as unanswered
        from weeks w left join asked a on date_trunc('week', a.created_at at time zone 'utc') = w.week
       group by w.week order by w.week`),
    db.execute<{ reason: RouteRow["reason"] | null; people: number; answered: number; questions: number; questions_answered: number }>(sql`
      select r.reason, count(*)::int as people, count(r.answered_at)::int as answered, count(distinct r.question_id)::int as questions,
             count(distinct r.question_id) filter (where r.answered_at is not null)::int as questions_answered
        from question_routes r join posts q on q.id = r.question_id
       where q.space_id = ${space.id} and q.deleted_at is null and r.routed_at > ${ts(since)} and r.routed_at <= ${ts(now)}
       group by grouping sets ((r.reason), ())`),
    db.execute<{ id: number; title: string; round: number; status: OpenRow["status"]; due_at: string | Date; created_at: string | Date; total: number }>(sql`
      select q.id, coalesce(q.title, '') as title, r.round, r.status, r.due_at, r.created_at, count(*) over ()::int as total
        from question_routing r join posts q on q.id = r.question_id
       where r.space_id = ${space.id} and q.space_id = ${space.id} and r.status in ('routing', 'moderators') and q.deleted_at is null
       order by r.status = 'moderators' desc, r.due_at, q.id
       limit ${OPEN_PAGE_SIZE} offset ${offset}`),
  ]);
  const timeBy = new Map(times.map((r) => [r.grp, r]));
  const routeBy = new Map(routes.map((r) => [r.reason ?? "all", r]));
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    space: { id: space.id, slug: space.slug, name: space.name, answerDeadlineHours: space.answerDeadlineHours, updatedAt: space.updatedAt },
    canManage: canManageSpace(actor, space, membership),
    days,
    answerTimes: GROUPS.map((group) => {
      const r = timeBy.get(group);
      return { group, asked: Number(r?.asked ?? 0), answered: Number(r?.answered ?? 0), p50Seconds: num(r?.p50), p90Seconds: num(r?.p90) };
    }),
    weeks: weeks.map((w) => ({ week: new Date(w.week), asked: Number(w.asked), unanswered: Number(w.unanswered) })),
    routes: REASONS.map((reason) => {
      const r = routeBy.get(reason);
      return { reason, people: Number(r?.people ?? 0), answered: Number(r?.answered ?? 0), questions: Number(r?.questions ?? 0), questionsAnswered: Number(r?.questions_answered ?? 0) };
    }),
    open: {
      rows: open.map((r) => ({
        id: Number(r.id),
        title: r.title,
        url: questionUrl({ id: Number(r.id), title: r.title }),
        round: Number(r.round),
        status: r.status,
        dueAt: new Date(r.due_at),
        since: new Date(r.created_at),
      })),
      total: Number(open[0]?.total ?? 0),
      offset,
      pageSize: OPEN_PAGE_SIZE,
    },
  };
}
