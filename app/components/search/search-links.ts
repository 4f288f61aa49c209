import { STATUS_LABELS as IDEA_STATUS_LABELS } from "#app/features/ideas/schemas.ts";
import { CREATED_LABELS, type CreatedWithin, type Facets, MAX_TAG_FILTERS, STATUS_LABELS, type SearchParams, TYPE_LABELS, searchHref } from "#app/features/search/search-params.ts";

/**
 * The search page's links: each facet value toggles its filter, each active filter has a link
 * that removes it. Every change of criteria goes back to page 1.
 */

export type FacetName = keyof Facets;

/** The URL with `value` of `facet` switched on (or off, when `selected`). */
export function toggleHref(p: SearchParams, facet: FacetName, value: string, selected: boolean): string {
  const next: SearchParams = { ...p, page: 1 };
  switch (facet) {
    case "tag":
      next.tags = selected ? p.tags.filter((t) => t !== value) : [...p.tags, value];
      break;
    case "space":
      next.space = selected ? undefined : value;
      break;
    case "department":
      next.department = selected ? undefined : value;
      break;
    case "status":
      next.status = selected ? undefined : (value as SearchParams["status"]);
      break;
    case "type":
      next.type = selected ? undefined : (value as SearchParams["type"]);
      break;
    case "ideaStatus":
      next.ideaStatus = selected ? undefined : (value as SearchParams["ideaStatus"]);
      break;
    case "campaign":
      next.campaign = selected ? undefined : Number(value);
      break;
    case "category":
      next.category = selected ? undefined : value;
      break;
  }
  return searchHref(next);
}

/** Whether one more tag can be added (the page filters on at most MAX_TAG_FILTERS). */
export function canAddTag(p: SearchParams): boolean {
  return p.tags.length < MAX_TAG_FILTERS;
}

/** The URL without any of `facet`'s values. */
export function clearHref(p: SearchParams, facet: FacetName | "created"): string {
  const next: SearchParams = { ...p, page: 1 };
  if (facet === "tag") next.tags = [];
  else if (facet === "space") next.space = undefined;
  else if (facet === "department") next.department = undefined;
  else if (facet === "status") next.status = undefined;
  else if (facet === "type") next.type = undefined;
  else if (facet === "ideaStatus") next.ideaStatus = undefined;
  else if (facet === "campaign") next.campaign = undefined;
  else if (facet === "category") next.category = undefined;
  else next.created = undefined;
  return searchHref(next);
}

export function createdHref(p: SearchParams, created: CreatedWithin | undefined): string {
  return searchHref({ ...p, created, page: 1 });
}

export type ActiveFilter = {
  key: string;
  kind: string;
  label: string;
  removeHref: string;
};

/**
 * Every filter in force, each with the link that removes it. Labels come from the facets (a
 * selected space, campaign or department always stays among them), falling back to the raw value.
 */
export function activeFilters(p: SearchParams, facets: Facets | null): ActiveFilter[] {
  const label = (facet: FacetName, value: string) => facets?.[facet].find((v) => v.value === value)?.label ?? value;
  const filters: ActiveFilter[] = [];
  if (p.space)
    filters.push({
      key: "space",
      kind: "Space",
      label: label("space", p.space),
      removeHref: clearHref(p, "space"),
    });
  if (p.type)
    filters.push({
      key: "type",
      kind: "Type",
      label: TYPE_LABELS[p.type],
      removeHref: clearHref(p, "type"),
    });
  for (const tag of p.tags)
    filters.push({
      key: `tag:${tag}`,
      kind: "Tag",
      label: tag,
      removeHref: toggleHref(p, "tag", tag, true),
    });
  if (p.status)
    filters.push({
      key: "status",
      kind: "Status",
      label: STATUS_LABELS[p.status],
      removeHref: clearHref(p, "status"),
    });
  if (p.campaign)
    filters.push({
      key: "campaign",
      kind: "Campaign",
      label: label("campaign", String(p.campaign)),
      removeHref: clearHref(p, "campaign"),
    });
  if (p.category)
    filters.push({
      key: "category",
      kind: "Category",
      label: p.category,
      removeHref: clearHref(p, "category"),
    });
  if (p.ideaStatus)
    filters.push({
      key: "ideaStatus",
      kind: "Idea status",
      label: IDEA_STATUS_LABELS[p.ideaStatus],
      removeHref: clearHref(p, "ideaStatus"),
    });
  if (p.department)
    filters.push({
      key: "department",
      kind: "Department",
      label: label("department", p.department),
      removeHref: clearHref(p, "department"),
    });
  if (p.created)
    filters.push({
      key: "created",
      kind: "Created",
      label: CREATED_LABELS[p.created],
      removeHref: clearHref(p, "created"),
    });
  return filters;
}

/** Words only, every filter and the sort dropped. */
export function withoutFiltersHref(p: SearchParams): string {
  return searchHref({ q: p.q });
}
