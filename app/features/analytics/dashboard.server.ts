import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { departmentGroups, foldSmallGroups, NO_DEPARTMENT, OTHER_DEPARTMENTS } from "#app/features/recognition/insights.server.ts";
import { IDEA_STATUSES, type IdeaStatus, STATUS_LABELS } from "#app/features/ideas/schemas.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { toCsv } from "#app/lib/csv.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { type RoleName, roleLine } from "./explain.ts";
import { countedPerson } from "./graph.server.ts";
import { type DashboardWeeks, GROUP_MIN, LIST_SHOWN, type PeopleTable, UNANSWERED_AFTER_DAYS } from "./params.ts";
import { PROFILES, type Profile, type RoleExplanation } from "./roles.ts";
import { recordHrViews } from "#app/features/audit/audit.server.ts";

/**
 * HR's people dashboard (docs/people-analytics.md): participation by department, questions by
 * topic, rising topics, unanswered hot spots, the idea funnel, a recognition summary, and the
 * latest SNA run's roles by department and lists of mavens, connectors and salesmen.
 *
 * The aggregates count people, never time: "active" means someone asked, answered, commented,
 * edited or thanked someone in a week. Every group of people smaller than GROUP_MIN is folded
 * (recognition's `foldSmallGroups`, the one place that rule lives): departments into "Other",
 * topics asked about by fewer than GROUP_MIN people into "Other topics". Questions in every space
 * count, but only as numbers: a topic is named only when HR can see a space it is used in, and
 * no question's title appears anywhere here. People who opted out of the role lists are in the
 * aggregates and in no list.
 */

export const OTHER_TOPICS = "Other topics";

function requireHr(actor: Actor): void {
  if (actor.kind !== "employee" || actor.deactivatedAt || (actor.role !== "hr" && actor.role !== "admin")) throw new NotFoundError();
}

const DAY = 86_400_000;
const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const weekLabel = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });

// ---- the period ----------------------------------------------------------------------------------

export type Period = { weeks: DashboardWeeks; since: Date; until: Date; weekKeys: string[] };

/** Whole UTC weeks from Monday: this one (so far) and the `weeks - 1` before it. */
export function dashboardPeriod(weeks: DashboardWeeks, now = new Date()): Period {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;
  const since = new Date(monday - (weeks - 1) * 7 * DAY);
  const weekKeys = Array.from({ length: weeks }, (_, i) => new Date(since.getTime() + i * 7 * DAY).toISOString().slice(0, 10));
  return { weeks, since, until: now, weekKeys };
}

// ---- departments ---------------------------------------------------------------------------------

async function departmentSizes(db: Db) {
  const rows = await db.execute<{ key: string; name: string; people: number }>(sql`
    select lower(btrim(u.department)) as key, mode() within group (order by btrim(u.department)) as name, count(*)::int as people
    from users u where ${countedPerson("u")} group by 1`);
  return rows.map((r) => ({ key: r.key, name: r.name, people: Number(r.people) }));
}

export type ParticipationRow = { week: string; label: string; total: number; byGroup: Record<string, number> };
export type Participation = { groups: Array<{ name: string; people: number; other: boolean }>; rows: ParticipationRow[] };

