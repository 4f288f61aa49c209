import { Link } from "react-router";
import { type FeedShow, type KudosFeedParams, kudosFeedHref } from "#app/features/recognition/kudos-schemas.ts";

/** The tabs and the value filter every kudos feed shares: plain links, so they work without JavaScript and keep the URL shareable. */

export type FilterValue = { id: number; name: string; emoji: string; archived: boolean };
export type FeedTab = { label: string; to: string; current: boolean };

const tabClass = (current: boolean) =>
  `inline-flex items-center rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 ${
    current ? "bg-brand-50 text-brand-800 ring-1 ring-brand-200 ring-inset" : "text-slate-700 hover:bg-slate-100"
  }`;

const chipClass = (current: boolean) =>
  `inline-flex items-center gap-1 rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-inset ${
    current ? "bg-amber-100 text-amber-950 ring-amber-300" : "bg-white text-slate-700 ring-slate-200 hover:bg-slate-50"
  }`;

/** The "show" tabs of a feed (All, Given to me, Given by me; a person's Received and Given), with "My team" for managers. */
export function KudosTabs({ tabs, label = "Show kudos" }: { tabs: FeedTab[]; label?: string }) {
  return (
    <nav aria-label={label} className="mb-3">
      <ul className="flex flex-wrap gap-1">
        {tabs.map((tab) => (
          <li key={tab.to}>
            <Link to={tab.to} aria-current={tab.current ? "page" : undefined} className={tabClass(tab.current)}>
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The tabs of a feed over `shows`, each keeping the value filter. */
export function showTabs(base: string, params: KudosFeedParams, shows: ReadonlyArray<{ show: FeedShow; label: string }>, defaultShow: FeedShow = "all"): FeedTab[] {
  return shows.map(({ show, label }) => ({ label, to: kudosFeedHref(base, { ...params, show }, defaultShow), current: params.show === show }));
}

/** One chip per company value (archived ones too, which old kudos carry), and "Every value". */
export function ValueFilter({ base, params, values, defaultShow = "all" }: { base: string; params: KudosFeedParams; values: FilterValue[]; defaultShow?: FeedShow }) {
  if (values.length === 0) return null;
  return (
    <nav aria-label="Filter by value" className="mb-4">
      <ul className="flex flex-wrap gap-1.5">
        <li>
          <Link
            to={kudosFeedHref(base, { ...params, value: undefined }, defaultShow)}
            aria-current={params.value === undefined ? "page" : undefined}
            className={chipClass(params.value === undefined)}
          >
            Every value
          </Link>
        </li>
        {values.map((v) => (
          <li key={v.id}>
            <Link to={kudosFeedHref(base, { ...params, value: v.id }, defaultShow)} aria-current={params.value === v.id ? "page" : undefined} className={chipClass(params.value === v.id)}>
              {v.emoji ? <span aria-hidden="true">{v.emoji}</span> : null}
              {v.name}
              {v.archived ? <span className="text-slate-500">(retired)</span> : null}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
