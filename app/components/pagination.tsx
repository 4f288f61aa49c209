import { Link } from "react-router";
import { ArrowLeftIcon, ArrowRightIcon } from "./icons.tsx";

const linkClass = "inline-flex items-center gap-1.5 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50";
const disabledClass = "inline-flex items-center gap-1.5 rounded-md border border-slate-200 px-3 py-1.5 text-sm font-medium text-slate-400";

/**
 * "1–25 of 40" with Previous/Next links. `pageHref(n)` builds the URL of page n (keeping the
 * search and filters); pages out of range render as plain text, not dead links.
 */
export function Pagination({
  offset,
  pageSize,
  total,
  shown,
  pageHref,
  label = "Pages",
}: {
  offset: number;
  pageSize: number;
  total: number;
  shown: number;
  pageHref: (page: number) => string;
  label?: string;
}) {
  if (total === 0) return null;
  const page = Math.floor(offset / pageSize) + 1;
  const from = shown > 0 ? offset + 1 : 0;
  const to = offset + shown;
  const hasPrev = page > 1;
  const hasNext = to < total;
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 py-3">
      <p className="text-sm text-slate-600">
        {shown > 0 ? (
          <>
            <span className="font-medium text-slate-900">
              {from}–{to}
            </span>{" "}
            of <span className="font-medium text-slate-900">{total}</span>
          </>
        ) : (
          <>Nothing on this page ({total} in all)</>
        )}
      </p>
      {hasPrev || hasNext ? (
        <div className="flex gap-2">
          {hasPrev ? (
            <Link to={pageHref(Math.min(page - 1, Math.max(1, Math.ceil(total / pageSize))))} className={linkClass} rel="prev">
              <ArrowLeftIcon />
              Previous
            </Link>
          ) : (
            <span className={disabledClass} aria-disabled="true">
              <ArrowLeftIcon />
              Previous
            </span>
          )}
          {hasNext ? (
            <Link to={pageHref(page + 1)} className={linkClass} rel="next">
              Next
              <ArrowRightIcon />
            </Link>
          ) : (
            <span className={disabledClass} aria-disabled="true">
              Next
              <ArrowRightIcon />
            </span>
          )}
        </div>
      ) : null}
    </nav>
  );
}
