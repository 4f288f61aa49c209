import { useId } from "react";
import { CHART_HEIGHT, CHART_WIDTH, type ReputationChart as Chart } from "#app/features/reputation/chart.ts";

/** The reputation-over-time line (SVG drawn from server-computed geometry) with a text summary and a monthly table. */
export function ReputationChart({ chart, name }: { chart: Chart; name: string }) {
  const id = useId();
  const change = chart.last - chart.first;
  const summary =
    change === 0
      ? `${name}'s reputation stayed at ${chart.last.toLocaleString("en")} over the last 12 months.`
      : `${name}'s reputation went from ${chart.first.toLocaleString("en")} to ${chart.last.toLocaleString("en")} over the last 12 months (${change > 0 ? "+" : ""}${change.toLocaleString("en")}).`;
  return (
    <figure aria-labelledby={`${id}-caption`}>
      <svg viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`} className="h-auto w-full" role="img" aria-labelledby={`${id}-caption`}>
        {chart.yTicks.map((t) => (
          <g key={`y${t.y}`}>
            <line x1={44} x2={CHART_WIDTH - 8} y1={t.y} y2={t.y} className="stroke-slate-200" strokeWidth={1} />
            <text x={38} y={t.y + 4} textAnchor="end" className="fill-slate-600 text-[11px]">
              {t.label}
            </text>
          </g>
        ))}
        {chart.xTicks.map((t) => (
          <text key={`x${t.x}`} x={t.x} y={CHART_HEIGHT - 6} textAnchor="middle" className="fill-slate-600 text-[11px]">
            {t.label}
          </text>
        ))}
        <path d={chart.area} className="fill-brand-100/60" />
        <path d={chart.line} fill="none" className="stroke-brand-600" strokeWidth={2} strokeLinejoin="round" />
      </svg>
      <figcaption id={`${id}-caption`} className="mt-2 text-sm text-slate-600">
        {summary}
      </figcaption>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer font-medium text-brand-700">Month by month</summary>
        <table className="mt-2 min-w-full text-left text-sm">
          <caption className="sr-only">Reputation by month</caption>
          <thead className="text-xs text-slate-600 uppercase">
            <tr>
              <th scope="col" className="py-1 pr-4">
                Month
              </th>
              <th scope="col" className="py-1 pr-4 text-right">
                Change
              </th>
              <th scope="col" className="py-1 text-right">
                At month end
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {chart.months.map((m) => (
              <tr key={m.month}>
                <th scope="row" className="py-1 pr-4 font-normal">
                  {m.month}
                </th>
                <td className="py-1 pr-4 text-right tabular-nums">
                  {m.change > 0 ? "+" : ""}
                  {m.change}
                </td>
                <td className="py-1 text-right tabular-nums">{m.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
