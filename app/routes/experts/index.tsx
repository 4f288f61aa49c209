import { Link, href } from "react-router";
import type { Route } from "./+types/index";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { EXPERTS_PAGE_SIZE, expertsHref, expertsParams, hasSearch } from "#app/features/expertise/directory-params.ts";
import { expertDirectory } from "#app/features/expertise/directory.server.ts";
import { plural } from "#app/lib/plural.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { ExpertResults } from "#app/components/experts/expert-results.tsx";
import { ExpertFacetList, ExpertSearchForm } from "#app/components/experts/expert-facets.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  const p = loaderData?.params;
  const what = p?.topics.length ? p.topics.join(", ") : p?.q ? `“${p.q}”` : "";
  return [{ title: what ? `Experts: ${what} · Commons` : "Experts · Commons" }];
}

/**
 * `/experts?topic=&q=&department=&location=&open=1&title=&page=`: people who know a topic or
 * could help with what the words describe, as the reader may see their work. Every employee;
 * HR and admins also filter by job title and export a shortlist. Meilisearch down only narrows
 * a search by words (the page says so); topics never need it.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const hr = actor.role === "hr" || actor.role === "admin";
  const params = expertsParams(new URL(request.url), { hr });
  const directory = await expertDirectory(context.db, context.search, actor, params, {
    onError: (error) => context.log.warn({ err: error }, "search unavailable: the experts page lists what the model finds"),
  });
  return { params, directory, hr, coverage: hr || actor.role === "moderator", viewerId: actor.id };
}

export default function Experts({ loaderData }: Route.ComponentProps) {
  const { params, directory, hr, coverage, viewerId } = loaderData;
  return (
    <>
      <PageHeader
        title="Experts"
        description="Find the people who know a topic, from the answers, pages, ideas and kudos you can see. Each person's evidence says why they are here."
        actions={
          coverage ? (
            <ButtonLink to={href("/experts/coverage")} variant="secondary">
              Coverage
            </ButtonLink>
          ) : null
        }
      />
      <ExpertSearchForm params={params} hr={hr} />
      {directory.mode === "landing" ? (
        <CardSection title="Start from a topic" titleId="popular-topics" description="The topics with the most questions you can see.">
          {directory.popular.length > 0 ? (
            <ul className="flex flex-wrap gap-2">
              {directory.popular.map((t) => (
                <li key={t.name}>
                  <Link
                    to={expertsHref({ topics: [t.name] })}
                    className="inline-flex items-center gap-1.5 rounded-md bg-brand-50 px-2.5 py-1 text-sm font-medium text-brand-800 ring-1 ring-brand-100 ring-inset hover:bg-brand-100"
                  >
                    {t.name}
                    <span className="text-xs font-normal text-slate-600">× {t.questionCount}</span>
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-600">No topics yet: once questions are asked and answered, their topics and the people who know them show here.</p>
          )}
        </CardSection>
      ) : (
        <div className="grid gap-8 lg:grid-cols-[15rem_minmax(0,1fr)]">
          <div className="min-w-0 lg:col-start-2">
            <p role="status" aria-live="polite" className="mb-3 text-sm text-slate-700">
              {directory.total > 0 ? (
                <>
                  <span className="font-semibold text-slate-900">{plural(directory.total, "person", "people")}</span>
                  {directory.topics.length ? ` with expertise in ${directory.topics.join(", ")}` : params.q ? ` for “${params.q}”` : ""}
                </>
              ) : null}
            </p>
            {directory.searchUnavailable ? (
              <p className="mb-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
                Search is unavailable right now: these are the people the expertise model finds on its own.
              </p>
            ) : null}
            {directory.total === 0 ? (
              <EmptyState
                title={
                  params.topics.length && !params.q
                    ? `No one has shown expertise in ${params.topics.join(", ")} yet`
                    : hasSearch(params) && (params.department || params.location || params.open || params.title)
                      ? "No one matches these filters"
                      : "No one found yet"
                }
                action={
                  <ButtonLink to={href("/questions/ask")} variant="primary">
                    Ask a question
                  </ButtonLink>
                }
              >
                {coverage ? (
                  <>
                    Topics without experts are listed in{" "}
                    <Link to={href("/experts/coverage")} className="font-medium text-brand-700 hover:underline">
                      coverage
                    </Link>
                    .{" "}
                  </>
                ) : null}
                Expertise comes from accepted answers, pages, ideas and kudos: a question asked now is how it starts.
              </EmptyState>
            ) : directory.people.length === 0 ? (
              <p className="text-sm text-slate-700">
                Nothing on this page.{" "}
                <Link to={expertsHref({ ...params, page: 1 })} className="font-medium text-brand-700 hover:underline">
                  Back to the first page
                </Link>
              </p>
            ) : (
              <ExpertResults people={directory.people} viewerId={viewerId} hr={hr} topics={params.topics} />
            )}
            <Pagination
              offset={(params.page - 1) * EXPERTS_PAGE_SIZE}
              pageSize={EXPERTS_PAGE_SIZE}
              total={directory.total}
              shown={directory.people.length}
              pageHref={(page) => expertsHref({ ...params, page })}
              label="Pages of experts"
            />
          </div>
          <aside className="lg:col-start-1 lg:row-start-1">
            <ExpertFacetList params={params} facets={directory.facets} />
          </aside>
        </div>
      )}
    </>
  );
}
