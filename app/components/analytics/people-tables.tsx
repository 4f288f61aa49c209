import { Link, href } from "react-router";
import type { FunnelRow, ListEntry, MavenTopic, Participation, RisingRow, RolesByDepartment, TopicRow } from "#app/features/analytics/dashboard.server.ts";
import type { DashboardWeeks, PeopleTable } from "#app/features/analytics/params.ts";
import { PROFILES } from "#app/features/analytics/roles.ts";
import { CsvLink, FigureSection, FigureTable, cell, count, numberCell } from "#app/components/charts/figure-table.tsx";
import type { SectionProps } from "#app/components/charts/figure-table.tsx";

/**
 * The people dashboard's building blocks (the shared figure and table pieces are in
 * charts/figure-table.tsx): its sections and CSV links, the tables themselves, and the role lists.
 */

export function peopleCsvHref(table: PeopleTable, weeks: DashboardWeeks): string {
  return `${href("/hr/people/:table.csv", { table })}?weeks=${weeks}`;
}

/** What each CSV link says to a screen reader, where several "Download CSV" links would sound alike. */
const CSV_LABELS: Record<PeopleTable, string> = {
  participation: "participation by department",
  topics: "questions by topic",
  rising: "rising topics",
  "hot-spots": "unanswered hot spots",
  roles: "roles by department",
  ideas: "the idea funnel",
  shortlist: "the shortlist of mavens, connectors and salesmen",
};

export function PeopleCsvLink({ table, weeks, label }: { table: PeopleTable; weeks: DashboardWeeks; label?: string }) {
  return <CsvLink to={peopleCsvHref(table, weeks)} about={CSV_LABELS[table]} label={label} />;
}

export function PeopleSection({ table, weeks, ...section }: SectionProps & { table: PeopleTable; weeks: DashboardWeeks }) {
  return <FigureSection {...section} titleId={table} actions={<PeopleCsvLink table={table} weeks={weeks} />} />;
}

export function ParticipationTable({ participation }: { participation: Participation }) {
  const names = participation.groups.map((g) => g.name);
  return (
    <FigureTable
      label="Active contributors per week"
      caption="People who asked, answered, commented, edited or gave kudos, per week and department"
      columns={["Week from", ...names.map((label) => ({ label, align: "right" as const })), { label: "All", align: "right" }]}
    >
      {participation.rows.map((r) => (
        <tr key={r.week}>
          <th scope="row" className={`${cell} font-normal whitespace-nowrap`}>
            {r.label}
          </th>
          {names.map((name) => (
            <td key={name} className={numberCell}>
              {count(r.byGroup[name] ?? 0)}
            </td>
          ))}
          <td className={`${numberCell} font-semibold`}>{count(r.total)}</td>
        </tr>
      ))}
    </FigureTable>
  );
}

export function TopicsTable({ topics, label, empty }: { topics: TopicRow[]; label: string; empty: string }) {
  if (topics.length === 0) return <p className="text-sm text-slate-600">{empty}</p>;
  return (
    <FigureTable label={label} caption={label} columns={["Topic", { label: "Questions", align: "right" }]}>
      {topics.map((t) => (
        <tr key={t.topic}>
          <th scope="row" className={`${cell} font-normal ${t.other ? "text-slate-600 italic" : ""}`}>
            {t.topic}
          </th>
          <td className={numberCell}>{count(t.questions)}</td>
        </tr>
      ))}
    </FigureTable>
  );
}

export function RisingTable({ rising }: { rising: RisingRow[] }) {
  if (rising.length === 0) return <p className="text-sm text-slate-600">No topic was asked about more this week than the week before.</p>;
  return (
    <FigureTable
      label="Rising topics"
      caption="Questions per topic in the last seven days against the seven days before"
      columns={["Topic", { label: "Previous 7 days", align: "right" }, { label: "Last 7 days", align: "right" }, { label: "Change", align: "right" }]}
    >
      {rising.map((r) => (
        <tr key={r.topic}>
          <th scope="row" className={`${cell} font-normal`}>
            {r.topic}
          </th>
          <td className={numberCell}>{count(r.lastWeek)}</td>
          <td className={numberCell}>{count(r.thisWeek)}</td>
          <td className={`${numberCell} font-semibold text-green-800`}>+{count(r.change)}</td>
        </tr>
      ))}
    </FigureTable>
  );
}