/** Distinct people active each week, per (folded) department. */
async function participation(db: Db, p: Period): Promise<Participation> {
  const [sizes, rows] = await Promise.all([
    departmentSizes(db),
    db.execute<{ week: string; key: string; people: number }>(sql`
      with active(user_id, at) as (
        select author_id, created_at from posts where deleted_at is null and created_at >= ${at(p.since)} and created_at < ${at(p.until)}
        union all select author_id, created_at from comments where deleted_at is null and created_at >= ${at(p.since)} and created_at < ${at(p.until)}
        union all select editor_id, created_at from revisions where kind in ('edit', 'rollback') and created_at >= ${at(p.since)} and created_at < ${at(p.until)}
        union all select giver_id, created_at from kudos where deleted_at is null and created_at >= ${at(p.since)} and created_at < ${at(p.until)}
      )
      select to_char(date_trunc('week', a.at at time zone 'UTC'), 'YYYY-MM-DD') as week, lower(btrim(u.department)) as key, count(distinct a.user_id)::int as people
      from active a join users u on u.id = a.user_id
      where ${countedPerson("u")}
      group by 1, 2`),
  ]);
  const departments = departmentGroups(sizes);
  const cells = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const label = departments.labelOf(r.key);
    const week = cells.get(r.week) ?? {};
    week[label] = (week[label] ?? 0) + Number(r.people);
    cells.set(r.week, week);
  }
  return {
    groups: departments.groups,
    rows: p.weekKeys.map((week) => {
      const byGroup = cells.get(week) ?? {};
      return {
        week,
        label: weekLabel.format(new Date(`${week}T00:00:00Z`)),
        total: Object.values(byGroup).reduce((a, b) => a + b, 0),
        byGroup: Object.fromEntries(departments.groups.map((g) => [g.name, byGroup[g.name] ?? 0])),
      };
    }),
  };
}

// ---- topics --------------------------------------------------------------------------------------

export type TopicRow = { topic: string; questions: number; other: boolean };
export type RisingRow = { topic: string; lastWeek: number; thisWeek: number; change: number };

type RawTopic = { name: string; questions: number; people: number; visible: boolean };

/** Named topics (asked about by GROUP_MIN people or more, used in a space HR sees), the most first, then "Other topics". */
export function foldTopics(rows: readonly RawTopic[], shown: number): TopicRow[] {
  const sorted = [...rows].sort((a, b) => b.questions - a.questions || a.name.localeCompare(b.name, "en"));
  const named = sorted.filter((r) => r.visible && r.people >= GROUP_MIN);
  const kept = named.slice(0, shown);
  const rest = sorted.filter((r) => !kept.includes(r)).reduce((sum, r) => sum + r.questions, 0);
  const out = kept.map((r) => ({ topic: r.name, questions: r.questions, other: false }));
  if (rest > 0) out.push({ topic: OTHER_TOPICS, questions: rest, other: true });
  return out;
}

/**
 * Questions per topic over [since, until), with `extra` narrowing them. A question with three
 * topics counts once in each. The anonymous stand-in is not a person: anonymous questions count
 * as questions, never as someone asking.
 */
function topicCounts(db: Db, actor: Actor, since: Date, until: Date, extra = sql`true`) {
  return db.execute<{ name: string; questions: number; people: number; visible: boolean }>(sql`
    select t.name, count(*)::int as questions, ${peopleAndVisibility(actor)}
    ${questionsByTopic(since, until, extra)}`);
}

/** What both topic queries count beside questions: the people who asked, and whether the topic is used in a space HR sees. */
function peopleAndVisibility(actor: Actor) {
  return sql`count(distinct q.author_id) filter (where ${countedPerson("u")})::int as people,
      bool_or(${inVisibleSpace(actor, sql`q.space_id`)}) as visible`;
}

/** Live questions asked over [since, until) and narrowed by `extra`, a row per question and topic, grouped by topic. */
function questionsByTopic(since: Date, until: Date, extra = sql`true`) {
  return sql`from posts q
    join question_tags qt on qt.post_id = q.id
    join tags t on t.id = qt.tag_id
    join users u on u.id = q.author_id
    where q.type = 'question' and q.deleted_at is null and q.created_at >= ${at(since)} and q.created_at < ${at(until)} and ${extra}
    group by t.id`;
}

const raw = (rows: Array<{ name: string; questions: number; people: number; visible: boolean }>): RawTopic[] =>
  rows.map((r) => ({ name: r.name, questions: Number(r.questions), people: Number(r.people), visible: Boolean(r.visible) }));

