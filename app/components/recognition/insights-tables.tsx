import { useId } from "react";
import { Link, href } from "react-router";
import type { InsightMonths, InsightTable } from "#app/features/recognition/insight-params.ts";
import type { Flow, MonthRow, PairRow, TeamRow, ValueRow } from "#app/features/recognition/insights.server.ts";
import { CardSection } from "#app/components/card.tsx";
import { TableHead } from "#app/components/table.tsx";

/**
 * The insights page's building blocks: a section with its figure (chart and table side by side,
 * a caption that says what it shows) and its CSV link, and the tables themselves. Every table is
 * a real <table> with headers, always on the page: the charts are drawn for the eye only.
 */

const cell = "px-5 py-2";
const number = "px-5 py-2 text-right tabular-nums";
const n = (value: number) => value.toLocaleString("en");

export function csvHref(table: InsightTable, months: InsightMonths): string {
  return `${href("/hr/recognition/:table.csv", { table })}?months=${months}`;
}

/** What each CSV link says to a screen reader, where five "Download CSV" links would sound alike. */
const CSV_LABELS: Record<InsightTable, string> = {
  "over-time": "kudos over time",
  values: "kudos by value",
  flow: "kudos between departments",
  teams: "kudos per team",
  pairs: "pairs",
};

function CsvLink({ table, months }: { table: InsightTable; months: InsightMonths }) {
  // A file download, not a page: the browser fetches it itself.
  return (
    <Link to={csvHref(table, months)} reloadDocument className="text-sm font-medium text-brand-700 hover:underline">
      Download CSV<span className="sr-only"> of {CSV_LABELS[table]}</span>
    </Link>
  );
}

