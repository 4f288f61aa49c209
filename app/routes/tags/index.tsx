import { Form, Link, href } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/index";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { tagIndex } from "#app/features/qa/tags.server.ts";
import { plural } from "#app/lib/plural.ts";
import { buttonClass } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { TagChip } from "#app/components/content/tag-list.tsx";
import { TagIcon } from "#app/components/icons.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Tags · Commons" }];
}

const ParamsSchema = z.object({
  q: z.string().trim().max(35).catch(""),
  sort: z.enum(["popular", "name"]).catch("popular"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const url = new URL(request.url);
  const params = ParamsSchema.parse({ q: url.searchParams.get("q") ?? "", sort: url.searchParams.get("sort") ?? undefined, page: url.searchParams.get("page") ?? undefined });
  return { params, ...(await tagIndex(context.db, actor, params)) };
}

function indexHref(params: { q: string; sort: string; page?: number }): string {
  const search = new URLSearchParams();
  if (params.q) search.set("q", params.q);
  if (params.sort !== "popular") search.set("sort", params.sort);
  if (params.page && params.page > 1) search.set("page", String(params.page));
  const query = search.toString();
  return query ? `${href("/tags")}?${query}` : href("/tags");
}

export default function Tags({ loaderData }: Route.ComponentProps) {
  const { params, tags, total, offset, pageSize } = loaderData;
  return (
    <>
      <PageHeader title="Tags" description="Tags sort questions by topic. Counts include only questions in spaces you can see." />
      <div className="mb-5 flex flex-wrap items-end justify-between gap-4">
        <Form method="get" role="search" className="flex items-end gap-2">
          <div>
            <label htmlFor="tag-filter" className="block text-sm font-medium text-slate-800">
              Filter tags
            </label>
            <input
              id="tag-filter"
              name="q"
              type="search"
              defaultValue={params.q}
              maxLength={35}
              className="mt-1 block w-56 rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm outline-none focus:ring-2 focus:ring-brand-500"
            />
          </div>
          {params.sort !== "popular" ? <input type="hidden" name="sort" value={params.sort} /> : null}
          <button type="submit" className={buttonClass("secondary")}>
            Filter
          </button>
        </Form>
        <nav aria-label="Sort tags">
          <ul className="flex gap-1">
            {(["popular", "name"] as const).map((sort) => (
              <li key={sort}>
                <Link
                  to={indexHref({ q: params.q, sort })}
                  aria-current={params.sort === sort ? "page" : undefined}
                  className={`inline-flex rounded-md px-3 py-1.5 text-sm font-medium ${params.sort === sort ? "bg-brand-50 text-brand-800 ring-1 ring-brand-200 ring-inset" : "text-slate-700 hover:bg-slate-100"}`}
                >
                  {sort === "popular" ? "Popular" : "Name"}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </div>
      {tags.length === 0 ? (
        <EmptyState icon={<TagIcon className="size-5" />} title={params.q ? `No tags match “${params.q}”` : "No tags yet"}>
          {params.q ? "Try a shorter filter." : "Tags appear here once questions use them."}
        </EmptyState>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-label="Tags">
          {tags.map((tag) => (
            <li key={tag.name}>
              <Card className="h-full p-4">
                <TagChip name={tag.name} />
                <p className="mt-2 line-clamp-3 text-sm text-slate-600">{tag.excerpt || "No description yet."}</p>
                <p className="mt-2 text-xs font-medium text-slate-500">{plural(tag.questionCount, "question", "questions")}</p>
              </Card>
            </li>
          ))}
        </ul>
      )}
      <Pagination offset={offset} pageSize={pageSize} total={total} shown={tags.length} pageHref={(page) => indexHref({ ...params, page })} label="Tag pages" />
    </>
  );
}
