import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { SEVERITIES, type Severity } from "./model.ts";
import { addWeeks, volumeSpikeRule, weekKey, weekStart } from "./rules.ts";
import type { DashboardWindow } from "./schemas.ts";
import { escalationSettings } from "./settings.server.ts";

/**
 * The forum desk's dashboard (issue 20): open escalations, time to first response, customer
 * questions per topic and week with the spikes marked, and deflection. Five queries whatever the
 * data: the settings, then four aggregates run together.
 */

export const SHOWN_WEEKS = 8;
const TOP_TOPICS = 10;
const DEFLECTION_TOPICS = 20;
const DAY = 86_400_000;

/** Moderators, admins and HR. */
export function seesDashboard(actor: Actor): boolean {
  return actor.kind === "employee" && !actor.deactivatedAt && (actor.role === "moderator" || actor.role === "admin" || actor.role === "hr");
}

export type Percentiles = { count: number; p50Hours: number | null; p90Hours: number | null };
export type TopicVolume = { topic: string; total: number; weeks: Array<{ week: string; count: number; spike: boolean; z: number }> };
export type Deflection = { topic: string; views: number; questions: number; ratio: number | null };

export async function forumDashboard(db: Db, actor: Actor, window: DashboardWindow, now = new Date()) {
  if (!seesDashboard(actor)) throw new NotFoundError();
  const settings = await escalationSettings(db);
  const from = new Date(now.getTime() - window * DAY);
  const trailing = settings.volumeSpike.trailingWeeks;
  const thisWeek = weekStart(now);
  const firstShown = addWeeks(thisWeek, -(SHOWN_WEEKS - 1));
  const firstRead = addWeeks(firstShown, -trailing);
  const [open, responses, weekly, deflection] = await Promise.all([
    db.execute<{ severity: Severity; open: number; overdue: number }>(sql`
      select severity, count(*)::int as open,
             count(*) filter (where first_response_at is null and due_at < ${now.toISOString()}::timestamptz)::int as overdue
        from forum_escalations where status in ('open', 'investigating') group by severity`),
    db.execute<{ q: number[] | null; q_count: number; e: number[] | null; e_count: number }>(sql`
      select (select percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from first_response_at - routed_at))
                from forum_queue where first_response_at is not null and routed_at >= ${from.toISOString()}::timestamptz) as q,
             (select count(*)::int from forum_queue where first_response_at is not null and routed_at >= ${from.toISOString()}::timestamptz) as q_count,
             (select percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from first_response_at - created_at))
                from forum_escalations where first_response_at is not null and created_at >= ${from.toISOString()}::timestamptz) as e,
             (select count(*)::int from forum_escalations where first_response_at is not null and created_at >= ${from.toISOString()}::timestamptz) as e_count`),
    db.execute<{ tag: string; week: string; count: number }>(sql`
      select tag, to_char(date_trunc('week', t.asked_at at time zone 'UTC'), 'YYYY-MM-DD') as week, count(*)::int as count
        from forum_threads t, unnest(t.tags) as tag
       where t.origin = 'customer' and t.moderation <> 'removed'
         and t.asked_at >= ${firstRead.toISOString()}::timestamptz and t.asked_at < ${addWeeks(thisWeek, 1).toISOString()}::timestamptz
       group by 1, 2`),
    db.execute<{ topic: string; views: number; questions: number }>(sql`
      with viewed as (
        select tag, sum(v.views)::int as views
          from forum_thread_views v
          join forum_threads t on t.id = v.thread_id, unnest(t.tags) as tag
         where t.solved and t.origin in ('published', 'customer') and v.day >= ${from.toISOString().slice(0, 10)}::date
         group by tag),
      asked as (
        select tag, count(*)::int as questions
          from forum_threads t, unnest(t.tags) as tag
         where t.origin = 'customer' and t.moderation <> 'removed' and t.asked_at >= ${from.toISOString()}::timestamptz
         group by tag)
      select coalesce(a.tag, v.tag) as topic, coalesce(v.views, 0)::int as views, coalesce(a.questions, 0)::int as questions
        from asked a full join viewed v on v.tag = a.tag
       order by questions desc, views desc, topic
       limit ${DEFLECTION_TOPICS}`),
  ]);

  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, { open: 0, overdue: 0 }])) as Record<Severity, { open: number; overdue: number }>;
  for (const row of open) bySeverity[row.severity] = { open: Number(row.open), overdue: Number(row.overdue) };
  const [r] = responses;
  const percentiles = (values: number[] | null | undefined, count: number): Percentiles => ({
    count: Number(count ?? 0),
    p50Hours: values?.[0] == null ? null : Number(values[0]) / 3600,
    p90Hours: values?.[1] == null ? null : Number(values[1]) / 3600,
  });

  const keys = Array.from({ length: trailing + SHOWN_WEEKS }, (_, i) => weekKey(addWeeks(firstRead, i)));
  const series = new Map<string, number[]>();
  for (const row of weekly) {
    const index = keys.indexOf(row.week);
    if (index < 0) continue;
    const counts = series.get(row.tag) ?? keys.map(() => 0);
    counts[index] = Number(row.count);
    series.set(row.tag, counts);
  }
  // The dashboard marks spikes whether or not the rule escalates on them.
  const spikeSettings = { ...settings.volumeSpike, enabled: true };
  const volumes: TopicVolume[] = [...series.entries()]
    .map(([topic, counts]) => ({
      topic,
      total: counts.slice(trailing).reduce((a, b) => a + b, 0),
      weeks: counts.slice(trailing).map((count, i) => {
        const at = trailing + i;
        const spike = volumeSpikeRule(count, counts.slice(at - trailing, at), spikeSettings);
        return { week: keys[at]!, count, spike: spike.fired, z: spike.z };
      }),
    }))
    .filter((v) => v.total > 0)
    .sort((a, b) => b.total - a.total || a.topic.localeCompare(b.topic))
    .slice(0, TOP_TOPICS);

  return {
    window,
    bySeverity,
    openTotal: SEVERITIES.reduce((n, s) => n + bySeverity[s].open, 0),
    overdueTotal: SEVERITIES.reduce((n, s) => n + bySeverity[s].overdue, 0),
    questionResponse: percentiles(r?.q, r?.q_count ?? 0),
    escalationResponse: percentiles(r?.e, r?.e_count ?? 0),
    weeks: keys.slice(trailing),
    volumes,
    deflection: deflection.map((d): Deflection => ({
      topic: d.topic,
      views: Number(d.views),
      questions: Number(d.questions),
      ratio: Number(d.questions) > 0 ? Number(d.views) / Number(d.questions) : null,
    })),
    spikeZ: settings.volumeSpike.z,
    spikeMin: settings.volumeSpike.minCount,
  };
}
