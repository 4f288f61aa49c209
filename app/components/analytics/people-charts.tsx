import type { FunnelRow, Participation, RolesByDepartment, TopicRow } from "#app/features/analytics/dashboard.server.ts";
import { barsHeight, chartBox } from "#app/components/charts/chart-box.tsx";

/**
 * The people dashboard's charts, drawn for the eye only as on the recognition insights page (see
 * chart-box.tsx): each sits beside a table with the same figures.
 */

const ChartBox = chartBox(() => import("./people-charts-drawn.tsx"));

export function ParticipationChart({ participation }: { participation: Participation }) {
  return <ChartBox height={280} chart={{ kind: "participation", participation }} />;
}

export function TopicsChart({ topics, name }: { topics: TopicRow[]; name: string }) {
  return <ChartBox height={barsHeight(topics.length)} chart={{ kind: "topics", topics, name }} />;
}

export function FunnelChart({ ideas }: { ideas: FunnelRow[] }) {
  return <ChartBox height={barsHeight(ideas.length)} chart={{ kind: "funnel", ideas }} />;
}

export function RolesChart({ roles }: { roles: RolesByDepartment[] }) {
  return <ChartBox height={barsHeight(roles.length)} chart={{ kind: "roles", roles }} />;
}
