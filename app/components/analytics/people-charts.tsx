import { lazy, Suspense } from "react";
import type { FunnelRow, Participation, RolesByDepartment, TopicRow } from "#app/features/analytics/dashboard.server.ts";
import { useHydrated } from "#app/components/use-hydrated.ts";
import type { DrawnPeopleChart } from "./people-charts-drawn.tsx";

/**
 * The people dashboard's charts (recharts), drawn for the eye only as on the recognition insights
 * page: each sits beside a table with the same figures, which is what screen readers and the CSV
 * get. The charts' module loads lazily once the page has hydrated, so the server never loads
 * recharts; without JavaScript the box stays empty and the table carries the figures.
 */

const Drawn = lazy(() => import("./people-charts-drawn.tsx"));

function ChartBox({ height, chart }: { height: number; chart: DrawnPeopleChart }) {
  const hydrated = useHydrated();
  return (
    <div aria-hidden="true" style={{ height }} className="w-full">
      {hydrated ? (
        <Suspense fallback={null}>
          <Drawn {...chart} />
        </Suspense>
      ) : null}
    </div>
  );
}

const barsHeight = (rows: number) => Math.max(120, rows * 30 + 40);

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
