import { lazy, Suspense } from "react";
import type { ComponentType } from "react";
import { useHydrated } from "#app/components/use-hydrated.ts";

/**
 * HR's dashboard charts (recharts) are drawn for the eye only: each sits beside a table with the
 * same figures, which is what screen readers and the CSV get. Recharts measures in the browser, so a
 * chart is drawn once the page has hydrated; until then (and without JavaScript) its box stays empty
 * and the table carries the figures. The drawing module is loaded only then, so the server never
 * loads recharts (it cost the app's memory at start).
 *
 * `chartBox` takes the dynamic import of one page's drawing module (its default export draws every
 * chart of that page from a `kind`) and gives the box those charts sit in. Pass `() => import(...)`
 * literally, so the bundler still splits the module off.
 */
export function chartBox<Chart extends object>(load: () => Promise<{ default: ComponentType<Chart> }>) {
  const Drawn = lazy(load);
  return function ChartBox({ height, chart }: { height: number; chart: Chart }) {
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
  };
}

/** Horizontal bars are as tall as their categories. */
export const barsHeight = (rows: number) => Math.max(120, rows * 30 + 40);
