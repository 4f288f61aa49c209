import { Form, Link } from "react-router";
import { IDEA_SORTS, type IdeaListParams, type IdeaSort } from "#app/features/ideas/list-params.ts";
import { IDEA_STATUSES, STATUS_LABELS, type IdeaStatus } from "#app/features/ideas/schemas.ts";

const SORT_LABELS: Record<IdeaSort, string> = { trending: "Trending", top: "Top", newest: "Newest", status: "By status" };

/** The URL of the campaign page with these list parameters (defaults left out). */
export function listHref(base: string, params: IdeaListParams, change: Partial<IdeaListParams>): string {
  const next = { ...params, page: 1, ...change };
  const query = new URLSearchParams();
  if (next.sort !== "trending") query.set("sort", next.sort);
  if (next.category) query.set("category", next.category);
  if (next.status) query.set("status", next.status);
  if (next.page > 1) query.set("page", String(next.page));
  const s = query.toString();
  return s ? `${base}?${s}` : base;
}

/** Sort links and a GET form of filters: every control works without JavaScript. */
export function IdeaFilters({ base, params, categories, statusCounts }: { base: string; params: IdeaListParams; categories: string[]; statusCounts: Record<IdeaStatus, number> }) {
  return (
    <div className="mb-4 flex flex-wrap items-end justify-between gap-4">
      <nav aria-label="Sort ideas">
        <ul className="flex gap-1">
          {IDEA_SORTS.map((sort) => (
            <li key={sort}>
              <Link
                to={listHref(base, params, { sort })}
                aria-current={params.sort === sort ? "page" : undefined}
                className={`rounded-md px-3 py-1.5 text-sm font-medium ${params.sort === sort ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100"}`}
              >
                {SORT_LABELS[sort]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Form method="get" action={base} className="flex flex-wrap items-end gap-2">
        {params.sort !== "trending" ? <input type="hidden" name="sort" value={params.sort} /> : null}
        {categories.length > 0 ? (
          <label className="text-sm text-slate-700">
            Category{" "}
            <select name="category" defaultValue={params.category ?? ""} className="ml-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm">
              <option value="">All</option>
              {categories.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="text-sm text-slate-700">
          Status{" "}
          <select name="status" defaultValue={params.status ?? ""} className="ml-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm">
            <option value="">All but merged</option>
            {IDEA_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]} ({statusCounts[s]})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50">
          Filter
        </button>
      </Form>
    </div>
  );
}