/** The last seven days against the seven before: topics asked about more, by how many more. */
async function risingTopics(db: Db, actor: Actor, now: Date): Promise<RisingRow[]> {
  const rows = await db.execute<{ name: string; last_week: number; this_week: number; people: number; visible: boolean }>(sql`
    select t.name,
      count(*) filter (where q.created_at < ${at(new Date(now.getTime() - 7 * DAY))})::int as last_week,
      count(*) filter (where q.created_at >= ${at(new Date(now.getTime() - 7 * DAY))})::int as this_week,
      ${peopleAndVisibility(actor)}
    ${questionsByTopic(new Date(now.getTime() - 14 * DAY), now)}`);
  return rows
    .filter((r) => r.visible && Number(r.people) >= GROUP_MIN && Number(r.this_week) > Number(r.last_week))
    .map((r) => ({ topic: r.name, lastWeek: Number(r.last_week), thisWeek: Number(r.this_week), change: Number(r.this_week) - Number(r.last_week) }))
    .sort((a, b) => b.change - a.change || b.thisWeek - a.thisWeek || a.topic.localeCompare(b.topic, "en"));
}

/** Questions of the period still without an answer UNANSWERED_AFTER_DAYS days after they were asked (open ones only), by topic. */
function hotSpotCounts(db: Db, actor: Actor, p: Period) {
  const asked = new Date(Math.min(p.until.getTime(), p.until.getTime() - UNANSWERED_AFTER_DAYS * DAY));
  return topicCounts(db, actor, p.since, asked, sql`q.answer_count = 0 and q.closed_at is null`);
}

// ---- ideas and recognition -----------------------------------------------------------------------

export type FunnelRow = { status: IdeaStatus; label: string; ideas: number };

async function ideaFunnel(db: Db, p: Period): Promise<FunnelRow[]> {
  const rows = await db.execute<{ status: IdeaStatus; ideas: number }>(sql`
    select status, count(*)::int as ideas from ideas where created_at >= ${at(p.since)} and created_at < ${at(p.until)} group by status`);
  const by = new Map(rows.map((r) => [r.status, Number(r.ideas)]));
  return IDEA_STATUSES.map((status) => ({ status, label: STATUS_LABELS[status], ideas: by.get(status) ?? 0 }));
}

export type RecognitionSummary = { kudos: number; givers: number; thanked: number };

async function recognitionSummary(db: Db, p: Period): Promise<RecognitionSummary> {
  const [row] = await db.execute<{ kudos: number; givers: number; thanked: number }>(sql`
    select count(distinct k.id)::int as kudos, count(distinct k.giver_id)::int as givers, count(distinct r.user_id)::int as thanked
    from kudos k left join kudos_receivers r on r.kudos_id = k.id
    where k.deleted_at is null and k.created_at >= ${at(p.since)} and k.created_at < ${at(p.until)}`);
  return { kudos: Number(row?.kudos ?? 0), givers: Number(row?.givers ?? 0), thanked: Number(row?.thanked ?? 0) };
}

// ---- the latest run ------------------------------------------------------------------------------

export type RunInfo = {
  id: number;
  status: "running" | "done" | "failed";
  windowStart: string;
  windowEnd: string;
  people: number;
  interactions: number;
  edges: number;
  durationMs: number | null;
  peakHeapMb: number | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
};

export type RunsState = { latest: RunInfo | null; running: RunInfo | null; failed: RunInfo | null };

/** The latest finished run (whose results show), one running now, and a failure newer than the latest result. */
async function runs(db: Db): Promise<RunsState> {
  const rows = await db.execute<{
    id: number;
    status: RunInfo["status"];
    window_start: string;
    window_end: string;
    people: number;
    interactions: number;
    edges: number;
    duration_ms: number | null;
    peak_heap_mb: number | null;
    error: string | null;
    started_at: string;
    finished_at: string | null;
  }>(sql`
    (select * from analytics_runs where status = 'done' order by window_end desc, id desc limit 1)
    union all (select * from analytics_runs where status <> 'done' order by started_at desc, id desc limit 2)`);
  const info = rows.map((r): RunInfo => ({
    id: r.id,
    status: r.status,
    windowStart: new Date(r.window_start).toISOString(),
    windowEnd: new Date(r.window_end).toISOString(),
    people: r.people,
    interactions: r.interactions,
    edges: r.edges,
    durationMs: r.duration_ms,
    peakHeapMb: r.peak_heap_mb,
    error: r.error,
    startedAt: new Date(r.started_at).toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  }));
  const latest = info.find((r) => r.status === "done") ?? null;
  const running = info.find((r) => r.status === "running") ?? null;
  const failed = info.find((r) => r.status === "failed" && (!latest || r.startedAt > latest.startedAt)) ?? null;
  return { latest, running, failed };
}