/** One section of the page: a figure with an optional chart beside its table, the caption under both. */
export function InsightSection({
  title,
  description,
  table,
  months,
  chart,
  caption,
  children,
}: {
  title: string;
  description: React.ReactNode;
  table: InsightTable;
  months: InsightMonths;
  chart?: React.ReactNode;
  caption: React.ReactNode;
  children: React.ReactNode;
}) {
  const captionId = useId();
  return (
    <CardSection title={title} titleId={table} description={description} actions={<CsvLink table={table} months={months} />}>
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

export function OverTimeTable({ months }: { months: MonthRow[] }) {
  return (
    // At most twelve rows: shown whole, so the latest months need no scrolling.
    <Scroll label="Kudos per month" capped={false}>
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
        <caption className="sr-only">Kudos and points per month</caption>
        <TableHead columns={["Month", { label: "Kudos", align: "right" }, { label: "Points", align: "right" }]} />
        <tbody className="divide-y divide-slate-100">
          {months.map((m) => (
            <tr key={m.month}>
              <th scope="row" className={`${cell} font-normal`}>
                {m.label}
              </th>
              <td className={number}>{n(m.kudos)}</td>
              <td className={number}>{n(m.points)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

export function ValuesTable({ values }: { values: ValueRow[] }) {
  if (values.length === 0) return <p className="text-sm text-slate-600">The company has no values yet.</p>;
  return (
    <Scroll label="Kudos per value">
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
        <caption className="sr-only">Kudos and points per company value</caption>
        <TableHead columns={["Value", { label: "Kudos", align: "right" }, { label: "Points", align: "right" }]} />
        <tbody className="divide-y divide-slate-100">
          {values.map((v, i) => (
            <tr key={`${i}-${v.name}`}>
              <th scope="row" className={`${cell} font-normal`}>
                {v.emoji ? <span aria-hidden="true">{v.emoji} </span> : null}
                {v.name}
              </th>
              <td className={number}>{n(v.kudos)}</td>
              <td className={number}>{n(v.points)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

/** Four shades of the brand colour by share of the largest cell; the number is always written too, so colour is never the only cue. */
function shade(value: number, max: number): string {
  if (value === 0 || max === 0) return "text-slate-500";
  const share = value / max;
  if (share <= 0.25) return "bg-brand-50 text-slate-900";
  if (share <= 0.5) return "bg-brand-100 text-slate-900";
  if (share <= 0.75) return "bg-brand-200 text-slate-900";
  return "bg-brand-600 font-semibold text-white";
}

/** The flow between departments as a heatmap table: rows give, columns receive. */
export function FlowMatrix({ flow }: { flow: Flow }) {
  if (flow.groups.length === 0) return <p className="text-sm text-slate-600">No kudos between departments in this period.</p>;
  return (
    <Scroll label="Kudos between departments">
      <table className="min-w-full border-collapse text-sm">
        <caption className="sr-only">People thanked, by the giver's department (rows) and the receiver's department (columns)</caption>
        <thead className="bg-slate-50 text-xs font-semibold text-slate-600">
          <tr>
            <td className={cell} />
            {flow.groups.map((to) => (
              <th key={to} scope="col" className={`${cell} text-right align-bottom`}>
                <span className="sr-only">To </span>
                {to}
              </th>
            ))}
            <th scope="col" className={`${cell} text-right align-bottom`}>
              Total given
            </th>
          </tr>
        </thead>
        <tbody>
          {flow.groups.map((from, i) => (
            <tr key={from} className="border-t border-slate-100">
              <th scope="row" className={`${cell} text-left font-medium whitespace-nowrap text-slate-800`}>
                <span className="sr-only">From </span>
                {from}
              </th>
              {flow.cells[i]!.map((value, j) => (
                <td key={flow.groups[j]} className={`${number} ${shade(value, flow.max)}`}>
                  {n(value)}
                </td>
              ))}
              <td className={`${number} font-semibold text-slate-900`}>{n(flow.given[i]!)}</td>
            </tr>
          ))}
          <tr className="border-t border-slate-200 bg-slate-50">
            <th scope="row" className={`${cell} text-left font-semibold text-slate-800`}>
              Total received
            </th>
            {flow.received.map((value, j) => (
              <td key={flow.groups[j]} className={`${number} font-semibold text-slate-900`}>
                {n(value)}
              </td>
            ))}
            <td className={`${number} font-semibold text-slate-900`}>{n(flow.received.reduce((a, b) => a + b, 0))}</td>
          </tr>
        </tbody>
      </table>
    </Scroll>
  );
}

export function TeamsTable({ teams }: { teams: TeamRow[] }) {
  if (teams.length === 0) return <p className="text-sm text-slate-600">No one has a manager on record yet, so there are no teams to compare.</p>;
  return (
    <Scroll label="Kudos received per team">
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
        <caption className="sr-only">Kudos received per person in each team, the least first</caption>
        <TableHead columns={["Team", { label: "People", align: "right" }, { label: "Received", align: "right" }, { label: "Per person", align: "right" }]} />
        <tbody className="divide-y divide-slate-100">
          {teams.map((t) => (
            <tr key={t.team}>
              <th scope="row" className={`${cell} font-normal`}>
                {t.team}
              </th>
              <td className={number}>{n(t.people)}</td>
              <td className={number}>{n(t.received)}</td>
              <td className={`${number} font-semibold text-slate-900`}>{t.perPerson.toLocaleString("en", { maximumFractionDigits: 1 })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

export function PairsTable({ pairs, months }: { pairs: PairRow[]; months: number }) {
  if (pairs.length === 0) return <p className="text-sm text-slate-600">No pair of people matches the pattern in this period.</p>;
  return (
    <Scroll label="Pairs who mostly thank each other">
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
        <caption className="sr-only">Pairs of people who mostly thank each other, by their departments; no one is named</caption>
        <TableHead columns={["A pair in", { label: "Kudos between them", align: "right" }, { label: "Share of what they gave", align: "right" }, { label: "Months", align: "right" }]} />
        <tbody className="divide-y divide-slate-100">
          {pairs.map((p, i) => (
            <tr key={i}>
              <th scope="row" className="px-5 py-2 font-normal">
                {p.departments[0]} <span aria-hidden="true">↔</span>
                <span className="sr-only">and</span> {p.departments[1]}
              </th>
              <td className="px-5 py-2 text-right tabular-nums">{n(p.kudos)}</td>
              <td className="px-5 py-2 text-right tabular-nums">{p.share}%</td>
              <td className="px-5 py-2 text-right tabular-nums">
                {p.months} of {months}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}
