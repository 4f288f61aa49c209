import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { FunnelRow, Participation, RolesByDepartment, TopicRow } from "#app/features/analytics/dashboard.server.ts";

/**
 * The people dashboard's charts themselves, drawn by recharts. Only people-charts.tsx imports this
 * module, lazily and in the browser, so recharts never loads on the server.
 */

export type DrawnPeopleChart =
  | { kind: "participation"; participation: Participation }
  | { kind: "topics"; topics: TopicRow[]; name: string }
  | { kind: "funnel"; ideas: FunnelRow[] }
  | { kind: "roles"; roles: RolesByDepartment[] };

const GRID = "#e2e8f0";
const TICK = { fontSize: 12, fill: "#475569" };
/** One hue per department line; the table beside the chart carries every figure. */
const HUES = ["#1f58c4", "#b45309", "#047857", "#be185d", "#6d28d9", "#0e7490", "#a16207", "#475569"];

function ParticipationChart({ participation }: { participation: Participation }) {
  const data = participation.rows.map((r) => ({ label: r.label, ...r.byGroup }));
  return (
    <LineChart data={data} responsive accessibilityLayer={false} style={{ width: "100%", height: 280 }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={GRID} vertical={false} />
      <XAxis dataKey="label" tick={TICK} interval="preserveStartEnd" />
      <YAxis allowDecimals={false} tick={TICK} width={40} />
      <Tooltip />
      <Legend wrapperStyle={{ fontSize: 12 }} />
      {participation.groups.map((g, i) => (
        <Line key={g.name} dataKey={g.name} name={g.name} stroke={HUES[i % HUES.length]} strokeWidth={2} dot={false} isAnimationActive={false} />
      ))}
    </LineChart>
  );
}

function HorizontalBars({ data, name }: { data: Array<{ label: string; value: number }>; name: string }) {
  const height = Math.max(120, data.length * 30 + 40);
  return (
    <BarChart data={data} layout="vertical" responsive accessibilityLayer={false} style={{ width: "100%", height }} margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={GRID} horizontal={false} />
      <XAxis type="number" tick={TICK} allowDecimals={false} />
      <YAxis type="category" dataKey="label" tick={TICK} width={150} interval={0} />
      <Tooltip />
      <Bar dataKey="value" name={name} fill={HUES[0]} radius={[0, 3, 3, 0]} isAnimationActive={false} />
    </BarChart>
  );
}

function RolesChart({ roles }: { roles: RolesByDepartment[] }) {
  const height = Math.max(120, roles.length * 30 + 60);
  return (
    <BarChart data={roles} layout="vertical" responsive accessibilityLayer={false} style={{ width: "100%", height }} margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={GRID} horizontal={false} />
      <XAxis type="number" tick={TICK} allowDecimals={false} />
      <YAxis type="category" dataKey="department" tick={TICK} width={150} interval={0} />
      <Tooltip />
      <Legend wrapperStyle={{ fontSize: 12 }} />
      <Bar dataKey="mavens" name="Mavens" stackId="roles" fill={HUES[0]} isAnimationActive={false} />
      <Bar dataKey="connectors" name="Connectors" stackId="roles" fill={HUES[1]} isAnimationActive={false} />
      <Bar dataKey="salesmen" name="Salesmen" stackId="roles" fill={HUES[2]} isAnimationActive={false} />
    </BarChart>
  );
}

export default function DrawnPeopleChart(props: DrawnPeopleChart) {
  if (props.kind === "participation") return <ParticipationChart participation={props.participation} />;
  if (props.kind === "topics") return <HorizontalBars data={props.topics.map((t) => ({ label: t.topic, value: t.questions }))} name={props.name} />;
  if (props.kind === "funnel") return <HorizontalBars data={props.ideas.map((r) => ({ label: r.label, value: r.ideas }))} name="Ideas" />;
  return <RolesChart roles={props.roles} />;
}