export type RolesByDepartment = {
  department: string;
  people: number;
  other: boolean;
  mavens: number;
  connectors: number;
  salesmen: number;
  profiles: Record<Profile, number>;
};

async function rolesByDepartment(db: Db, runId: number): Promise<RolesByDepartment[]> {
  const rows = await db.execute<Record<string, number | string>>(sql`
    select lower(btrim(department)) as key, mode() within group (order by btrim(department)) as name, count(*)::int as people,
      sum(is_maven)::int as mavens, sum(is_connector)::int as connectors, sum(is_salesman)::int as salesmen,
      ${sql.join(
        PROFILES.map((p) => sql`count(*) filter (where profile = ${p})::int as ${sql.identifier(p)}`),
        sql`, `,
      )}
    from person_roles where run_id = ${runId} group by 1 order by 1`);
  const groups = rows.map((r) => ({
    key: String(r.key),
    name: String(r.key) === "" ? NO_DEPARTMENT : String(r.name),
    people: Number(r.people),
    mavens: Number(r.mavens),
    connectors: Number(r.connectors),
    salesmen: Number(r.salesmen),
    profiles: Object.fromEntries(PROFILES.map((p) => [p, Number(r[p])])) as Record<Profile, number>,
  }));
  const { named, folded } = foldSmallGroups(groups);
  const out: RolesByDepartment[] = named.map(({ key: _key, name, ...g }) => ({ department: name, other: false, ...g })).sort((a, b) => a.department.localeCompare(b.department, "en"));
  if (folded.length > 0) {
    const sum = (pick: (g: (typeof groups)[number]) => number) => folded.reduce((s, g) => s + pick(g), 0);
    out.push({
      department: OTHER_DEPARTMENTS,
      other: true,
      people: sum((g) => g.people),
      mavens: sum((g) => g.mavens),
      connectors: sum((g) => g.connectors),
      salesmen: sum((g) => g.salesmen),
      profiles: Object.fromEntries(PROFILES.map((p) => [p, sum((g) => g.profiles[p])])) as Record<Profile, number>,
    });
  }
  return out;
}

export type ListEntry = { userId: number; name: string; department: string; line: string };
export type MavenTopic = { topic: string; mavens: ListEntry[] };
export type RoleLists = { mavens: MavenTopic[]; connectors: ListEntry[]; salesmen: ListEntry[] };

type ListRow = { user_id: number; name: string; department: string; explanation: RoleExplanation; topic: string | null };

