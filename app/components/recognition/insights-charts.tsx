import type { MonthRow, TeamRow, ValueRow } from "#app/features/recognition/insights.server.ts";
import { barsHeight, chartBox } from "#app/components/charts/chart-box.tsx";

/**
 * The insights page's charts, drawn for the eye only (see chart-box.tsx): each sits beside a table
 * with the same figures. Keyboard focus never enters a chart (`accessibilityLayer` off), as it sits
 * in an aria-hidden box.
 */

const ChartBox = chartBox(() => import("./insights-charts-drawn.tsx"));

export function OverTimeChart({ months }: { months: MonthRow[] }) {
  return <ChartBox height={260} chart={{ kind: "over-time", months }} />;
}

export function ValuesChart({ values }: { values: ValueRow[] }) {
  return <ChartBox height={barsHeight(values.length)} chart={{ kind: "values", values }} />;
}

export function TeamsChart({ teams }: { teams: TeamRow[] }) {
  return <ChartBox height={barsHeight(teams.length)} chart={{ kind: "teams", teams }} />;
}
