import { lazy, Suspense } from "react";
import type { MonthRow, TeamRow, ValueRow } from "#app/features/recognition/insights.server.ts";
import { useHydrated } from "#app/components/use-hydrated.ts";
import type { DrawnChart } from "./insights-charts-drawn.tsx";

/**
 * The insights page's charts (recharts). They are drawn for the eye only: each sits beside a
 * table with the same figures, which is what screen readers and the CSV get. Recharts measures
 * in the browser, so a chart is drawn once the page has hydrated; until then (and without
 * JavaScript) its box stays empty and the table carries the figures. Keyboard focus never
 * enters a chart (`accessibilityLayer` off), as it sits in an aria-hidden box. The charts' module
 * is loaded only then: the server never loads recharts (it cost the app's memory at start).
 */

const Drawn = lazy(() => import("./insights-charts-drawn.tsx"));

function ChartBox({ height, chart }: { height: number; chart: DrawnChart }) {
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

export function OverTimeChart({ months }: { months: MonthRow[] }) {
  return <ChartBox height={260} chart={{ kind: "over-time", months }} />;
}

/** Horizontal bars are as tall as their categories. */
const barsHeight = (rows: number) => Math.max(120, rows * 30 + 40);

export function ValuesChart({ values }: { values: ValueRow[] }) {
  return <ChartBox height={barsHeight(values.length)} chart={{ kind: "values", values }} />;
}

export function TeamsChart({ teams }: { teams: TeamRow[] }) {
  return <ChartBox height={barsHeight(teams.length)} chart={{ kind: "teams", teams }} />;
}
