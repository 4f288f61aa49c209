import { Link } from "react-router";
import { CheckIcon } from "#app/components/icons.tsx";

/**
 * The facet lists beside search results and beside the experts directory: groups of values, each a
 * plain link with its count that adds or removes one filter and keeps the rest. Plain links, so they
 * work without JavaScript and keep the URL shareable; the selected value is marked current.
 */

/** What a count counts, for screen readers: one and many ("result", "results"). */
export type CountUnits = readonly [one: string, many: string];

export const facetItemClass = (selected: boolean) =>
  `flex items-center justify-between gap-2 rounded-md px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-600 ${
    selected ? "bg-brand-50 font-medium text-brand-900 ring-1 ring-brand-500/40 ring-inset" : "text-slate-700 hover:bg-slate-100"
  }`;

export function FacetCount({ n, units }: { n: number; units: CountUnits }) {
  return (
    <span className="shrink-0 text-xs tabular-nums text-slate-600">
      {n.toLocaleString("en")}
      <span className="sr-only"> {n === 1 ? units[0] : units[1]}</span>
    </span>
  );
}

/** A value's name, checked when selected; a long one is cut short rather than pushing its count out. */
export function FacetLabel({ label, selected }: { label: string; selected: boolean }) {
  return (
    <span className="flex min-w-0 items-center gap-1.5">
      {selected ? <CheckIcon className="size-3.5 text-brand-700" /> : null}
      <span className="truncate">{label}</span>
      {selected ? <span className="sr-only">(selected; follow to remove)</span> : null}
    </span>
  );
}

export function FacetLink({ to, label, count, units, selected }: { to: string; label: string; count: number; units: CountUnits; selected: boolean }) {
  return (
    <Link to={to} aria-current={selected ? "true" : undefined} className={facetItemClass(selected)} rel="nofollow">
      <FacetLabel label={label} selected={selected} />
      <FacetCount n={count} units={units} />
    </Link>
  );
}

/** One facet: its heading, a "clear" link while a value of it is chosen, and its values as list items. */
export function FacetGroup({ id, title, clear, children }: { id: string; title: string; clear: string | null; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <div className="mb-1 flex items-baseline justify-between gap-2 px-2">
        <h3 id={id} className="text-xs font-semibold tracking-wide text-slate-600 uppercase">
          {title}
        </h3>
        {clear ? (
          <Link to={clear} className="text-xs font-medium text-brand-700 hover:underline">
            Clear<span className="sr-only"> {title.toLowerCase()} filter</span>
          </Link>
        ) : null}
      </div>
      <ul className="space-y-0.5">{children}</ul>
    </section>
  );
}