/** People of the run with a role, not opted out and still active, best first; `limit` per list (per topic for mavens). */
async function roleLists(db: Db, runId: number, limit: number | null): Promise<RoleLists> {
  const cap = limit === null ? sql`` : sql`limit ${limit}`;
  const person = sql`join users u on u.id = r.user_id and not u.roles_opt_out and ${countedPerson("u")}`;
  const [connectors, salesmen, mavens] = await Promise.all([
    db.execute<ListRow>(sql`
      select r.user_id, u.name, r.department, r.explanation, null as topic from person_roles r ${person}
      where r.run_id = ${runId} and r.is_connector = 1 order by r.connector desc, u.name, u.id ${cap}`),
    db.execute<ListRow>(sql`
      select r.user_id, u.name, r.department, r.explanation, null as topic from person_roles r ${person}
      where r.run_id = ${runId} and r.is_salesman = 1 order by r.salesman desc, u.name, u.id ${cap}`),
    // Topics with the most mavens' help first; the best-placed mavens in each.
    db.execute<ListRow & { people: number }>(sql`
      with entries as (
        select r.user_id, u.name, r.department, r.explanation, t.value ->> 'tag' as topic, (t.value ->> 'people')::int as people
        from person_roles r ${person}
        cross join lateral jsonb_array_elements(r.explanation -> 'maven' -> 'topics') t
        where r.run_id = ${runId} and r.is_maven = 1
      ),
      ranked as (
        select e.*, row_number() over (partition by topic order by people desc, name, user_id) as place,
          sum(people) over (partition by topic) as weight
        from entries e
      ),
      topics as (
        select topic from ranked group by topic order by max(weight) desc, topic ${limit === null ? sql`` : sql`limit ${Math.ceil(limit / 2)}`}
      )
      select r.user_id, r.name, r.department, r.explanation, r.topic, r.people from ranked r
      where r.topic in (select topic from topics) ${limit === null ? sql`` : sql`and r.place <= 3`}
      order by r.weight desc, r.topic, r.place`),
  ]);
  const entry = (role: RoleName, r: ListRow): ListEntry => ({
    userId: r.user_id,
    name: r.name,
    department: r.department,
    line: roleLine(role, r.explanation, r.topic ?? undefined),
  });
  const byTopic = new Map<string, ListEntry[]>();
  for (const r of mavens) {
    const list = byTopic.get(r.topic!) ?? [];
    list.push(entry("maven", r));
    byTopic.set(r.topic!, list);
  }
  return {
    mavens: [...byTopic].map(([topic, list]) => ({ topic, mavens: list })),
    connectors: connectors.map((r) => entry("connector", r)),
    salesmen: salesmen.map((r) => entry("salesman", r)),
  };
}

// ---- the page ------------------------------------------------------------------------------------

export type PeopleDashboard = {
  weeks: DashboardWeeks;
  since: string;
  groupMin: number;
  unansweredAfterDays: number;
  participation: Participation;
  topics: TopicRow[];
  rising: RisingRow[];
  hotSpots: TopicRow[];
  ideas: FunnelRow[];
  recognition: RecognitionSummary;
  runs: RunsState;
  roles: RolesByDepartment[];
  lists: RoleLists;
};

const TOPICS_SHOWN = 15;

/**
 * Participation by department walks every post, comment, vote, kudos and edit of the weeks shown
 * (the page's one heavy statement, ~240 ms at 20,000 questions): it is the same for every HR
 * reader and moves slowly, so it is kept five minutes per handle and period. A failed read is not kept.
 */
const PARTICIPATION_KEPT_MS = 5 * 60_000;
const participationCache = new WeakMap<Db, Map<string, { at: number; value: ReturnType<typeof participation> }>>();
function participationKept(db: Db, p: Period, now: Date): ReturnType<typeof participation> {
  let perDb = participationCache.get(db);
  if (!perDb) participationCache.set(db, (perDb = new Map()));
  const key = `${p.weeks}:${p.since.toISOString()}`;
  const hit = perDb.get(key);
  if (hit && hit.at <= now.getTime() && now.getTime() - hit.at < PARTICIPATION_KEPT_MS) return hit.value;
  const value = participation(db, p);
  perDb.set(key, { at: now.getTime(), value });
  value.catch(() => perDb.delete(key));
  return value;
}

/** The whole page: a fixed number of queries whatever the size of the company. */
export async function peopleDashboard(db: Db, actor: Actor, weeks: DashboardWeeks, now = new Date()): Promise<PeopleDashboard> {
  requireHr(actor);
  const p = dashboardPeriod(weeks, now);
  const [part, topics, rising, hot, ideas, recognition, runState] = await Promise.all([
    participationKept(db, p, now),
    topicCounts(db, actor, p.since, p.until),
    risingTopics(db, actor, now),
    hotSpotCounts(db, actor, p),
    ideaFunnel(db, p),
    recognitionSummary(db, p),
    runs(db),
  ]);
  const latest = runState.latest;
  const [roles, lists] = latest ? await Promise.all([rolesByDepartment(db, latest.id), roleLists(db, latest.id, LIST_SHOWN)]) : [[], { mavens: [], connectors: [], salesmen: [] }];
  return {
    weeks,
    since: p.since.toISOString(),
    groupMin: GROUP_MIN,
    unansweredAfterDays: UNANSWERED_AFTER_DAYS,
    participation: part,
    topics: foldTopics(raw(topics), TOPICS_SHOWN),
    rising: rising.slice(0, LIST_SHOWN),
    hotSpots: foldTopics(raw(hot), LIST_SHOWN),
    ideas,
    recognition,
    runs: runState,
    roles,
    lists,
  };
}

