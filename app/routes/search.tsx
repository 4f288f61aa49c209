import { data, href, Link } from "react-router";
import type { Route } from "./+types/search";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { hasCriteria, searchHref, searchParams, type SearchOutcome } from "#app/features/search/search-params.ts";
import { search } from "#app/features/search/search.server.ts";
import { plural } from "#app/lib/plural.ts";
import { PageHeader } from "#app/components/page-header.tsx";
import { FacetSidebar } from "#app/components/search/facet-sidebar.tsx";
import { PeopleStrip } from "#app/components/search/people-strip.tsx";
import { SearchResultList } from "#app/components/search/result-list.tsx";
import { SearchForm, SortForm } from "#app/components/search/search-form.tsx";
import { activeFilters, withoutFiltersHref } from "#app/components/search/search-links.ts";
import { SearchPagination } from "#app/components/search/search-pagination.tsx";
import { ActiveFilterList, NoResults, PastTheEnd, SearchPrompt, SearchUnavailable } from "#app/components/search/search-states.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  const q = loaderData?.params.q;
  return [{ title: q ? `“${q}” · Search · Commons` : "Search · Commons" }];
}

/**
 * `/search?q=&space=&tag=&status=&ideaStatus=&type=&campaign=&category=&department=&created=&sort=&page=`:
 * questions, ideas, wiki pages, articles, public kudos and badges in one list, with a facet per kind ("type").
 * Parameters are read leniently (nonsense falls back to defaults, never a 500). With no criteria
 * nothing is searched.
 * When Meilisearch is down or over its time bound the page still renders, in the app shell, with a
 * 503 status and a plain message.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const params = searchParams(new URL(request.url));
  const now = Date.now();
  if (!hasCriteria(params)) return data({ params, outcome: null as SearchOutcome | null, now });
  const outcome = await search(context.db, context.search, actor, params, {
    onError: (error) => context.log.warn({ err: error }, "search unavailable: the search page says so"),
  });
  return data({ params, outcome: outcome as SearchOutcome | null, now }, { status: outcome.status === "unavailable" ? 503 : 200 });
}

/** What the live region says after each search (the count, or why there is none). */
function summary(outcome: SearchOutcome | null): React.ReactNode {
  if (!outcome) return "";
  if (outcome.status === "unavailable") return "Search is unavailable right now.";
  const q = outcome.params.q;
  const words = q ? ` for “${q}”` : "";
  if (outcome.total === 0) return outcome.people.length > 0 ? `No content${words}; ${plural(outcome.people.length, "person", "people")} found.` : `No results${words}.`;
  return (
    <>
      <span className="font-semibold text-slate-900">{plural(outcome.total, "result", "results")}</span>
      {words}
      {outcome.totalPages > 1 ? `, page ${outcome.page} of ${outcome.totalPages}` : ""}
    </>
  );
}

export default function Search({ loaderData }: Route.ComponentProps) {
  const { params, outcome, now } = loaderData;
  const ok = outcome?.status === "ok" ? outcome : null;
  const filters = activeFilters(params, ok?.facets ?? null);
  return (
    <>
      <PageHeader title="Search" />
      <SearchForm params={params} />
      <div className="mb-4 flex min-h-9 flex-wrap items-center justify-between gap-3">
        <p role="status" aria-live="polite" className="text-sm text-slate-700">
          {summary(outcome)}
        </p>
        {ok && ok.total > 0 ? <SortForm params={params} /> : null}
      </div>
      {!outcome ? <SearchPrompt /> : null}
      {outcome?.status === "unavailable" ? <SearchUnavailable /> : null}
      {ok && ok.total === 0 && ok.people.length === 0 ? <NoResults params={params} filters={filters} clearAll={withoutFiltersHref(params)} /> : null}
      {ok && (ok.total > 0 || ok.people.length > 0) ? (
        <div className="grid gap-8 lg:grid-cols-[15rem_minmax(0,1fr)]">
          {/* Results first in reading order; on wide screens the filters sit in the left column. */}
          <div className="min-w-0 lg:col-start-2">
            <ActiveFilterList filters={filters} className="mb-4" />
            <PeopleStrip people={ok.people} />
            <section aria-labelledby="search-results-heading">
              <h2 id="search-results-heading" className="mb-2 text-base font-semibold text-slate-900">
                Content
              </h2>
              {ok.total === 0 ? (
                <p className="text-sm text-slate-700">
                  No questions, ideas, pages, articles, kudos or badges match{params.q ? ` “${params.q}”` : ""}.{" "}
                  <Link to={href("/questions/ask")} className="font-medium text-brand-700 hover:underline">
                    Ask a question
                  </Link>
                </p>
              ) : ok.hits.length === 0 ? (
                <PastTheEnd firstPage={searchHref({ ...params, page: 1 })} />
              ) : (
                <>
                  <SearchResultList hits={ok.hits} now={now} />
                  <SearchPagination params={params} page={ok.page} totalPages={ok.totalPages} />
                </>
              )}
            </section>
          </div>
          {ok.total > 0 ? (
            <aside className="lg:col-start-1 lg:row-start-1">
              <FacetSidebar params={params} facets={ok.facets} />
            </aside>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
