import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { toCsv } from "#app/lib/csv.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { GROUP_MIN, type InsightMonths, type InsightTable, PAIR_MIN_GIVEN, PAIR_MIN_SHARE } from "./insight-params.ts";

/**
 * Recognition insights for HR, without watching anyone (issue 17): kudos over time, by value, the
 * flow between departments, the teams that receive little, and pairs who only thank each other.
 *
 * Everything here is a count over groups. People are grouped by department (and by team: a
 * manager's direct reports), and a group smaller than GROUP_MIN is folded into "Other" by
 * `foldSmallGroups`, the one place that rule lives, before any figure leaves this module. No
 * name, id or message of a person is ever returned: the pairs pattern names only the two
 * departments. Private kudos count, since they are numbers here; withdrawn kudos never count.
 *
 * Each aggregate is one query over the window's kudos; the page makes six, whatever the size of
 * the company.
 */

export { DEFAULT_MONTHS, GROUP_MIN, INSIGHT_TABLES, INSIGHT_WINDOWS, type InsightMonths, type InsightTable, PAIR_MIN_GIVEN, PAIR_MIN_SHARE, monthsParam } from "./insight-params.ts";

export const OTHER_DEPARTMENTS = "Other";
export const OTHER_TEAMS = "Other teams";
export const NO_DEPARTMENT = "No department";

/** The page lists the teams that received least, and the pairs; the CSV has every one. */
export const TEAMS_SHOWN = 20;
export const PAIRS_SHOWN = 50;

/** Only HR and admins read insights; anyone else gets the 404 of a page that isn't there (as admin pages answer). */
function requireInsightsReader(actor: Actor): void {
  if (actor.kind !== "employee" || actor.deactivatedAt || (actor.role !== "hr" && actor.role !== "admin")) throw new NotFoundError();
}

// ---- the window --------------------------------------------------------------------------------

export type InsightWindow = { months: InsightMonths; since: Date; until: Date; monthKeys: string[] };

const monthLabel = new Intl.DateTimeFormat("en", { month: "short", year: "numeric", timeZone: "UTC" });

/** Whole UTC months: this one and the `months - 1` before it, so every bar of the chart is a full month's worth (the last one so far). */
export function insightWindow(months: InsightMonths, now = new Date()): InsightWindow {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const since = new Date(Date.UTC(year, month - (months - 1), 1));
  const until = new Date(Date.UTC(year, month + 1, 1));
  const monthKeys = Array.from({ length: months }, (_, i) => new Date(Date.UTC(year, month - (months - 1) + i, 1)).toISOString().slice(0, 7));
  return { months, since, until, monthKeys };
}

/** The kudos a window counts: live ones (withdrawn never count), private ones included. */
function inWindow(w: InsightWindow) {
  return sql`k.deleted_at is null and k.created_at >= ${w.since.toISOString()}::timestamptz and k.created_at < ${w.until.toISOString()}::timestamptz`;
}

/** How people are grouped: a department's name, spaces and case aside ("Sales " and "sales" are one). */
const departmentKey = (column: string) => sql.raw(`lower(btrim(${column}))`);

// ---- folding -------------------------------------------------------------------------------------

/**
 * THE rule for groups (every aggregate goes through it): a group of fewer than `k` people is
 * folded into "Other". When that leaves "Other" itself with between 1 and k - 1 people, it would
 * single them out (everyone not in a named group), so the smallest named groups are folded in too
 * until it reaches k. `rows` come in a stable order, which settles ties between equal sizes.
 */
export function foldSmallGroups<T extends { people: number }>(rows: readonly T[], k = GROUP_MIN): { named: T[]; folded: T[] } {
  const named = rows.filter((r) => r.people >= k);
  const folded = rows.filter((r) => r.people < k);
  let other = folded.reduce((sum, r) => sum + r.people, 0);
  const bySize = [...named].sort((a, b) => a.people - b.people);
  while (other > 0 && other < k && bySize.length > 0) {
    const smallest = bySize.shift()!;
    named.splice(named.indexOf(smallest), 1);
    folded.push(smallest);
    other += smallest.people;
  }
  return { named, folded };
}

type DepartmentSize = { key: string; name: string; people: number };

export type Group = { name: string; people: number; other: boolean };

export type Departments = {
  /** The named departments by name, then "Other" when it has anyone. */
  groups: Group[];
  /** The label a department's key shows as: its name, or "Other" (also for departments with no active employee left). */
  labelOf: (key: string) => string;
};

