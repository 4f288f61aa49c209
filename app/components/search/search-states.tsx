import { Link, href } from "react-router";
import type { SearchParams } from "#app/features/search/search-params.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { AlertIcon, PlusIcon, QuestionIcon } from "#app/components/icons.tsx";
import type { ActiveFilter } from "./search-links.ts";
import { SearchIcon } from "../icons.tsx";

const linkClass = "font-medium text-brand-700 hover:underline";

/** Before anything is searched: what search covers and how to use it. */
export function SearchPrompt() {
  return (
    <EmptyState icon={<SearchIcon className="size-5" />} title="What are you looking for?">
      <ul className="mt-2 space-y-1.5 text-left">
        <li>
          Search covers questions and their answers, the ideas of every campaign, wiki pages, published articles and public kudos, in every space you can see, and the company’s badges; and
          your colleagues by name, title, department or the tags they know.
        </li>
        <li>Verified wiki pages come before others that match as well; a page past its review date says it needs review.</li>
        <li>A small typo is fine: “postgress” still finds “postgres”.</li>
        <li>Narrow the results afterwards by space, type, tag, status, campaign, department or date, and sort them by score or activity.</li>
        <li>
          Press <kbd className="rounded border border-slate-300 bg-slate-50 px-1 font-mono text-xs">/</kbd> anywhere to jump to the search box in the header.
        </li>
      </ul>
    </EmptyState>
  );
}

/** The filters in force, each with a link that removes it: above the results, and in the "no results" state. */
export function ActiveFilterList({ filters, className = "" }: { filters: ActiveFilter[]; className?: string }) {
  if (filters.length === 0) return null;
  return (
    <ul aria-label="Filters in use" className={`flex flex-wrap gap-2 ${className}`}>
      {filters.map((f) => (
        <li key={f.key}>
          <Link
            to={f.removeHref}
            rel="nofollow"
            className="inline-flex items-center gap-1.5 rounded-full bg-white px-2.5 py-1 text-xs font-medium text-slate-700 ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
          >
            <span>
              {f.kind}: <span className="text-slate-900">{f.label}</span>
            </span>
            <span aria-hidden="true" className="text-slate-500">
              ×
            </span>
            <span className="sr-only">(remove this filter)</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** Nothing matched: say so, offer to drop each filter, and to ask the question instead. */
export function NoResults({ params, filters, clearAll }: { params: SearchParams; filters: ActiveFilter[]; clearAll: string }) {
  return (
    <EmptyState
      icon={<QuestionIcon className="size-5" />}
      title={params.q ? `No results for “${params.q}”` : "No results"}
      action={
        <ButtonLink to={href("/questions/ask")} variant="primary">
          <PlusIcon />
          Ask a question
        </ButtonLink>
      }
    >
      {filters.length > 0 ? (
        <>
          <p>Try removing a filter:</p>
          <ActiveFilterList filters={filters} className="mt-2 justify-center" />
          <p className="mt-2">
            <Link to={clearAll} className={linkClass}>
              Search without any filter
            </Link>
          </p>
        </>
      ) : (
        <p>Check the spelling, try fewer or more general words, or ask your colleagues.</p>
      )}
    </EmptyState>
  );
}

/** A page past the last one (an old link, a hand-edited URL). */
export function PastTheEnd({ firstPage }: { firstPage: string }) {
  return (
    <EmptyState title="No more results">
      <Link to={firstPage} className={linkClass}>
        Back to the first page
      </Link>
    </EmptyState>
  );
}

/** Meilisearch is down or slow: plain words, and the ways around it that still work. */
export function SearchUnavailable() {
  return (
    <div className="rounded-xl border border-amber-200 bg-amber-50 px-6 py-8 text-center">
      <div className="mx-auto mb-3 flex size-11 items-center justify-center rounded-full bg-amber-100 text-amber-800">
        <AlertIcon className="size-5" />
      </div>
      <p className="text-base font-semibold text-slate-900">Search is unavailable right now</p>
      <p className="mx-auto mt-1 max-w-md text-sm text-slate-700">
        We could not reach the search service in time. Everything else works: you can browse{" "}
        <Link to={href("/questions")} className={linkClass}>
          questions
        </Link>
        ,{" "}
        <Link to={href("/tags")} className={linkClass}>
          tags
        </Link>{" "}
        and{" "}
        <Link to={href("/spaces")} className={linkClass}>
          spaces
        </Link>
        . Please try your search again in a minute.
      </p>
    </div>
  );
}
