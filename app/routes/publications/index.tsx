import { Link, href } from "react-router";
import type { Route } from "./+types/index";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { listPublications } from "#app/features/publishing/publishing.server.ts";
import { ButtonLink, buttonClass } from "#app/components/button.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { GlobeIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { PublicationRow, PublicationTabs, TABS, tabOf } from "#app/components/publishing/publication-list.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Publishing · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const url = new URL(request.url);
  const tab = tabOf(url.searchParams.get("tab"));
  const cursor = url.searchParams.get("cursor");
  const page = await listPublications(context.db, actor, { tab, cursor });
  return { ...page, tab, paged: Boolean(cursor), now: Date.now() };
}

export default function Publications({ loaderData }: Route.ComponentProps) {
  const { rows, nextCursor, tab, paged, now } = loaderData;
  const base = href("/publications");
  const tabQuery: Record<string, string> = tab === "mine" ? {} : { tab };
  const empty = TABS.find((t) => t.tab === tab)!.empty;
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        title="Publishing"
        description="Internal questions on their way to the public customer forum: each is scanned for what must not go out, its authors say how they appear, and two people approve it."
        actions={<ButtonLink to={href("/publications/feedback")}>Customer feedback</ButtonLink>}
      />
      <PublicationTabs current={tab} />
      {rows.length === 0 ? (
        <EmptyState icon={<GlobeIcon className="size-5" />} title={empty.title}>
          {empty.text}
        </EmptyState>
      ) : (
        <ul className="space-y-3" aria-label={TABS.find((t) => t.tab === tab)!.label}>
          {rows.map((row) => (
            <PublicationRow key={row.id} row={row} now={now} />
          ))}
        </ul>
      )}
      {nextCursor || paged ? (
        <nav aria-label="Pages" className="mt-6 flex justify-between">
          {paged ? (
            <Link to={tab === "mine" ? base : `${base}?tab=${tab}`} className={buttonClass("secondary", "sm")}>
              Back to the start
            </Link>
          ) : (
            <span />
          )}
          {nextCursor ? (
            <Link to={`${base}?${new URLSearchParams({ ...tabQuery, cursor: nextCursor })}`} className={buttonClass("secondary", "sm")} rel="next">
              Next page
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