/**
 * One table as CSV, folded as the page shows it (topics with every named one). The shortlist
 * names people, so exporting it is logged as HR looking at each of them (what "shortlist"), as
 * opening one person's analytics is.
 */
export async function peopleCsv(db: Db, actor: Actor, table: PeopleTable, weeks: DashboardWeeks, now = new Date()): Promise<{ filename: string; csv: string }> {
  requireHr(actor);
  const p = dashboardPeriod(weeks, now);
  const stamp = `${p.weekKeys[0]}-to-${now.toISOString().slice(0, 10)}`;
  let records: Array<Array<string | number>>;
  switch (table) {
    case "participation": {
      const part = await participation(db, p);
      const names = part.groups.map((g) => g.name);
      records = [["week from", ...names, "all"], ...part.rows.map((r) => [r.week, ...names.map((n) => r.byGroup[n] ?? 0), r.total])];
      break;
    }
    case "topics":
      records = [["topic", "questions"], ...foldTopics(raw(await topicCounts(db, actor, p.since, p.until)), Infinity).map((t) => [t.topic, t.questions])];
      break;
    case "rising":
      records = [["topic", "previous 7 days", "last 7 days", "change"], ...(await risingTopics(db, actor, now)).map((r) => [r.topic, r.lastWeek, r.thisWeek, r.change])];
      break;
    case "hot-spots":
      records = [[`topic`, `questions unanswered after ${UNANSWERED_AFTER_DAYS} days`], ...foldTopics(raw(await hotSpotCounts(db, actor, p)), Infinity).map((t) => [t.topic, t.questions])];
      break;
    case "ideas":
      records = [["status", "ideas"], ...(await ideaFunnel(db, p)).map((r) => [r.label, r.ideas])];
      break;
    case "roles": {
      const { latest } = await runs(db);
      const rows = latest ? await rolesByDepartment(db, latest.id) : [];
      records = [
        ["department", "people", "mavens", "connectors", "salesmen", ...PROFILES.map((x) => `profile: ${x.replace("_", " ")}`)],
        ...rows.map((r) => [r.department, r.people, r.mavens, r.connectors, r.salesmen, ...PROFILES.map((x) => r.profiles[x])]),
      ];
      return { filename: `people-roles-${latest ? latest.windowEnd.slice(0, 10) : "none"}.csv`, csv: toCsv(records) };
    }
    case "shortlist": {
      const { latest } = await runs(db);
      const lists = latest ? await roleLists(db, latest.id, null) : { mavens: [], connectors: [], salesmen: [] };
      const rows: Array<[string, string, ListEntry]> = [
        ...lists.mavens.flatMap((t) => t.mavens.map((e): [string, string, ListEntry] => ["maven", t.topic, e])),
        ...lists.connectors.map((e): [string, string, ListEntry] => ["connector", "", e]),
        ...lists.salesmen.map((e): [string, string, ListEntry] => ["salesman", "", e]),
      ];
      const people = [...new Set(rows.map(([, , e]) => e.userId))];
      await recordHrViews(db, actor.id, people, "shortlist");
      records = [["role", "topic", "name", "department", "why"], ...rows.map(([role, topic, e]) => [role, topic, e.name, e.department, e.line])];
      return { filename: `people-shortlist-${latest ? latest.windowEnd.slice(0, 10) : "none"}.csv`, csv: toCsv(records) };
    }
  }
  return { filename: `people-${table}-${stamp}.csv`, csv: toCsv(records) };
}
