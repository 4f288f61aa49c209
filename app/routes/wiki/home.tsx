import { Link } from "react-router";
import type { Route } from "./+types/home";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { wikiHome } from "#app/features/wiki/home.server.ts";
import { VisibilityBadge } from "#app/components/badge.tsx";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { PageListBadge } from "#app/components/wiki/verification-status.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Wiki · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const now = new Date();
  return { ...(await wikiHome(context.db, actor, now)), now: now.getTime() };
}

/** The wiki's front door: each space's wiki, what changed lately, and the reader's pages due for review. */
export default function WikiHome({ loaderData }: Route.ComponentProps) {
  const { spaces, recent, myDueReviews, now } = loaderData;
  return (
    <>
      <PageHeader title="Wiki" description="What the company knows, kept by the people who know it. Every space has a wiki; pages are versioned, owned and verified." />
      {myDueReviews > 0 ? (
        <p role="status" className="mb-6 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          {myDueReviews === 1 ? "A page you own is" : `${myDueReviews} pages you own are`} past their review date.{" "}
          <Link to="/wiki/review" className="font-semibold underline">
            Review them
          </Link>
        </p>
      ) : null}
      <div className="grid gap-8 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <section aria-labelledby="wiki-spaces">
          <h2 id="wiki-spaces" className="mb-3 text-sm font-semibold tracking-wide text-slate-500 uppercase">
            Spaces
          </h2>
          {spaces.length === 0 ? (
            <EmptyState title="No spaces yet">When an admin creates a space, its wiki shows up here.</EmptyState>
          ) : (
            <Card>
              <ul className="divide-y divide-slate-100">
                {spaces.map((s) => (
                  <li key={s.slug} className="flex items-center justify-between gap-3 px-4 py-3">
                    <span className="flex min-w-0 items-center gap-2">
                      <Link to={s.url} className="truncate font-medium text-slate-900 hover:text-brand-700 hover:underline">
                        {s.name}
                      </Link>
                      {s.visibility === "restricted" ? <VisibilityBadge visibility="restricted" /> : null}
                    </span>
                    <span className="shrink-0 text-sm text-slate-500">{s.pages === 1 ? "1 page" : `${s.pages.toLocaleString("en")} pages`}</span>
                  </li>
                ))}
              </ul>
            </Card>
          )}
        </section>
        <section aria-labelledby="wiki-recent">
          <h2 id="wiki-recent" className="mb-3 text-sm font-semibold tracking-wide text-slate-500 uppercase">
            Recently changed
          </h2>
          {recent.length === 0 ? (
            <EmptyState title="No pages yet">Open a space's wiki and write its first page: an onboarding guide, a runbook, a policy.</EmptyState>
          ) : (
            <Card>
              <ul className="divide-y divide-slate-100">
                {recent.map((p) => (
                  <li key={p.id} className="px-4 py-3">
                    <div className="flex flex-wrap items-center gap-2">
                      <Link to={p.url} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                        {p.title}
                      </Link>
                      <PageListBadge page={p} />
                    </div>
                    <p className="mt-0.5 text-sm text-slate-500">
                      {p.spaceName} · {p.editor}, <RelativeTime date={p.changedAt} now={now} />
                    </p>
                  </li>
                ))}
              </ul>
            </Card>
          )}
        </section>
      </div>
    </>
  );
}