/** Departments as groups of active employees, folded. */
export function departmentGroups(sizes: readonly DepartmentSize[], k = GROUP_MIN): Departments {
  const sorted = [...sizes].sort((a, b) => a.key.localeCompare(b.key, "en"));
  const { named, folded } = foldSmallGroups(sorted, k);
  const names = new Map(named.map((d) => [d.key, d.key === "" ? NO_DEPARTMENT : d.name]));
  const other = folded.reduce((sum, d) => sum + d.people, 0);
  const groups: Group[] = named.map((d) => ({ name: names.get(d.key)!, people: d.people, other: false })).sort((a, b) => a.name.localeCompare(b.name, "en"));
  if (other > 0) groups.push({ name: OTHER_DEPARTMENTS, people: other, other: true });
  return { groups, labelOf: (key) => names.get(key) ?? OTHER_DEPARTMENTS };
}

async function departmentSizes(db: Db): Promise<DepartmentSize[]> {
  const rows = await db.execute<DepartmentSize>(sql`
    select ${departmentKey("department")} as key, mode() within group (order by btrim(department)) as name, count(*)::int as people
    from users where kind = 'employee' and deactivated_at is null
    group by 1`);
  return rows.map((r) => ({ key: r.key, name: r.name, people: Number(r.people) }));
}

// ---- the aggregates -----------------------------------------------------------------------------

export type MonthRow = { month: string; label: string; kudos: number; points: number };

/** Kudos and their points per month, every month of the window (empty ones as 0). */
async function overTime(db: Db, w: InsightWindow): Promise<MonthRow[]> {
  const rows = await db.execute<{ month: string; kudos: number; points: number }>(sql`
    select to_char(k.created_at at time zone 'UTC', 'YYYY-MM') as month, count(*)::int as kudos, coalesce(sum(k.total_points), 0)::int as points
    from kudos k where ${inWindow(w)}
    group by 1`);
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  return w.monthKeys.map((month) => ({
    month,
    label: monthLabel.format(new Date(`${month}-01T00:00:00Z`)),
    kudos: Number(byMonth.get(month)?.kudos ?? 0),
    points: Number(byMonth.get(month)?.points ?? 0),
  }));
}

export type ValueRow = { name: string; emoji: string; kudos: number; points: number };

/** Kudos per company value, the most given first; values still offered show even at 0 (a value nobody thanks for says something too). */
async function byValue(db: Db, w: InsightWindow): Promise<ValueRow[]> {
  const rows = await db.execute<ValueRow>(sql`
    select v.name, v.emoji, count(k.id)::int as kudos, coalesce(sum(k.total_points), 0)::int as points
    from company_values v left join kudos k on k.value_id = v.id and ${inWindow(w)}
    group by v.id
    having v.archived_at is null or count(k.id) > 0
    order by kudos desc, v.position, v.name`);
  return rows.map((r) => ({ name: r.name, emoji: r.emoji, kudos: Number(r.kudos), points: Number(r.points) }));
}

export type Flow = {
  /** Row and column labels, in the same order: departments that gave or received in the window. */
  groups: string[];
  /** cells[from][to]: people thanked in `to` by kudos from `from` (a kudos to three people counts three times). */
  cells: number[][];
  given: number[];
  received: number[];
  max: number;
};

async function flowRows(db: Db, w: InsightWindow) {
  const rows = await db.execute<{ from_key: string; to_key: string; thanks: number }>(sql`
    select ${departmentKey("g.department")} as from_key, ${departmentKey("u.department")} as to_key, count(*)::int as thanks
    from kudos k
    join kudos_receivers r on r.kudos_id = k.id
    join users g on g.id = k.giver_id
    join users u on u.id = r.user_id
    where ${inWindow(w)}
    group by 1, 2`);
  return rows.map((r) => ({ fromKey: r.from_key, toKey: r.to_key, thanks: Number(r.thanks) }));
}

/** The flow between departments as a matrix, summed over the folded labels: a small department has no row or column of its own. */
export function flowMatrix(rows: ReadonlyArray<{ fromKey: string; toKey: string; thanks: number }>, departments: Departments): Flow {
  const sums = new Map<string, number>();
  const seen = new Set<string>();
  for (const r of rows) {
    const from = departments.labelOf(r.fromKey);
    const to = departments.labelOf(r.toKey);
    seen.add(from).add(to);
    const key = JSON.stringify([from, to]);
    sums.set(key, (sums.get(key) ?? 0) + r.thanks);
  }
  // The departments' own order (by name, "Other" last), keeping only those that took part.
  const groups = departments.groups.map((g) => g.name).filter((name) => seen.has(name));
  if (seen.has(OTHER_DEPARTMENTS) && !groups.includes(OTHER_DEPARTMENTS)) groups.push(OTHER_DEPARTMENTS);
  const cells = groups.map((from) => groups.map((to) => sums.get(JSON.stringify([from, to])) ?? 0));
  return {
    groups,
    cells,
    given: cells.map((row) => row.reduce((a, b) => a + b, 0)),
    received: groups.map((_, j) => cells.reduce((sum, row) => sum + row[j]!, 0)),
    max: Math.max(0, ...cells.flat()),
  };
}

