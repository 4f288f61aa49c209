import { Link } from "react-router";
import type { AnswerTimeRow, OpenRow, RouteRow, WeekRow } from "#app/features/routing/dashboard.server.ts";
import { TableHead } from "#app/components/table.tsx";
import { absoluteDate, absoluteTime } from "#app/lib/time.ts";

/**
 * The routing dashboard's tables: each figure is a real table with headers (no chart stands in
 * for one), and says in its caption what it counts.
 */

const cell = "px-5 py-2";
const number = "px-5 py-2 text-right tabular-nums";
const n = (value: number) => value.toLocaleString("en");

/** "45 min", "5.5 h", "3.2 days": a duration the way people say it. */
export function duration(seconds: number | null): string {
  if (seconds === null) return "–";
  const minutes = seconds / 60;
  if (minutes < 60) return `${Math.max(1, Math.round(minutes))} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${hours < 10 ? hours.toFixed(1) : Math.round(hours)} h`;
  return `${(hours / 24).toFixed(1)} days`;
}

/** "12%" of a whole; "–" of nothing. */
export function share(part: number, whole: number): string {
  return whole === 0 ? "–" : `${Math.round((part / whole) * 100)}%`;
}

function Table({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">{children}</table>
    </div>
  );
}

const GROUP_LABELS: Record<AnswerTimeRow["group"], string> = { all: "All questions", routed: "Sent to people", not_routed: "Not sent to anyone" };

export function AnswerTimesTable({ rows }: { rows: AnswerTimeRow[] }) {
  return (
    <Table label="Time to first answer">
      <caption className="sr-only">Questions asked in the period, how many have an answer, and the time to their first answer</caption>
      <TableHead
        columns={["Questions", { label: "Asked", align: "right" }, { label: "Answered", align: "right" }, { label: "Median (p50)", align: "right" }, { label: "p90", align: "right" }]}
      />
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={r.group}>
            <th scope="row" className={`${cell} font-normal`}>
              {GROUP_LABELS[r.group]}
            </th>
            <td className={number}>{n(r.asked)}</td>
            <td className={number}>{n(r.answered)}</td>
            <td className={number}>{duration(r.p50Seconds)}</td>
            <td className={number}>{duration(r.p90Seconds)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export function WeeksTable({ weeks }: { weeks: WeekRow[] }) {
  return (
    <Table label="Unanswered questions per week">
      <caption className="sr-only">Questions asked each week and how many of them have no answer yet</caption>
      <TableHead columns={["Week of", { label: "Asked", align: "right" }, { label: "Unanswered", align: "right" }, { label: "Unanswered rate", align: "right" }]} />
      <tbody className="divide-y divide-slate-100">
        {weeks.map((w) => (
          <tr key={w.week.toISOString()}>
            <th scope="row" className={`${cell} font-normal whitespace-nowrap`}>
              {absoluteDate(w.week)}
            </th>
            <td className={number}>{n(w.asked)}</td>
            <td className={number}>{n(w.unanswered)}</td>
            <td className={number}>{share(w.unanswered, w.asked)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

const REASON_LABELS: Record<RouteRow["reason"], string> = { expert: "Routed to experts", moderator: "Routed to moderators", asked: "Asked directly", all: "All" };

export function RoutesTable({ rows }: { rows: RouteRow[] }) {
  return (
    <Table label="Routed and answered">
      <caption className="sr-only">Questions sent to people in the period, and how many of them answered</caption>
      <TableHead
        columns={[
          "Sent",
          { label: "People reached", align: "right" },
          { label: "Of them answered", align: "right" },
          { label: "Questions", align: "right" },
          { label: "Answered by one of them", align: "right" },
        ]}
      />
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={r.reason} className={r.reason === "all" ? "bg-slate-50 font-semibold" : undefined}>
            <th scope="row" className={`${cell} ${r.reason === "all" ? "font-semibold" : "font-normal"}`}>
              {REASON_LABELS[r.reason]}
            </th>
            <td className={number}>{n(r.people)}</td>
            <td className={number}>{n(r.answered)}</td>
            <td className={number}>{n(r.questions)}</td>
            <td className={number}>
              {n(r.questionsAnswered)} <span className="text-slate-500">({share(r.questionsAnswered, r.questions)})</span>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export function OpenRoutedTable({ rows }: { rows: OpenRow[] }) {
  return (
    <Table label="Questions in routing now">
      <caption className="sr-only">Unanswered questions in routing, with their round and when it runs out</caption>
      <TableHead columns={["Question", "Round", "Due"]} />
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={r.id}>
            <th scope="row" className={`${cell} font-normal`}>
              <Link to={r.url} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                {r.title}
              </Link>
            </th>
            <td className={`${cell} whitespace-nowrap`}>{r.status === "moderators" ? "With the moderators" : `Round ${r.round} of 2`}</td>
            <td className={`${cell} whitespace-nowrap`}>{r.status === "moderators" ? `Since ${absoluteTime(r.dueAt)}` : absoluteTime(r.dueAt)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
