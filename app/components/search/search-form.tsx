import { Form, href } from "react-router";
import { QUERY_MAX, SEARCH_SORTS, SORT_LABELS, type SearchParams } from "#app/features/search/search-params.ts";
import { buttonClass } from "#app/components/button.tsx";
import { useHydrated } from "#app/components/use-hydrated.ts";
import { SearchIcon } from "../icons.tsx";

/** The criteria that are not `omit`, as hidden fields, so a GET form changes one thing and keeps the rest. */
function HiddenCriteria({ params, omit }: { params: SearchParams; omit: "q" | "sort" }) {
  const fields: Array<[string, string]> = [];
  if (omit !== "q" && params.q) fields.push(["q", params.q]);
  if (params.space) fields.push(["space", params.space]);
  for (const tag of params.tags) fields.push(["tag", tag]);
  if (params.status) fields.push(["status", params.status]);
  if (params.ideaStatus) fields.push(["ideaStatus", params.ideaStatus]);
  if (params.type) fields.push(["type", params.type]);
  if (params.campaign) fields.push(["campaign", String(params.campaign)]);
  if (params.category) fields.push(["category", params.category]);
  if (params.department) fields.push(["department", params.department]);
  if (params.created) fields.push(["created", params.created]);
  if (omit !== "sort" && params.sort !== "relevance") fields.push(["sort", params.sort]);
  return (
    <>
      {fields.map(([name, value], i) => (
        <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

/** The page's query box: a plain GET form (Enter searches); the filters and sort in force are kept. */
export function SearchForm({ params }: { params: SearchParams }) {
  return (
    <Form method="get" action={href("/search")} role="search" aria-label="Search questions, ideas, wiki pages, articles and people" className="mb-6">
      <label htmlFor="search-q" className="block text-sm font-medium text-slate-800">
        Search questions, ideas, wiki pages, articles and people
      </label>
      <div className="mt-1 flex gap-2">
        <div className="relative min-w-0 flex-1">
          <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-500" />
          <input
            // A new query (from the header box, a link) must show its own words.
            key={params.q}
            id="search-q"
            type="search"
            name="q"
            defaultValue={params.q}
            maxLength={QUERY_MAX}
            autoComplete="off"
            enterKeyHint="search"
            className="block w-full rounded-md border border-slate-300 bg-white py-2 pr-3 pl-9 text-base shadow-sm outline-none focus:ring-2 focus:ring-brand-500"
          />
        </div>
        <button type="submit" className={buttonClass("primary")}>
          Search
        </button>
      </div>
      <HiddenCriteria params={params} omit="q" />
    </Form>
  );
}

/**
 * The sort order as a select in its own GET form. Without JavaScript it has a Sort button; once
 * hydrated, choosing an order applies it at once.
 */
export function SortForm({ params }: { params: SearchParams }) {
  const hydrated = useHydrated();
  return (
    <Form method="get" action={href("/search")} className="flex items-center gap-2">
      <HiddenCriteria params={params} omit="sort" />
      <label htmlFor="search-sort" className="text-sm font-medium whitespace-nowrap text-slate-700">
        Sort by
      </label>
      <select
        key={params.sort}
        id="search-sort"
        name="sort"
        defaultValue={params.sort}
        onChange={(event) => event.currentTarget.form?.requestSubmit()}
        className="block rounded-md border border-slate-300 bg-white py-1.5 pr-8 pl-3 text-sm shadow-sm focus:ring-2 focus:ring-brand-500"
      >
        {SEARCH_SORTS.map((sort) => (
          <option key={sort} value={sort}>
            {SORT_LABELS[sort]}
          </option>
        ))}
      </select>
      {hydrated ? null : (
        <button type="submit" className={buttonClass("secondary", "sm")}>
          Sort
        </button>
      )}
    </Form>
  );
}