export type TeamRow = { team: string; people: number; received: number; perPerson: number; other: boolean };

type TeamSize = { managerId: number; managerKey: string; people: number; received: number };

/**
 * Teams (a manager's active direct reports) by kudos received per person, the least first. A team
 * is never named after its manager: it shows as its manager's department and size ("Sales team
 * (6 people)", numbered when a department has several), and teams under GROUP_MIN are one "Other
 * teams" row.
 */
export function teamRows(sizes: readonly TeamSize[], departments: Departments, k = GROUP_MIN): TeamRow[] {
  const sorted = [...sizes].sort((a, b) => a.managerId - b.managerId);
  const { named, folded } = foldSmallGroups(sorted, k);
  const perPerson = (received: number, people: number) => (people === 0 ? 0 : Math.round((received / people) * 10) / 10);
  const department = (t: TeamSize) => {
    const label = departments.labelOf(t.managerKey);
    return label === OTHER_DEPARTMENTS ? "Team in another department" : `${label} team`;
  };
  const count = new Map<string, number>();
  for (const t of named) count.set(department(t), (count.get(department(t)) ?? 0) + 1);
  const numbered = new Map<string, number>();
  const rows: TeamRow[] = named.map((t) => {
    const base = department(t);
    const n = (numbered.get(base) ?? 0) + 1;
    numbered.set(base, n);
    const name = (count.get(base) ?? 0) > 1 ? `${base} ${n}` : base;
    return { team: `${name} (${t.people} people)`, people: t.people, received: t.received, perPerson: perPerson(t.received, t.people), other: false };
  });
  const people = folded.reduce((sum, t) => sum + t.people, 0);
  if (people > 0) {
    const received = folded.reduce((sum, t) => sum + t.received, 0);
    rows.push({ team: OTHER_TEAMS, people, received, perPerson: perPerson(received, people), other: true });
  }
  return rows.sort((a, b) => a.perPerson - b.perPerson || a.team.localeCompare(b.team, "en"));
}

async function teamSizes(db: Db, w: InsightWindow): Promise<TeamSize[]> {
  const rows = await db.execute<{ manager_id: number; manager_key: string; people: number; received: number }>(sql`
    with received as (
      select r.user_id, count(*)::int as n
      from kudos_receivers r join kudos k on k.id = r.kudos_id
      where ${inWindow(w)}
      group by r.user_id
    )
    select u.manager_id, ${departmentKey("m.department")} as manager_key, count(*)::int as people, coalesce(sum(rc.n), 0)::int as received
    from users u
    join users m on m.id = u.manager_id
    left join received rc on rc.user_id = u.id
    where u.kind = 'employee' and u.deactivated_at is null
    group by u.manager_id, m.id`);
  return rows.map((r) => ({ managerId: Number(r.manager_id), managerKey: r.manager_key, people: Number(r.people), received: Number(r.received) }));
}

export type PairRow = { departments: [string, string]; kudos: number; share: number; months: number };

type RawPair = { aKey: string; bKey: string; kudos: number; given: number; months: number };

/**
 * Pairs who only thank each other, as a pattern: two people who each gave at least PAIR_MIN_GIVEN
 * kudos in the window, at least PAIR_MIN_SHARE percent of them to the other. The query returns
 * their departments and counts, never who they are.
 */
async function pairRows(db: Db, w: InsightWindow): Promise<RawPair[]> {
  const rows = await db.execute<{ a_key: string; b_key: string; kudos: number; given: number; months: number }>(sql`
    with given as (
      select k.id, k.giver_id, to_char(k.created_at at time zone 'UTC', 'YYYY-MM') as month from kudos k where ${inWindow(w)}
    ),
    totals as (
      select giver_id, count(*)::int as n from given group by giver_id having count(*) >= ${PAIR_MIN_GIVEN}
    ),
    directed as (
      select g.giver_id as a, r.user_id as b, count(*)::int as n, array_agg(distinct g.month) as months
      from given g join totals t on t.giver_id = g.giver_id join kudos_receivers r on r.kudos_id = g.id
      group by 1, 2
    )
    select ${departmentKey("ua.department")} as a_key, ${departmentKey("ub.department")} as b_key,
      (ab.n + ba.n)::int as kudos, (ta.n + tb.n)::int as given,
      (select count(distinct m) from unnest(ab.months || ba.months) m)::int as months
    from directed ab
    join directed ba on ba.a = ab.b and ba.b = ab.a and ab.a < ab.b
    join totals ta on ta.giver_id = ab.a
    join totals tb on tb.giver_id = ab.b
    join users ua on ua.id = ab.a
    join users ub on ub.id = ab.b
    where ab.n * 100 >= ta.n * ${PAIR_MIN_SHARE} and ba.n * 100 >= tb.n * ${PAIR_MIN_SHARE}`);
  return rows.map((r) => ({ aKey: r.a_key, bKey: r.b_key, kudos: Number(r.kudos), given: Number(r.given), months: Number(r.months) }));
}

