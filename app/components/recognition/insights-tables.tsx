import { href } from "react-router";
import type { InsightMonths, InsightTable } from "#app/features/recognition/insight-params.ts";
import type { Flow, MonthRow, PairRow, TeamRow, ValueRow } from "#app/features/recognition/insights.server.ts";
import { CsvLink, FigureSection, FigureTable, ScrollRegion, cell, count, numberCell } from "#app/components/charts/figure-table.tsx";
import type { SectionProps } from "#app/components/charts/figure-table.tsx";

/**
 * The insights page's building blocks (the shared figure and table pieces are in
 * charts/figure-table.tsx): its sections and CSV links, and the tables themselves.
 */

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

export function InsightSection({ table, months, ...section }: SectionProps & { table: InsightTable; months: InsightMonths }) {
  return <FigureSection {...section} titleId={table} actions={<CsvLink to={csvHref(table, months)} about={CSV_LABELS[table]} />} />;
}

export function OverTimeTable({ months }: { months: MonthRow[] }) {
  return (
    // At most twelve rows: shown whole, so the latest months need no scrolling.
    <FigureTable label="Kudos per month" capped={false} caption="Kudos and points per month" columns={["Month", { label: "Kudos", align: "right" }, { label: "Points", align: "right" }]}>
      {months.map((m) => (
        <tr key={m.month}>
          <th scope="row" className={`${cell} font-normal`}>
            {m.label}
          </th>
          <td className={numberCell}>{count(m.kudos)}</td>
          <td className={numberCell}>{count(m.points)}</td>
        </tr>
      ))}
    </FigureTable>
  );
}

export function ValuesTable({ values }: { values: ValueRow[] }) {
  if (values.length === 0) return <p className="text-sm text-slate-600">The company has no values yet.</p>;
  return (
    <FigureTable label="Kudos per value" caption="Kudos and points per company value" columns={["Value", { label: "Kudos", align: "right" }, { label: "Points", align: "right" }]}>
      {values.map((v, i) => (
        <tr key={`${i}-${v.name}`}>
          <th scope="row" className={`${cell} font-normal`}>
            {v.emoji ? <span aria-hidden="true">{v.emoji} </span> : null}
            {v.name}
          </th>
          <td className={numberCell}>{count(v.kudos)}</td>
          <td className={numberCell}>{count(v.points)}</td>
        </tr>
      ))}
    </FigureTable>
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
    <ScrollRegion label="Kudos between departments">
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
                <td key={flow.groups[j]} className={`${numberCell} ${shade(value, flow.max)}`}>
                  {count(value)}
                </td>
              ))}
              <td className={`${numberCell} font-semibold text-slate-900`}>{count(flow.given[i]!)}</td>
            </tr>
          ))}
          <tr className="border-t border-slate-200 bg-slate-50">
            <th scope="row" className={`${cell} text-left font-semibold text-slate-800`}>
              Total received
            </th>
            {flow.received.map((value, j) => (
              <td key={flow.groups[j]} className={`${numberCell} font-semibold text-slate-900`}>
                {count(value)}
              </td>
            ))}
            <td className={`${numberCell} font-semibold text-slate-900`}>{count(flow.received.reduce((a, b) => a + b, 0))}</td>
          </tr>
        </tbody>
      </table>
    </ScrollRegion>
  );
}

export function TeamsTable({ teams }: { teams: TeamRow[] }) {
  if (teams.length === 0) return <p className="text-sm text-slate-600">No one has a manager on record yet, so there are no teams to compare.</p>;
  return (
    <FigureTable
      label="Kudos received per team"
      caption="Kudos received per person in each team, the least first"
      columns={["Team", { label: "People", align: "right" }, { label: "Received", align: "right" }, { label: "Per person", align: "right" }]}
    >
      {teams.map((t) => (
        <tr key={t.team}>
          <th scope="row" className={`${cell} font-normal`}>
            {t.team}
          </th>
          <td className={numberCell}>{count(t.people)}</td>
          <td className={numberCell}>{count(t.received)}</td>
          <td className={`${numberCell} font-semibold text-slate-900`}>{t.perPerson.toLocaleString("en", { maximumFractionDigits: 1 })}</td>
        </tr>
      ))}
    </FigureTable>
  );
}

export function PairsTable({ pairs, months }: { pairs: PairRow[]; months: number }) {
  if (pairs.length === 0) return <p className="text-sm text-slate-600">No pair of people matches the pattern in this period.</p>;
  return (
    <FigureTable
      label="Pairs who mostly thank each other"
      caption="Pairs of people who mostly thank each other, by their departments; no one is named"
      columns={["A pair in", { label: "Kudos between them", align: "right" }, { label: "Share of what they gave", align: "right" }, { label: "Months", align: "right" }]}
    >
      {pairs.map((p, i) => (
        <tr key={i}>
          <th scope="row" className={`${cell} font-normal`}>
            {p.departments[0]} <span aria-hidden="true">↔</span>
            <span className="sr-only">and</span> {p.departments[1]}
          </th>
          <td className={numberCell}>{count(p.kudos)}</td>
          <td className={numberCell}>{p.share}%</td>
          <td className={numberCell}>
            {p.months} of {months}
          </td>
        </tr>
      ))}
    </FigureTable>
  );
}
