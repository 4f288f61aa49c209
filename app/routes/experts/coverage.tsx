import { Link, href } from "react-router";
import type { Route } from "./+types/coverage";
import { requireRole } from "#app/features/auth/session.server.ts";
import { COVERAGE_PAGE_SIZE, COVERAGE_WINDOW_DAYS } from "#app/features/expertise/coverage-params.ts";
import { quietTags, uncoveredTags } from "#app/features/expertise/coverage.server.ts";
import { CoverageTable } from "#app/components/experts/coverage-table.tsx";
import { CardSection } from "#app/components/card.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Coverage · Experts · Commons" }];
}

function pageOf(url: URL, key: string): number {
  const n = Number(url.searchParams.get(key) ?? "1");
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
}

/**
 * `/experts/coverage?page=&quietPage=`: the topics without an SME and those whose SMEs have gone
 * quiet, the busiest first, for site moderators, admins and HR (the 404 of a missing page for
 * anyone else). Each list pages on its own.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireRole(context, request, ["moderator", "hr", "admin"]);
  const url = new URL(request.url);
  const pages = { page: pageOf(url, "page"), quietPage: pageOf(url, "quietPage") };
  const now = new Date();
  const [uncovered, quiet] = await Promise.all([uncoveredTags(context.db, actor, { page: pages.page, now }), quietTags(context.db, actor, { page: pages.quietPage, now })]);
  return { uncovered, quiet, pages, now: now.getTime() };
}

export default function Coverage({ loaderData }: Route.ComponentProps) {
  const { uncovered, quiet, pages, now } = loaderData;
  const at = (change: Partial<typeof pages>) => {
    const next = { ...pages, ...change };
    const query = new URLSearchParams();
    if (next.page > 1) query.set("page", String(next.page));
    if (next.quietPage > 1) query.set("quietPage", String(next.quietPage));
    const search = query.toString();
    return search ? `${href("/experts/coverage")}?${search}` : href("/experts/coverage");
  };
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Experts", to: href("/experts") }]}
        title="Coverage"
        description={`Where subject-matter experts are missing or have gone quiet, the busiest topics first: traffic is the questions of the last ${COVERAGE_WINDOW_DAYS} days in the spaces you can see. Assign SMEs from a topic's page.`}
      />
      <div className="space-y-8">
        <CardSection title="Topics with no SME" titleId="no-sme" description="No one is assigned, and no one is past the threshold to be an SME automatically.">
          <CoverageTable kind="uncovered" rows={uncovered.tags} now={now} caption="Topics with no SME, the busiest first" />
          <Pagination
            offset={uncovered.offset}
            pageSize={COVERAGE_PAGE_SIZE}
            total={uncovered.total}
            shown={uncovered.tags.length}
            pageHref={(page) => at({ page })}
            label="Pages of topics with no SME"
          />
        </CardSection>
        <CardSection
          title="Topics whose SMEs have gone quiet"
          titleId="quiet-smes"
          description={`Every SME's latest evidence on the topic is older than ${COVERAGE_WINDOW_DAYS} days, or every SME has left.`}
        >
          <CoverageTable kind="quiet" rows={quiet.tags} now={now} caption="Topics whose SMEs have gone quiet, the busiest first" />
          <Pagination
            offset={quiet.offset}
            pageSize={COVERAGE_PAGE_SIZE}
            total={quiet.total}
            shown={quiet.tags.length}
            pageHref={(quietPage) => at({ quietPage })}
            label="Pages of topics whose SMEs have gone quiet"
          />
        </CardSection>
        <p className="text-sm text-slate-600">
          Looking for people instead?{" "}
          <Link to={href("/experts")} className="font-medium text-brand-700 hover:underline">
            Find experts
          </Link>
        </p>
      </div>
    </>
  );
}