/** The pairs with their departments folded like everywhere else, the most kudos first. */
export function pairPatterns(rows: readonly RawPair[], departments: Departments): PairRow[] {
  return rows
    .map((r): PairRow => {
      const names = [departments.labelOf(r.aKey), departments.labelOf(r.bKey)].sort((a, b) => a.localeCompare(b, "en")) as [string, string];
      return { departments: names, kudos: r.kudos, share: Math.round((r.kudos / r.given) * 100), months: r.months };
    })
    .sort((a, b) => b.kudos - a.kudos || b.share - a.share || a.departments.join().localeCompare(b.departments.join(), "en"));
}

// ---- the page and the exports --------------------------------------------------------------------

export type Insights = {
  months: InsightMonths;
  since: string;
  groupMin: number;
  totals: { kudos: number; points: number };
  overTime: MonthRow[];
  byValue: ValueRow[];
  departments: Group[];
  flow: Flow;
  /** The TEAMS_SHOWN teams that received least per person, and how many teams there are. */
  teams: TeamRow[];
  teamCount: number;
  pairs: PairRow[];
  pairCount: number;
};

/** The whole page: six queries, run side by side. */
export async function recognitionInsights(db: Db, actor: Actor, months: InsightMonths, now = new Date()): Promise<Insights> {
  requireInsightsReader(actor);
  const w = insightWindow(months, now);
  const [sizes, monthRows, values, flow, teams, rawPairs] = await Promise.all([departmentSizes(db), overTime(db, w), byValue(db, w), flowRows(db, w), teamSizes(db, w), pairRows(db, w)]);
  const departments = departmentGroups(sizes);
  const allTeams = teamRows(teams, departments);
  const allPairs = pairPatterns(rawPairs, departments);
  return {
    months,
    since: w.since.toISOString(),
    groupMin: GROUP_MIN,
    totals: { kudos: monthRows.reduce((s, m) => s + m.kudos, 0), points: monthRows.reduce((s, m) => s + m.points, 0) },
    overTime: monthRows,
    byValue: values,
    departments: departments.groups,
    flow: flowMatrix(flow, departments),
    teams: allTeams.slice(0, TEAMS_SHOWN),
    teamCount: allTeams.length,
    pairs: allPairs.slice(0, PAIRS_SHOWN),
    pairCount: allPairs.length,
  };
}

/** One table as CSV records, header first: the same figures, folded the same way, as the page shows. */
export async function insightsCsv(db: Db, actor: Actor, table: InsightTable, months: InsightMonths, now = new Date()): Promise<{ filename: string; csv: string }> {
  requireInsightsReader(actor);
  const w = insightWindow(months, now);
  const departments = async () => departmentGroups(await departmentSizes(db));
  let records: Array<Array<string | number>>;
  switch (table) {
    case "over-time":
      records = [["month", "kudos", "points"], ...(await overTime(db, w)).map((m) => [m.month, m.kudos, m.points])];
      break;
    case "values":
      records = [["value", "kudos", "points"], ...(await byValue(db, w)).map((v) => [v.name, v.kudos, v.points])];
      break;
    case "flow": {
      const [groups, rows] = await Promise.all([departments(), flowRows(db, w)]);
      const flow = flowMatrix(rows, groups);
      records = [
        ["from / to", ...flow.groups, "total given"],
        ...flow.groups.map((from, i) => [from, ...flow.cells[i]!, flow.given[i]!]),
        ["total received", ...flow.received, flow.received.reduce((a, b) => a + b, 0)],
      ];
      break;
    }
    case "teams": {
      const [groups, sizes] = await Promise.all([departments(), teamSizes(db, w)]);
      records = [["team", "people", "kudos received", "per person"], ...teamRows(sizes, groups).map((t) => [t.team, t.people, t.received, t.perPerson])];
      break;
    }
    case "pairs": {
      const [groups, rows] = await Promise.all([departments(), pairRows(db, w)]);
      records = [
        ["department", "department", "kudos between them", "share of what they gave (%)", "months"],
        ...pairPatterns(rows, groups).map((p) => [...p.departments, p.kudos, p.share, p.months]),
      ];
      break;
    }
  }
  return { filename: `recognition-${table}-${w.monthKeys[0]}-to-${w.monthKeys.at(-1)}.csv`, csv: toCsv(records) };
}
