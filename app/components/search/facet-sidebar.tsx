import { Link } from "react-router";
import { CREATED_LABELS, CREATED_WITHIN, type CreatedWithin, type FacetValue, type Facets, type SearchParams } from "#app/features/search/search-params.ts";
import { CheckIcon } from "#app/components/icons.tsx";
import { FacetCount, FacetGroup, FacetLabel, FacetLink, facetItemClass } from "#app/components/facet-list.tsx";
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

const RESULTS = ["result", "results"] as const;

/** One value as a link that adds or removes its filter; the selected one is marked current. */
function FacetValueLink({ params, facet, value }: { params: SearchParams; facet: FacetName; value: FacetValue }) {
  if (facet === "tag" && !value.selected && !canAddTag(params)) {
    // The page filters on at most five tags: a sixth is shown but cannot be added.
    return (
      <span className={`${facetItemClass(false)} opacity-70`}>
        <FacetLabel label={value.label} selected={false} />
        <FacetCount n={value.count} units={RESULTS} />
      </span>
    );
  }
  return <FacetLink to={toggleHref(params, facet, value.value, value.selected)} label={value.label} count={value.count} units={RESULTS} selected={value.selected} />;
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
          <FacetGroup key={facet} id={id} title={title} clear={values.some((v) => v.selected) ? clearHref(params, facet) : null}>
            {values.map((value) => (
              <li key={value.value}>
                <FacetValueLink params={params} facet={facet} value={value} />
              </li>
            ))}
          </FacetGroup>
        );
      })}
      <FacetGroup id="facet-created" title="Created" clear={params.created ? clearHref(params, "created") : null}>
        {([undefined, ...CREATED_WITHIN] as Array<CreatedWithin | undefined>).map((created) => {
          const selected = params.created === created;
          return (
            <li key={created ?? "any"}>
              <Link to={createdHref(params, created)} aria-current={selected ? "true" : undefined} className={facetItemClass(selected)} rel="nofollow">
                <span className="flex items-center gap-1.5">
                  {selected ? <CheckIcon className="size-3.5 text-brand-700" /> : null}
                  {created ? CREATED_LABELS[created] : "Any time"}
                </span>
              </Link>
            </li>
          );
        })}
      </FacetGroup>
    </nav>
  );
}
