import { Link } from "react-router";
import { CREATED_LABELS, CREATED_WITHIN, type CreatedWithin, type FacetValue, type Facets, type SearchParams } from "#app/features/search/search-params.ts";
import { CheckIcon } from "#app/components/icons.tsx";
import { type FacetName, canAddTag, clearHref, createdHref, toggleHref } from "./search-links.ts";

// A group shows only when its facet has values: the idea groups appear when ideas are among the
// results, the question status when questions are.
const GROUPS: Array<{ facet: FacetName; title: string }> = [
  { facet: "space", title: "Space" },
  { facet: "type", title: "Type" },
  { facet: "tag", title: "Tags" },
  { facet: "status", title: "Status" },
  { facet: "campaign", title: "Campaign" },
  { facet: "category", title: "Category" },
  { facet: "ideaStatus", title: "Idea status" },
  { facet: "department", title: "Author's department" },
];

const itemClass = (selected: boolean) =>
  `flex items-center justify-between gap-2 rounded-md px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-600 ${
    selected ? "bg-brand-50 font-medium text-brand-900 ring-1 ring-brand-500/40 ring-inset" : "text-slate-700 hover:bg-slate-100"
  }`;

function Count({ n }: { n: number }) {
  return (
    <span className="shrink-0 text-xs tabular-nums text-slate-600">
      {n.toLocaleString("en")}
      <span className="sr-only"> {n === 1 ? "result" : "results"}</span>
    </span>
  );
}

function GroupHeading({ id, title, clear }: { id: string; title: string; clear: string | null }) {
  return (
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
  );
}

/** One value as a link that adds or removes its filter; the selected one is marked current. */
function FacetLink({ params, facet, value }: { params: SearchParams; facet: FacetName; value: FacetValue }) {
  const label = (
    <span className="flex min-w-0 items-center gap-1.5">
      {value.selected ? <CheckIcon className="size-3.5 text-brand-700" /> : null}
      <span className="truncate">{value.label}</span>
      {value.selected ? <span className="sr-only">(selected; follow to remove)</span> : null}
    </span>
  );
  if (facet === "tag" && !value.selected && !canAddTag(params)) {
    // The page filters on at most five tags: a sixth is shown but cannot be added.
    return (
      <span className={`${itemClass(false)} opacity-70`}>
        {label}
        <Count n={value.count} />
      </span>
    );
  }
  return (
    <Link to={toggleHref(params, facet, value.value, value.selected)} aria-current={value.selected ? "true" : undefined} className={itemClass(value.selected)} rel="nofollow">
      {label}
      <Count n={value.count} />
    </Link>
  );
}

/**
 * The filters beside the results: each facet with its counts (from the same query as the hits, so
 * only what this person may see), a "created" filter, and a "clear" link per group in use. All
 * plain links, so they work without JavaScript and keep the URL shareable.
 */
export function FacetSidebar({ params, facets }: { params: SearchParams; facets: Facets }) {
  return (
    <nav aria-labelledby="search-filters-heading" className="space-y-5">
      <h2 id="search-filters-heading" className="px-2 text-base font-semibold text-slate-900">
        Filter results
      </h2>
      {GROUPS.map(({ facet, title }) => {
        const values = facets[facet];
        if (values.length === 0) return null;
        const id = `facet-${facet}`;
        return (
          <section key={facet} aria-labelledby={id}>
            <GroupHeading id={id} title={title} clear={values.some((v) => v.selected) ? clearHref(params, facet) : null} />
            <ul className="space-y-0.5">
              {values.map((value) => (
                <li key={value.value}>
                  <FacetLink params={params} facet={facet} value={value} />
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      <section aria-labelledby="facet-created">
        <GroupHeading id="facet-created" title="Created" clear={params.created ? clearHref(params, "created") : null} />
        <ul className="space-y-0.5">
          {([undefined, ...CREATED_WITHIN] as Array<CreatedWithin | undefined>).map((created) => {
            const selected = params.created === created;
            return (
              <li key={created ?? "any"}>
                <Link to={createdHref(params, created)} aria-current={selected ? "true" : undefined} className={itemClass(selected)} rel="nofollow">
                  <span className="flex items-center gap-1.5">
                    {selected ? <CheckIcon className="size-3.5 text-brand-700" /> : null}
                    {created ? CREATED_LABELS[created] : "Any time"}
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      </section>
    </nav>
  );
}
