import { Link, href } from "react-router";
import type { Route } from "./+types/drafts";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { articleUrl } from "#app/features/articles/article-url.ts";
import { myDrafts } from "#app/features/articles/feeds.server.ts";
import { pageParam } from "#app/lib/forms.ts";
import { absoluteTime } from "#app/lib/time.ts";
import { WriteArticleButton } from "#app/components/articles/write-button.tsx";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { PencilIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { ArticleStatusBadge, ArticleTypeBadge } from "#app/components/articles/type-badge.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Your drafts · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return { page: await myDrafts(context.db, actor, pageParam(new URL(request.url))), now: Date.now() };
}

/** The reader's own unpublished articles: scheduled ones (next to go out first), then drafts. Nobody else sees them. */
export default function Drafts({ loaderData }: Route.ComponentProps) {
  const { page, now } = loaderData;
  const write = <WriteArticleButton />;
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Articles", to: href("/articles") }]}
        title="Your drafts"
        description="Drafts and scheduled articles. Only you can see them until they are published."
        actions={write}
      />
      {page.rows.length === 0 && page.total === 0 ? (
        <EmptyState icon={<PencilIcon className="size-5" />} title="No drafts" action={write}>
          Start an article and choose “Save draft”: it waits here, seen by you alone, until you publish or schedule it.
        </EmptyState>
      ) : (
        <>
          <Card>
            <ul className="divide-y divide-slate-100">
              {page.rows.map((d) => (
                <li key={d.id} className="px-5 py-4">
                  <div className="flex flex-wrap items-center gap-2">
                    <ArticleStatusBadge status={d.status} />
                    <ArticleTypeBadge type={d.type} />
                    <h2 className="min-w-0 text-base font-semibold text-slate-900">
                      <Link to={articleUrl(d)} className="break-words hover:text-brand-700 hover:underline">
                        {d.title}
                      </Link>
                    </h2>
                  </div>
                  <p className="mt-1 text-xs text-slate-600">
                    In {d.space.name} · {d.status === "scheduled" && d.publishAt ? <>Goes out {absoluteTime(d.publishAt)} · </> : null}
                    <RelativeTime date={d.updatedAt} now={now} prefix="saved" /> ·{" "}
                    <Link to={href("/articles/:articleId/edit", { articleId: String(d.id) })} className="font-medium text-brand-700 hover:underline">
                      Edit<span className="sr-only"> {d.title}</span>
                    </Link>
                  </p>
                </li>
              ))}
            </ul>
          </Card>
          <Pagination
            offset={page.offset}
            pageSize={page.pageSize}
            total={page.total}
            shown={page.rows.length}
            pageHref={(n) => (n > 1 ? `${href("/articles/drafts")}?page=${n}` : href("/articles/drafts"))}
            label="Draft pages"
          />
        </>
      )}
    </>
  );
}
