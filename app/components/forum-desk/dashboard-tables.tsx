import type { Deflection, Percentiles, TopicVolume } from "#app/features/escalations/dashboard.server.ts";
import { SEVERITIES, type Severity } from "#app/features/escalations/model.ts";
import { SEVERITY_LABELS } from "#app/features/escalations/settings-form.ts";
import { Card } from "#app/components/card.tsx";
import { TableHead } from "#app/components/table.tsx";

/** The forum dashboard's tables: each has a caption, and every figure is in words or digits (never colour alone). */

const cell = "px-5 py-3";
const num = `${cell} text-right tabular-nums`;

export function hours(value: number | null): string {
  if (value === null) return "—";
  if (value < 1) return `${Math.round(value * 60)} min`;
  return `${(Math.round(value * 10) / 10).toLocaleString("en")} h`;
}

export function OpenEscalationsTable({ bySeverity, openTotal, overdueTotal }: { bySeverity: Record<Severity, { open: number; overdue: number }>; openTotal: number; overdueTotal: number }) {
  return (
    <Card className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="px-5 pt-4 text-left text-base font-semibold text-slate-900">Open escalations by severity</caption>
        <TableHead columns={["Severity", { label: "Open", align: "right" }, { label: "Overdue", align: "right" }]} />
        <tbody className="divide-y divide-slate-100">
          {[...SEVERITIES].reverse().map((s) => (
            <tr key={s}>
              <th scope="row" className={`${cell} text-left font-medium text-slate-800`}>
                {SEVERITY_LABELS[s]}
              </th>
              <td className={num}>{bySeverity[s].open}</td>
              <td className={`${num} ${bySeverity[s].overdue > 0 ? "font-semibold text-red-700" : ""}`}>{bySeverity[s].overdue}</td>
            </tr>
          ))}
          <tr className="bg-slate-50">
            <th scope="row" className={`${cell} text-left font-semibold text-slate-900`}>
              All
            </th>
            <td className={`${num} font-semibold`}>{openTotal}</td>
            <td className={`${num} font-semibold`}>{overdueTotal}</td>
          </tr>
        </tbody>
      </table>
    </Card>
  );
}

export function ResponseTable({ window, questions, escalations }: { window: number; questions: Percentiles; escalations: Percentiles }) {
  const row = (label: string, p: Percentiles) => (
    <tr>
      <th scope="row" className={`${cell} text-left font-medium text-slate-800`}>
        {label}
      </th>
      <td className={num}>{p.count}</td>
      <td className={num}>{hours(p.p50Hours)}</td>
      <td className={num}>{hours(p.p90Hours)}</td>
    </tr>
  );
  return (
    <Card className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="px-5 pt-4 text-left text-base font-semibold text-slate-900">Time to first response, last {window} days</caption>
        <TableHead columns={["What", { label: "Responded", align: "right" }, { label: "Median (p50)", align: "right" }, { label: "p90", align: "right" }]} />
        <tbody className="divide-y divide-slate-100">
          {row("Customer questions (routed to first public answer)", questions)}
          {row("Escalations (escalated to first action)", escalations)}
        </tbody>
      </table>
    </Card>
  );
}

function weekLabel(week: string): string {
  return new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(`${week}T00:00:00Z`));
}

export function VolumeTable({ weeks, volumes, spikeZ, spikeMin }: { weeks: string[]; volumes: TopicVolume[]; spikeZ: number; spikeMin: number }) {
  return (
    <Card className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="px-5 pt-4 text-left text-base font-semibold text-slate-900">
          New customer questions per week, busiest topics
          <span className="mt-1 block text-sm font-normal text-slate-600">
            Weeks starting Monday (UTC). A spike is a week with at least {spikeMin} questions and a z-score of {spikeZ} or more against the weeks before it; it is marked “spike”.
          </span>
        </caption>
        <TableHead columns={["Topic", ...weeks.map((w) => ({ label: `Week of ${weekLabel(w)}`, align: "right" as const })), { label: "Total", align: "right" }]} />
        <tbody className="divide-y divide-slate-100">
          {volumes.map((v) => (
            <tr key={v.topic}>
              <th scope="row" className={`${cell} text-left font-medium text-slate-800`}>
                {v.topic}
              </th>
              {v.weeks.map((w) => (
                <td key={w.week} className={`${num} ${w.spike ? "bg-amber-50 font-semibold text-amber-900" : ""}`}>
                  {w.count}
                  {w.spike ? <span className="ml-1 text-xs font-semibold uppercase">spike</span> : null}
                </td>
              ))}
              <td className={`${num} font-semibold`}>{v.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

export function DeflectionTable({ window, rows }: { window: number; rows: Deflection[] }) {
  return (
    <Card className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="px-5 pt-4 text-left text-base font-semibold text-slate-900">
          Deflection per topic, last {window} days
          <span className="mt-1 block text-sm font-normal text-slate-600">
            Views of solved threads against new customer questions: the more views per question, the more customers found an answer without asking.
          </span>
        </caption>
        <TableHead columns={["Topic", { label: "Views of solved threads", align: "right" }, { label: "New questions", align: "right" }, "Deflection"]} />
        <tbody className="divide-y divide-slate-100">
          {rows.map((d) => (
            <tr key={d.topic}>
              <th scope="row" className={`${cell} text-left font-medium text-slate-800`}>
                {d.topic}
              </th>
              <td className={num}>{d.views.toLocaleString("en")}</td>
              <td className={num}>{d.questions.toLocaleString("en")}</td>
              <td className={cell}>{d.ratio === null ? "—" : `${(Math.round(d.ratio * 10) / 10).toLocaleString("en")} views of solved threads per new question`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
