import { Bar, BarChart, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from "recharts";
import type { MonthRow, TeamRow, ValueRow } from "#app/features/recognition/insights.server.ts";
import { useHydrated } from "#app/components/use-hydrated.ts";

/**
 * The insights page's charts (recharts). They are drawn for the eye only: each sits beside a
 * table with the same figures, which is what screen readers and the CSV get. Recharts measures
 * in the browser, so a chart is drawn once the page has hydrated; until then (and without
 * JavaScript) its box stays empty and the table carries the figures. Keyboard focus never
 * enters a chart (`accessibilityLayer` off), as it sits in an aria-hidden box.
 */

const BRAND = "#1f58c4";
const AMBER = "#b45309";
const GRID = "#e2e8f0";
const TICK = { fontSize: 12, fill: "#475569" };

function ChartBox({ height, children }: { height: number; children: React.ReactNode }) {
  const hydrated = useHydrated();
  return (
    <div aria-hidden="true" style={{ height }} className="w-full">
      {hydrated ? children : null}
    </div>
  );
}

export function OverTimeChart({ months }: { months: MonthRow[] }) {
  const height = 260;
  return (
    <ChartBox height={height}>
      <ComposedChart data={months} responsive accessibilityLayer={false} style={{ width: "100%", height }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="label" tick={TICK} interval="preserveStartEnd" />
        <YAxis yAxisId="kudos" allowDecimals={false} tick={TICK} width={40} />
        <YAxis yAxisId="points" orientation="right" allowDecimals={false} tick={TICK} width={48} />
        <Tooltip />
        <Bar yAxisId="kudos" dataKey="kudos" name="Kudos" fill={BRAND} radius={[3, 3, 0, 0]} isAnimationActive={false} />
        <Line yAxisId="points" dataKey="points" name="Points" stroke={AMBER} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
      </ComposedChart>
    </ChartBox>
  );
}

/** Horizontal bars, one per category: the values, the teams. */
function HorizontalBars({ data, name }: { data: Array<{ label: string; value: number }>; name: string }) {
  const height = Math.max(120, data.length * 30 + 40);
  return (
    <ChartBox height={height}>
      <BarChart data={data} layout="vertical" responsive accessibilityLayer={false} style={{ width: "100%", height }} margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={GRID} horizontal={false} />
        <XAxis type="number" tick={TICK} allowDecimals />
        <YAxis type="category" dataKey="label" tick={TICK} width={170} interval={0} />
        <Tooltip />
        <Bar dataKey="value" name={name} fill={BRAND} radius={[0, 3, 3, 0]} isAnimationActive={false} />
      </BarChart>
    </ChartBox>
  );
}

export function ValuesChart({ values }: { values: ValueRow[] }) {
  return <HorizontalBars data={values.map((v) => ({ label: `${v.emoji} ${v.name}`.trim(), value: v.kudos }))} name="Kudos" />;
}

export function TeamsChart({ teams }: { teams: TeamRow[] }) {
  return <HorizontalBars data={teams.map((t) => ({ label: t.team, value: t.perPerson }))} name="Kudos received per person" />;
}
