import { Link } from "react-router";

/**
 * The period a dashboard counts over, as a row of links (HR's people analytics and recognition
 * insights, a space's routing dashboard): plain links, so the period is in the URL and works
 * without JavaScript; the one shown is marked current.
 */
export function PeriodNav<Period extends number>({
  periods,
  current,
  to,
  label,
}: {
  periods: readonly Period[];
  current: number;
  to: (period: Period) => string;
  label: (period: Period) => React.ReactNode;
}) {
  return (
    <nav aria-label="Period" className="mb-4">
      <ul className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 shadow-sm">
        {periods.map((p) => (
          <li key={p}>
            <Link
              to={to(p)}
              aria-current={p === current ? "page" : undefined}
              className={`block rounded px-3 py-1.5 text-sm font-medium ${p === current ? "bg-brand-600 text-white" : "text-slate-700 hover:bg-slate-100"}`}
            >
              {label(p)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
