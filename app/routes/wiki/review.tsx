import { Link, href } from "react-router";
import type { Route } from "./+types/review";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { REVIEW_SOON_DAYS } from "#app/features/wiki/governance-schemas.ts";
import { pagesToReview } from "#app/features/wiki/review.server.ts";
import { pageParam } from "#app/lib/forms.ts";
import { absoluteDate } from "#app/lib/time.ts";
import { Badge } from "#app/components/badge.tsx";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { CheckCircleIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Pages to review · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return pagesToReview(context.db, actor, { page: pageParam(new URL(request.url)) });
}

function dueLabel(days: number): string {
  if (days > 0) return days === 1 ? "1 day overdue" : `${days.toLocaleString("en")} days overdue`;
  if (days === 0) return "Due today";
  return -days === 1 ? "Due tomorrow" : `Due in ${(-days).toLocaleString("en")} days`;
}

/** The reader's pages whose review is due or near, and the overdue pages of the spaces they moderate. */
export default function PagesToReview({ loaderData }: Route.ComponentProps) {
  const { items, total, offset, pageSize } = loaderData;
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        crumbs={[{ label: "Wiki", to: href("/wiki") }]}
        title="Pages to review"
        description={`Pages you own whose review is due or comes within ${REVIEW_SOON_DAYS} days, and overdue pages in the spaces you moderate, most overdue first. Check each page, edit what is out of date, then verify it again.`}
      />
      {items.length === 0 ? (
        <EmptyState icon={<CheckCircleIcon className="size-5" />} title={total === 0 ? "Nothing to review" : "Nothing on this page of the list"}>
          {total === 0 ? "None of your pages, and no page in a space you moderate, is due for review." : "Go back to the first page of the list."}
        </EmptyState>
      ) : (
        <Card>
          <ul aria-label="Pages to review" className="divide-y divide-slate-100">
            {items.map((p) => (
              <li key={p.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-4">
                <div className="min-w-0">
                  <p className="flex flex-wrap items-center gap-2">
                    <Link to={p.url} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                      {p.title}
                    </Link>
                    {p.daysOverdue >= 0 ? <Badge tone="amber">Needs review</Badge> : null}
                    {p.owned ? null : <Badge>In a space you moderate</Badge>}
                  </p>
                  <p className="mt-0.5 text-sm text-slate-500">
                    {p.space.name} · review {p.daysOverdue >= 0 ? "was due" : "due"} {absoluteDate(p.reviewDueAt)}
                  </p>
                </div>
                <div className="flex shrink-0 items-center gap-3 text-sm">
                  <span className={p.daysOverdue > 0 ? "font-medium text-amber-800" : "text-slate-600"}>{dueLabel(p.daysOverdue)}</span>
                  <Link to={href("/wiki/:pageId/verify", { pageId: String(p.id) })} className="font-medium text-brand-700 hover:underline">
                    Verify<span className="sr-only"> {p.title}</span>
                  </Link>
                </div>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Pagination offset={offset} pageSize={pageSize} total={total} shown={items.length} pageHref={(n) => `${href("/wiki/review")}?page=${n}`} label="Pages of the review list" />
    </div>
  );
}
