import { useId } from "react";
import { Link, href } from "react-router";
import type { FunnelRow, ListEntry, MavenTopic, Participation, RisingRow, RolesByDepartment, TopicRow } from "#app/features/analytics/dashboard.server.ts";
import type { DashboardWeeks, PeopleTable } from "#app/features/analytics/params.ts";
import { PROFILES } from "#app/features/analytics/roles.ts";
import { CardSection } from "#app/components/card.tsx";
import { TableHead } from "#app/components/table.tsx";

/**
 * The people dashboard's building blocks: a section with its figure (chart and table side by
 * side, a caption saying what it shows) and its CSV link, the tables themselves, and the role
 * lists. Every table is a real <table> with headers, always on the page.
 */

const cell = "px-5 py-2";
const number = "px-5 py-2 text-right tabular-nums";
const n = (value: number) => value.toLocaleString("en");

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

export function CsvLink({ table, weeks, label = "Download CSV" }: { table: PeopleTable; weeks: DashboardWeeks; label?: string }) {
  // A file download, not a page: the browser fetches it itself.
  return (
    <Link to={peopleCsvHref(table, weeks)} reloadDocument className="text-sm font-medium text-brand-700 hover:underline">
      {label}
      <span className="sr-only"> of {CSV_LABELS[table]}</span>
    </Link>
  );
}

export function PeopleSection({
  title,
  description,
  table,
  weeks,
  chart,
  caption,
  children,
}: {
  title: string;
  description: React.ReactNode;
  table: PeopleTable;
  weeks: DashboardWeeks;
  chart?: React.ReactNode;
  caption: React.ReactNode;
  children: React.ReactNode;
}) {
  const captionId = useId();
  return (
    <CardSection title={title} titleId={table} description={description} actions={<CsvLink table={table} weeks={weeks} />}>
      <figure aria-labelledby={captionId} className={chart ? "grid gap-6 lg:grid-cols-5" : ""}>
        {chart ? <div className="min-w-0 lg:col-span-3">{chart}</div> : null}
        <div className={chart ? "min-w-0 lg:col-span-2" : "min-w-0"}>{children}</div>
        <figcaption id={captionId} className={`text-sm text-slate-600 ${chart ? "lg:col-span-5" : "mt-3"}`}>
          {caption}
        </figcaption>
      </figure>
    </CardSection>
  );
}

/** A table that may be wider than its column: it scrolls on its own, and takes focus so the keyboard can scroll it. */
function Scroll({ label, capped = true, children }: { label: string; capped?: boolean; children: React.ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={`overflow-auto rounded-lg border border-slate-200 ${capped ? "max-h-96" : ""}`}>
      {children}
    </div>
  );
}

export function ParticipationTable({ participation }: { participation: Participation }) {
  const names = participation.groups.map((g) => g.name);
  return (
    <Scroll label="Active contributors per week">
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
        <caption className="sr-only">People who asked, answered, commented, edited or gave kudos, per week and department</caption>
        <TableHead columns={["Week from", ...names.map((label) => ({ label, align: "right" as const })), { label: "All", align: "right" }]} />
        <tbody className="divide-y divide-slate-100">
          {participation.rows.map((r) => (
            <tr key={r.week}>
              <th scope="row" className={`${cell} font-normal whitespace-nowrap`}>
                {r.label}
              </th>
              {names.map((name) => (
                <td key={name} className={number}>
                  {n(r.byGroup[name] ?? 0)}
                </td>
              ))}
              <td className={`${number} font-semibold`}>{n(r.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

export function TopicsTable({ topics, label, empty }: { topics: TopicRow[]; label: string; empty: string }) {
  if (topics.length === 0) return <p className="text-sm text-slate-600">{empty}</p>;
  return (
    <Scroll label={label}>
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
        <caption className="sr-only">{label}</caption>
        <TableHead columns={["Topic", { label: "Questions", align: "right" }]} />
        <tbody className="divide-y divide-slate-100">
          {topics.map((t) => (
            <tr key={t.topic}>
              <th scope="row" className={`${cell} font-normal ${t.other ? "text-slate-600 italic" : ""}`}>
                {t.topic}
              </th>
              <td className={number}>{n(t.questions)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

export function RisingTable({ rising }: { rising: RisingRow[] }) {
  if (rising.length === 0) return <p className="text-sm text-slate-600">No topic was asked about more this week than the week before.</p>;
  return (
    <Scroll label="Rising topics">
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
        <caption className="sr-only">Questions per topic in the last seven days against the seven days before</caption>
        <TableHead columns={["Topic", { label: "Previous 7 days", align: "right" }, { label: "Last 7 days", align: "right" }, { label: "Change", align: "right" }]} />
        <tbody className="divide-y divide-slate-100">
          {rising.map((r) => (
            <tr key={r.topic}>
              <th scope="row" className={`${cell} font-normal`}>
                {r.topic}
              </th>
              <td className={number}>{n(r.lastWeek)}</td>
              <td className={number}>{n(r.thisWeek)}</td>
              <td className={`${number} font-semibold text-green-800`}>+{n(r.change)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

export function FunnelTable({ ideas }: { ideas: FunnelRow[] }) {
  return (
    <Scroll label="Ideas by status" capped={false}>
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
        <caption className="sr-only">Ideas submitted in the period, by their status now</caption>
        <TableHead columns={["Status", { label: "Ideas", align: "right" }]} />
        <tbody className="divide-y divide-slate-100">
          {ideas.map((r) => (
            <tr key={r.status}>
              <th scope="row" className={`${cell} font-normal`}>
                {r.label}
              </th>
              <td className={number}>{n(r.ideas)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
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
    <Scroll label="Roles by department">
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
        <caption className="sr-only">People, roles and participation profiles per department in the latest run</caption>
        <TableHead
          columns={[
            "Department",
            { label: "People", align: "right" },
            { label: "Mavens", align: "right" },
            { label: "Connectors", align: "right" },
            { label: "Salesmen", align: "right" },
            ...PROFILES.map((p) => ({ label: PROFILE_COLUMNS[p], align: "right" as const })),
          ]}
        />
        <tbody className="divide-y divide-slate-100">
          {roles.map((r) => (
            <tr key={r.department}>
              <th scope="row" className={`${cell} font-normal whitespace-nowrap ${r.other ? "text-slate-600 italic" : ""}`}>
                {r.department}
              </th>
              <td className={number}>{n(r.people)}</td>
              <td className={number}>{n(r.mavens)}</td>
              <td className={number}>{n(r.connectors)}</td>
              <td className={number}>{n(r.salesmen)}</td>
              {PROFILES.map((p) => (
                <td key={p} className={number}>
                  {n(r.profiles[p])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
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
