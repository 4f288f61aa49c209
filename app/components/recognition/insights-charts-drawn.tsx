import { Bar, BarChart, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from "recharts";
import type { MonthRow, TeamRow, ValueRow } from "#app/features/recognition/insights.server.ts";

/**
 * The insights charts themselves, drawn by recharts. Only insights-charts.tsx imports this module,
 * lazily and in the browser, so recharts (and the libraries under it) never load on the server.
 */

export type DrawnChart = { kind: "over-time"; months: MonthRow[] } | { kind: "values"; values: ValueRow[] } | { kind: "teams"; teams: TeamRow[] };

const BRAND = "#1f58c4";
const AMBER = "#b45309";
const GRID = "#e2e8f0";
const TICK = { fontSize: 12, fill: "#475569" };

function OverTimeChart({ months }: { months: MonthRow[] }) {
  const height = 260;
  return (
    <ComposedChart data={months} responsive accessibilityLayer={false} style={{ width: "100%", height }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={GRID} vertical={false} />
      <XAxis dataKey="label" tick={TICK} interval="preserveStartEnd" />
      <YAxis yAxisId="kudos" allowDecimals={false} tick={TICK} width={40} />
      <YAxis yAxisId="points" orientation="right" allowDecimals={false} tick={TICK} width={48} />
      <Tooltip />
      <Bar yAxisId="kudos" dataKey="kudos" name="Kudos" fill={BRAND} radius={[3, 3, 0, 0]} isAnimationActive={false} />
      <Line yAxisId="points" dataKey="points" name="Points" stroke={AMBER} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
    </ComposedChart>
  );
}

/** Horizontal bars, one per category: the values, the teams. */
function HorizontalBars({ data, name }: { data: Array<{ label: string; value: number }>; name: string }) {
  const height = Math.max(120, data.length * 30 + 40);
  return (
    <BarChart data={data} layout="vertical" responsive accessibilityLayer={false} style={{ width: "100%", height }} margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={GRID} horizontal={false} />
      <XAxis type="number" tick={TICK} allowDecimals />
      <YAxis type="category" dataKey="label" tick={TICK} width={170} interval={0} />
      <Tooltip />
      <Bar dataKey="value" name={name} fill={BRAND} radius={[0, 3, 3, 0]} isAnimationActive={false} />
    </BarChart>
  );
}

function ValuesChart({ values }: { values: ValueRow[] }) {
  return <HorizontalBars data={values.map((v) => ({ label: `${v.emoji} ${v.name}`.trim(), value: v.kudos }))} name="Kudos" />;
}

function TeamsChart({ teams }: { teams: TeamRow[] }) {
  return <HorizontalBars data={teams.map((t) => ({ label: t.team, value: t.perPerson }))} name="Kudos received per person" />;
}

export default function DrawnChart(props: DrawnChart) {
  if (props.kind === "over-time") return <OverTimeChart months={props.months} />;
  if (props.kind === "values") return <ValuesChart values={props.values} />;
  return <TeamsChart teams={props.teams} />;
}
