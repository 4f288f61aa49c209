import { Link } from "react-router";
import { type SearchParams, MAX_PAGE, searchHref } from "#app/features/search/search-params.ts";
import { ArrowLeftIcon, ArrowRightIcon } from "#app/components/icons.tsx";

const linkClass =
  "inline-flex min-w-9 items-center justify-center gap-1.5 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50";
const currentClass = "inline-flex min-w-9 items-center justify-center rounded-md border border-brand-600 bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white";
const offClass = "inline-flex items-center gap-1.5 rounded-md border border-slate-200 px-3 py-1.5 text-sm font-medium text-slate-400";

/** The page numbers to show: the first, the last, and two either side of the current one; gaps as null. */
export function pageWindow(page: number, last: number): Array<number | null> {
  const pages: Array<number | null> = [];
  for (let n = 1; n <= last; n++) {
    if (n === 1 || n === last || Math.abs(n - page) <= 2) pages.push(n);
    else if (pages.at(-1) !== null) pages.push(null);
  }
  return pages;
}

/** Previous, the page numbers, Next: links built with `searchHref`, the current page marked. */
export function SearchPagination({ params, page, totalPages }: { params: SearchParams; page: number; totalPages: number }) {
  const last = Math.min(totalPages, MAX_PAGE);
  if (last <= 1) return null;
  const to = (n: number) => searchHref({ ...params, page: n });
  return (
    <nav aria-label="Result pages" className="flex flex-wrap items-center justify-center gap-2 py-4">
      {page > 1 ? (
        <Link to={to(Math.min(page - 1, last))} rel="prev" className={linkClass}>
          <ArrowLeftIcon />
          Previous
        </Link>
      ) : (
        <span className={offClass} aria-disabled="true">
          <ArrowLeftIcon />
          Previous
        </span>
      )}
      <ul className="flex flex-wrap items-center gap-1">
        {pageWindow(page, last).map((n, i) =>
          n === null ? (
            <li key={`gap-${i}`} aria-hidden="true" className="px-1 text-sm text-slate-500">
              …
            </li>
          ) : (
            <li key={n}>
              {n === page ? (
                <span aria-current="page" className={currentClass}>
                  <span className="sr-only">Page </span>
                  {n}
                </span>
              ) : (
                <Link to={to(n)} className={linkClass}>
                  <span className="sr-only">Page </span>
                  {n}
                </Link>
              )}
            </li>
          ),
        )}
      </ul>
      {page < last ? (
        <Link to={to(page + 1)} rel="next" className={linkClass}>
          Next
          <ArrowRightIcon />
        </Link>
      ) : (
        <span className={offClass} aria-disabled="true">
          Next
          <ArrowRightIcon />
        </span>
      )}
    </nav>
  );
}