export function FunnelTable({ ideas }: { ideas: FunnelRow[] }) {
  return (
    <FigureTable label="Ideas by status" capped={false} caption="Ideas submitted in the period, by their status now" columns={["Status", { label: "Ideas", align: "right" }]}>
      {ideas.map((r) => (
        <tr key={r.status}>
          <th scope="row" className={`${cell} font-normal`}>
            {r.label}
          </th>
          <td className={numberCell}>{count(r.ideas)}</td>
        </tr>
      ))}
    </FigureTable>
  );
}

/** Participation profiles as column headers: how many people of the department mostly do each. */
const PROFILE_COLUMNS: Record<(typeof PROFILES)[number], string> = {
  answerer: "Answerers",
  asker: "Askers",
  news_poster: "News posters",
  connector: "Connecting",
  quiet: "Quiet",
};

export function RolesTable({ roles }: { roles: RolesByDepartment[] }) {
  return (
    <FigureTable
      label="Roles by department"
      caption="People, roles and participation profiles per department in the latest run"
      columns={[
        "Department",
        { label: "People", align: "right" },
        { label: "Mavens", align: "right" },
        { label: "Connectors", align: "right" },
        { label: "Salesmen", align: "right" },
        ...PROFILES.map((p) => ({ label: PROFILE_COLUMNS[p], align: "right" as const })),
      ]}
    >
      {roles.map((r) => (
        <tr key={r.department}>
          <th scope="row" className={`${cell} font-normal whitespace-nowrap ${r.other ? "text-slate-600 italic" : ""}`}>
            {r.department}
          </th>
          <td className={numberCell}>{count(r.people)}</td>
          <td className={numberCell}>{count(r.mavens)}</td>
          <td className={numberCell}>{count(r.connectors)}</td>
          <td className={numberCell}>{count(r.salesmen)}</td>
          {PROFILES.map((p) => (
            <td key={p} className={numberCell}>
              {count(r.profiles[p])}
            </td>
          ))}
        </tr>
      ))}
    </FigureTable>
  );
}

function Entries({ entries }: { entries: ListEntry[] }) {
  return (
    <ol className="divide-y divide-slate-100">
      {entries.map((e) => (
        <li key={e.userId} className="py-2">
          <Link to={href("/hr/people/:userId", { userId: String(e.userId) })} className="text-sm font-medium text-slate-900 hover:text-brand-700 hover:underline">
            {e.name}
          </Link>
          {e.department ? <span className="text-sm text-slate-500"> · {e.department}</span> : null}
          <p className="text-sm text-slate-600">{e.line}</p>
        </li>
      ))}
    </ol>
  );
}

/** The three role lists: mavens topic by topic, then connectors and salesmen. */
export function RoleLists({ mavens, connectors, salesmen }: { mavens: MavenTopic[]; connectors: ListEntry[]; salesmen: ListEntry[] }) {
  const none = <p className="text-sm text-slate-600">No one in this run.</p>;
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <section aria-labelledby="mavens-list">
        <h3 id="mavens-list" className="text-sm font-semibold text-slate-900">
          Mavens by topic
        </h3>
        {mavens.length === 0
          ? none
          : mavens.map((t) => (
              <div key={t.topic} className="mt-3">
                <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{t.topic}</h4>
                <Entries entries={t.mavens} />
              </div>
            ))}
      </section>
      <section aria-labelledby="connectors-list">
        <h3 id="connectors-list" className="text-sm font-semibold text-slate-900">
          Connectors
        </h3>
        {connectors.length === 0 ? none : <Entries entries={connectors} />}
      </section>
      <section aria-labelledby="salesmen-list">
        <h3 id="salesmen-list" className="text-sm font-semibold text-slate-900">
          Salesmen
        </h3>
        {salesmen.length === 0 ? none : <Entries entries={salesmen} />}
      </section>
    </div>
  );
}
